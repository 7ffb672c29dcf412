// The README's start command, `npm start` (app/cli/start.ts), run as a user runs it, twice on the
// same database: the first start seeds the demo scenario, the second finds it and seeds nothing.
//
// It spawns the script's command itself (`tsx app/cli/start.ts`) rather than npm: npm answers a
// SIGTERM by killing itself with that signal, which would hide the app's own exit code.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD, demoUsers } from "../../prisma/seed/demo-users";
import type { TestDatabase } from "../support/db";
import { projectRoot } from "../support/app-server";
import { createTestDatabase } from "../support/db";

type Started = { child: ChildProcess; baseUrl: string; ms: number; output: () => string };

const running = new Set<ChildProcess>();
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  // Built here, under the test files' shared lock, so that start.ts finds the build fresh and does
  // not run `remix build` at the same time as another test file.
}, 120_000);

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await database?.db.$disconnect();
});

const START_SCRIPT = "tsx app/cli/start.ts";

/** `npm start` with the test database and a free port; resolves once it prints "ready on …". */
function npmStart(extraEnv: Record<string, string> = {}): Promise<Started> {
  // Without vitest's NODE_ENV=test, as from a terminal: start.ts then runs the app in production mode.
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: database.url, PORT: "0", ...extraEnv };
  delete env.NODE_ENV;
  delete env.DEMO_DATA;
  const started = Date.now();
  const [bin, ...args] = START_SCRIPT.split(" ");
  const child = spawn(path.join(projectRoot, "node_modules/.bin", bin), args, { cwd: projectRoot, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let out = "";
  const output = () => out;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error("no \"ready on\" line within 60 s")), 60_000);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`npm start: ${error.message}\n--- output ---\n${out}`));
    }
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ready on (http:\/\/localhost:(\d+))/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, baseUrl: `http://127.0.0.1:${m[2]}`, ms: Date.now() - started, output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code, signal) => fail(new Error(`exited (code ${code}, signal ${signal}) before it was ready`)));
  });
}

async function expectNotServing(baseUrl: string) {
  await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
}

/** SIGTERM, as a service manager stops it; resolves with the exit code (rejects after 15 s). */
function stop(s: Started): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (s.child.exitCode !== null) return resolve(s.child.exitCode);
    const timer = setTimeout(() => reject(new Error(`still running 15 s after SIGTERM\n--- output ---\n${s.output()}`)), 15_000);
    s.child.once("exit", (code) => {
      clearTimeout(timer);
      running.delete(s.child);
      resolve(code);
    });
    s.child.kill("SIGTERM");
  });
}

async function expectServing(baseUrl: string) {
  const ready = await fetch(`${baseUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ ready: true, database: "ok", pendingMigrations: [] });
  const signIn = await fetch(`${baseUrl}/logga-in`);
  expect(signIn.status).toBe(200);
  const html = await signIn.text();
  expect(html).toContain("<h1>Logga in</h1>");
  expect(html).toContain('lang="sv"');
}

test("package.json's start script is the command tested here", () => {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(pkg.scripts.start).toBe(START_SCRIPT);
});

test("npm start seeds the demo scenario once, serves the app, stops on SIGTERM, and starts again without seeding", async () => {
  expect(await database.db.assignment.count()).toBe(0);

  const first = await npmStart();
  try {
    await expectServing(first.baseUrl);
    expect(first.output()).toContain("demo scenario seeded");
    for (const u of demoUsers) expect(first.output()).toContain(u.email);
  } finally {
    expect(await stop(first)).toBe(0);
  }
  await expectNotServing(first.baseUrl);
  const assignments = await database.db.assignment.count();
  expect(assignments, "the demo scenario has assignments").toBeGreaterThan(0);
  const users = await database.db.user.count();

  const second = await npmStart();
  try {
    await expectServing(second.baseUrl);
    expect(second.output()).not.toContain("demo scenario seeded");
  } finally {
    expect(await stop(second)).toBe(0);
  }
  await expectNotServing(second.baseUrl);
  expect(await database.db.assignment.count()).toBe(assignments);
  expect(await database.db.user.count()).toBe(users);

  const timeline = (s: Started) => s.output().split("\n").filter((l) => l.startsWith("[start ")).join("\n  ");
  console.log(
    `npm start until ready: ${(first.ms / 1000).toFixed(1)} s with the demo seed, ${(second.ms / 1000).toFixed(1)} s without\n` +
      `first start:\n  ${timeline(first)}\nsecond start:\n  ${timeline(second)}`,
  );
}, 90_000);

/** The web processes (app/cli/web-worker.ts) under a started app's process tree. */
function webWorkers(root: number): number[] {
  const ps = execFileSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" });
  const procs = ps.split("\n").map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null).map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (tree.has(p.ppid) && !tree.has(p.pid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return procs.filter((p) => tree.has(p.pid) && p.args.includes("web-worker")).map((p) => p.pid);
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("npm start serves from WEB_CONCURRENCY web processes, replaces one that dies, and every process shows the captured mail", async () => {
  const app = await npmStart({ WEB_CONCURRENCY: "2", SMTP_PORT: "0" });
  let workers: number[] = [];
  try {
    expect(app.output()).toContain("2 web processes");
    const first = webWorkers(app.child.pid!);
    expect(first).toHaveLength(2);

    // The demo's notifications go out as mail through the primary's capture; an administrator
    // reads them on /utveckling/e-post, whichever web process answers.
    const form = new URLSearchParams({ email: "admin@demo.lansstyrelsen.se", password: DEMO_PASSWORD, redirectTo: "/" });
    const signIn = await fetch(`${app.baseUrl}/logga-in`, { method: "POST", body: form, redirect: "manual", headers: { Origin: app.baseUrl } });
    expect(signIn.status).toBe(302);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0];
    const mailPages = await until("captured mail on every request", async () => {
      const pages = await Promise.all(Array.from({ length: 6 }, () => fetch(`${app.baseUrl}/utveckling/e-post`, { headers: { cookie } }).then(async (r) => ({ status: r.status, html: await r.text() }))));
      return pages.every((p) => p.status === 200 && !p.html.includes("Ingen e-post har fångats")) ? pages : undefined;
    });
    expect(mailPages.length).toBe(6);

    // A web process that crashes is replaced; the site keeps answering meanwhile.
    process.kill(first[0], "SIGKILL");
    const replaced = await until("a replacement web process", () => {
      const now = webWorkers(app.child.pid!);
      return now.length === 2 && !now.includes(first[0]) ? now : undefined;
    });
    expect(replaced).toContain(first[1]);
    await expectServing(app.baseUrl);
    workers = replaced;
  } finally {
    expect(await stop(app)).toBe(0);
  }
  await expectNotServing(app.baseUrl);
  // No web process outlives the app (an orphan would have moved out of its process tree).
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  expect(workers.filter(alive)).toEqual([]);
}, 90_000);
