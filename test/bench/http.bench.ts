// npm run bench:http — the pages officers live in, under load, signed in, with
// a large database: the work queue (/arenden), the case page (/arenden/:id) and
// the budget overview (/uppdrag/:id), each at 20 concurrent users, beside the
// same server's figure for a bare route with one trivial query (/readyz: one
// SELECT on _prisma_migrations), so the ratio shows what the pages cost.
//
// Setup: a throwaway embedded PostgreSQL, migrations + reference data + the demo
// scenario, then BENCH_APPLICATIONS (default 50 000) generated applications
// across all 21 boards (test/bench/dataset.ts, bulk SQL), ANALYZE, the
// production build, and the server in its own process (NODE_ENV=production).
// Load: autocannon, BENCH_CONNECTIONS (20) connections for BENCH_SECONDS (10 s)
// per page after a 2 s warm-up; the case page rotates over 500 cases of the
// officer's board. Goals (issue 5): ≥ 100 requests/s and p95 < 300 ms per page.
// The server runs as `npm start` does: WEB_CONCURRENCY web processes (default one per
// core). Beside each page: the CPU time its requests cost the web processes and
// PostgreSQL's client backends (from /proc), which stays meaningful on a busy machine.
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import pg from "pg";
import { startEmbeddedPostgres } from "../../prisma/postgres";
import { prepareDatabase } from "../../prisma/setup";
import { buildApp, serverBuildIsFresh } from "../../app/cli/build";
import { createSession } from "../../app/auth/session.server";
import { createDb } from "../../app/db.server";
import { generateDataset } from "./dataset";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const APPLICATIONS = env("BENCH_APPLICATIONS", 50_000);
const CONNECTIONS = env("BENCH_CONNECTIONS", 20);
const SECONDS = env("BENCH_SECONDS", 10);
const WARMUP = env("BENCH_WARMUP", 2);
/** BENCH_PAGES=queue,case,overview: measure only these pages (the bare route is always measured, as the yardstick). */
const PAGES = (process.env.BENCH_PAGES ?? "queue,case,overview").split(",").map((s) => s.trim());

/** BENCH_QUERIES=1: log every SQL statement in the server and print, per page, how many it ran and their time. */
const COUNT_QUERIES = process.env.BENCH_QUERIES === "1";
const serverLines: string[] = [];
let webProcesses = "";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const t0 = performance.now();
const say = (msg: string) => console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

type Target = { key: string; label: string; paths: string[]; signedIn: boolean };
type Result = { label: string; requests: number; non2xx: number; errors: number; rps: number; p50: number; p95: number; p99: number; webCpuMs: number; pgCpuMs: number };

type CpuSample = Map<number, number>;

/**
 * CPU time (user + system, ms) per process of a process tree, from /proc (Linux); with
 * `only`, just the processes whose command line matches (PostgreSQL's client backends,
 * not its autovacuum or checkpointer).
 */
function treeCpu(rootPid: number, only?: RegExp): CpuSample {
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      const ppid = Number(f[1]);
      cpu.set(pid, ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: CpuSample = new Map();
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    stack.push(...(children.get(pid) ?? []));
    if (only) {
      try {
        if (!only.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"))) continue;
      } catch {
        continue;
      }
    }
    out.set(pid, cpu.get(pid) ?? 0);
  }
  return out;
}

/** CPU used between two samples: by processes alive in both, and all of any process that started in between. */
function cpuBetween(before: CpuSample, after: CpuSample): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
// A client backend's title names its client: "127.0.0.1(port)" over TCP, "[local]" over the unix socket.
const CLIENT_BACKEND = /127\.0\.0\.1\(\d+\)|\[local\]/;
const CLOCK_TICKS = 100;

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function load(baseUrl: string, target: Target, cookie: string, seconds: number, pids: { web: number; postgres: number }): Promise<Result> {
  const cpu0 = { web: treeCpu(pids.web), pg: treeCpu(pids.postgres, CLIENT_BACKEND) };
  const latencies: number[] = [];
  let next = 0;
  let done!: (r: autocannon.Result) => void;
  let failed!: (e: unknown) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
    url: baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    headers: target.signedIn ? { cookie } : {},
    requests: [
      {
        method: "GET",
        // Rotate over the target's paths so the case page is not one cached row.
        setupRequest: (req) => ({ ...req, path: target.paths[next++ % target.paths.length] }),
      },
    ],
    },
    (error, result) => (error ? failed(error) : done(result)),
  );
  instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await finished;
  const cpu1 = { web: treeCpu(pids.web), pg: treeCpu(pids.postgres, CLIENT_BACKEND) };
  latencies.sort((a, b) => a - b);
  return {
    webCpuMs: cpuBetween(cpu0.web, cpu1.web) / result.requests.total,
    pgCpuMs: cpuBetween(cpu0.pg, cpu1.pg) / result.requests.total,
    label: target.label,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rps: result.requests.total / result.duration,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
  };
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/bench/http-serve.ts")], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      LOG_LEVEL: COUNT_QUERIES ? "debug" : (process.env.LOG_LEVEL ?? "warn"),
      DB_QUERY_LOG: COUNT_QUERIES ? "1" : "0",
      WORKER: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)(.*)/.exec(out);
      if (m) {
        webProcesses = m[2].trim();
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  let partial = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    serverLines.push(...lines);
  });
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-http-"));
  const server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: false });
  let app: ChildProcess | undefined;
  try {
    const url = server.url("postgres");
    say("migrations, reference data and the demo scenario");
    await prepareDatabase(url, { demo: true });
    say(`generating ${APPLICATIONS} applications`);
    const dataset = await generateDataset(url, { applications: APPLICATIONS, seed: 1 });
    // The data set's officer works at every board: the whole generated volume is in their queue.
    const OFFICER = process.env.BENCH_OFFICER ?? dataset.emails.officer;
    const pgc = new pg.Client({ connectionString: url });
    await pgc.connect();
    // A steady state: the bulk load's autovacuum would otherwise run during the measurements.
    await pgc.query("vacuum analyze");
    const counts = await pgc.query<{ apps: string; grants: string }>(`select (select count(*) from "Application")::text as apps, (select count(*) from "Grant")::text as grants`);
    say(`database: ${counts.rows[0].apps} applications, ${counts.rows[0].grants} grants`);

    const db = createDb(url);
    const officer = await db.user.findUniqueOrThrow({ where: { email: OFFICER }, include: { memberships: true } });
    const boardIds = officer.memberships.filter((m) => m.role === "officer").map((m) => m.organizationId);
    const setCookie = await createSession(db, officer.id, new Request("http://127.0.0.1/logga-in"));
    const cookie = setCookie.split(";")[0];
    // 500 cases spread over the boards and states, not the first rows of one board.
    const cases = await pgc.query<{ id: string }>(
      `select id from "Application" where "boardId" = any($1::uuid[]) and state <> 'draft' order by md5(id::text) limit 500`,
      [boardIds],
    );
    const boardApps = await pgc.query<{ n: string }>(`select count(*)::text as n from "Application" where "boardId" = any($1::uuid[]) and state <> 'draft'`, [boardIds]);
    await pgc.end();
    say(`officer ${OFFICER} at ${boardIds.length} boards: ${boardApps.rows[0].n} submitted applications in reach; budget overview of assignment ${dataset.assignmentReference}`);

    if (!serverBuildIsFresh(root)) {
      say("building the app");
      buildApp(root, "pipe");
    }
    const started = await startServer(url);
    app = started.child;

    // CPU per request is counted over the server's process tree (all web processes) and the PostgreSQL server's.
    const pids = { web: app.pid!, postgres: Number(readFileSync(path.join(dir, "pg", "postmaster.pid"), "utf8").split("\n")[0]) };
    const targets: Target[] = [
      { key: "bare", label: "bare route (/readyz, 1 query)", paths: ["/readyz"], signedIn: false },
      { key: "queue", label: "work queue (/arenden)", paths: ["/arenden", "/arenden?sida=2", "/arenden?q=trygg", "/arenden?status=submitted"], signedIn: true },
      { key: "case", label: "case page (/arenden/:id)", paths: cases.rows.map((r) => `/arenden/${r.id}`), signedIn: true },
      { key: "overview", label: "budget overview (/uppdrag/:id)", paths: [`/uppdrag/${dataset.assignmentId}`], signedIn: true },
    ].filter((t) => t.key === "bare" || PAGES.includes(t.key));
    // Each page must answer 200 signed in before it is worth measuring; one request alone shows its unloaded cost.
    for (const target of targets) {
      for (const p of target.paths.slice(0, 4)) {
        const mark = serverLines.length;
        const t = performance.now();
        const res = await fetch(started.baseUrl + p, { headers: target.signedIn ? { cookie } : {}, redirect: "manual" });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
        const ms = performance.now() - t;
        let sql = "";
        if (COUNT_QUERIES) {
          await new Promise((r) => setTimeout(r, 100));
          const queries = serverLines.slice(mark).flatMap((l) => {
            try {
              const j = JSON.parse(l) as { msg?: string; ms?: number; query?: string };
              return j.msg === "query" ? [j] : [];
            } catch {
              return [];
            }
          });
          const slowest = [...queries].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)).slice(0, 3);
          sql = `, ${queries.length} SQL statements, ${queries.reduce((n, q) => n + (q.ms ?? 0), 0)} ms in SQL; slowest: ${slowest.map((q) => `${q.ms} ms ${q.query?.slice(0, 140)}`).join(" | ")}`;
        }
        say(`  alone: ${p.slice(0, 60)} ${ms.toFixed(0)} ms${sql}`);
      }
    }
    if (COUNT_QUERIES) return;
    const results: Result[] = [];
    for (const target of targets) {
      await load(started.baseUrl, target, cookie, WARMUP, pids);
      say(`measuring ${target.label}`);
      results.push(await load(started.baseUrl, target, cookie, SECONDS, pids));
    }

    const bare = results[0].rps;
    const cpu = (v: number) => v.toFixed(1);
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    console.log(`\n${APPLICATIONS} generated applications, ${CONNECTIONS} connections, ${SECONDS} s per page, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; server ${webProcesses}`);
    console.log(`${"page".padEnd(34)}${pad("req/s", 8)}${pad("p50 ms", 8)}${pad("p95 ms", 8)}${pad("p99 ms", 8)}${pad("non-2xx", 9)}${pad("errors", 8)}${pad("÷ bare", 8)}${pad("web CPU ms/req", 16)}${pad("PG CPU ms/req", 15)}`);
    for (const r of results) {
      const ms = (v: number) => (Number.isNaN(v) ? "–" : v.toFixed(0));
      console.log(`${r.label.padEnd(34)}${pad(r.rps.toFixed(0), 8)}${pad(ms(r.p50), 8)}${pad(ms(r.p95), 8)}${pad(ms(r.p99), 8)}${pad(r.non2xx, 9)}${pad(r.errors, 8)}${pad((r.rps / bare).toFixed(2), 8)}${pad(cpu(r.webCpuMs), 16)}${pad(cpu(r.pgCpuMs), 15)}`);
    }
    console.log("");
    for (const r of results.slice(1)) {
      const met = r.rps >= 100 && r.p95 < 300 && r.non2xx === 0 && r.errors === 0;
      console.log(`${met ? "MET    " : "NOT MET"}  ${r.label}: ≥ 100 req/s and p95 < 300 ms, all 200`);
    }
    await db.$disconnect();
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app!.once("exit", resolve));
      app.kill("SIGTERM");
      await exited;
    }
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
