// tsx test/bench/workflow-ab.ts <refA> <refB> — Node and PostgreSQL CPU per approval of two versions
// of the engine, measured in ONE process, in alternating blocks (A B, B A, A B …).
//
// On a machine shared with other work, separate runs of workflow-profile.ts move by 30 % and more
// between runs of the same code; here both versions meet the same noise, block by block, so the
// per-block ratio B/A is the figure to read. Each ref (a commit, a branch, or "." for the working
// tree) is exported with `git archive` (except ".") and bundled with esbuild, so each version has its
// own engine, SQL pool and statecharts; packages (pg, xstate) are shared. Each side approves on its
// own pool of one connection, so its backend's CPU is its own (/proc). AB_BLOCK approvals per block
// (default 100), AB_BLOCKS pairs (default 24), AB_WARM approvals per side first (default 200).
// AB_CLIENTS (default 1): concurrent clients per side, each side on a pool of that many connections
// (as bench:workflow's 16); backend CPU is then the sum over that side's connections.
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import pg from "pg";
import { prepareDatabase } from "../../prisma/setup";
import { createDb } from "../../app/db.server";
import { logger } from "../../app/logger.server";
import { startEmbeddedPostgres } from "../../prisma/postgres";
import { MSEK, T, approve, makeWorld, mapLimit, openCall, presentedApplication } from "./world";

logger.level = "error";
const BLOCK = Number(process.env.AB_BLOCK ?? 100);
const BLOCKS = Number(process.env.AB_BLOCKS ?? 24);
const WARM = Number(process.env.AB_WARM ?? 200);
const CLIENTS = Number(process.env.AB_CLIENTS ?? 1);
const AMOUNT = 100_000n;
const root = path.resolve(import.meta.dirname, "../..");
const refs = process.argv.slice(2);
if (refs.length !== 2) throw new Error("usage: tsx test/bench/workflow-ab.ts <refA> <refB>   (\".\" is the working tree)");

type Engine = {
  applyWorkflowEvent: (db: object, user: unknown, kind: "application", id: string, body: unknown, opts: unknown) => Promise<unknown>;
  SqlPool: new (url: string, max: number) => { query<T>(text: string): Promise<T[]>; end(): Promise<void> };
  attachSql: (db: object, pool: unknown) => void;
  logger: { level: string };
};

/** The engine of `ref`, bundled into this tree's node_modules/.cache so that its packages resolve here. */
async function bundle(ref: string, side: string, work: string): Promise<Engine> {
  let dir = root;
  if (ref !== ".") {
    dir = path.join(work, side);
    await mkdir(dir, { recursive: true });
    execFileSync("sh", ["-c", `git archive ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(dir)}`], { cwd: root });
    await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    await cp(path.join(root, "app/generated"), path.join(dir, "app/generated"), { recursive: true });
  }
  const entry = path.join(dir, `ab-entry-${side}.ts`);
  await writeFile(entry, `export { applyWorkflowEvent } from "~/workflow/engine.server";\nexport { SqlPool, attachSql } from "~/sql.server";\nexport { logger } from "~/logger.server";\n`);
  const out = path.join(root, "node_modules/.cache/workflow-ab", `${side}.mjs`);
  try {
    execFileSync(path.join(root, "node_modules/.bin/esbuild"), [entry, "--bundle", "--platform=node", "--format=esm", "--packages=external", `--outfile=${out}`, "--log-level=warning"], { cwd: dir });
  } finally {
    await rm(entry);
  }
  const engine = (await import(`${out}?${Date.now()}`)) as Engine;
  engine.logger.level = "error"; // its own copy of the logger
  return engine;
}

async function procCpuMs(pid: number): Promise<number> {
  const f = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}
const median = (x: number[]) => {
  const y = [...x].sort((a, b) => a - b);
  return y.length % 2 ? y[(y.length - 1) / 2] : (y[y.length / 2 - 1] + y[y.length / 2]) / 2;
};
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;

/** The URL with an application_name, to find the side's backends in pg_stat_activity. */
function withApplicationName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set("application_name", name);
  return u.toString();
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), "wf-ab-"));
  const engines = { A: await bundle(refs[0], "A", work), B: await bundle(refs[1], "B", work) };
  const server = await startEmbeddedPostgres({ dir: path.join(work, "pg"), persistent: false });
  const url = server.url;
  const pools: { end(): Promise<void> }[] = [];
  try {
    const admin = new pg.Client({ connectionString: url("postgres") });
    await admin.connect();
    await admin.query("create database ab");
    await admin.end();
    await prepareDatabase(url("ab"), { demo: false });
    const setup = createDb(url("ab"), { max: 8 });
    const w = await makeWorld(setup, { totalOre: 1_000_000n * MSEK });
    const calls = await mapLimit(Array.from({ length: 20 }), 4, () => openCall(setup, w, { budgetOre: AMOUNT * 100_000n }));
    const ids = await mapLimit(Array.from({ length: 2 * WARM + 2 * BLOCK * BLOCKS }), 8, (_, i) => presentedApplication(setup, w, calls[i % calls.length], AMOUNT));
    await setup.$disconnect();
    const stat = new pg.Client({ connectionString: url("ab") });
    await stat.connect();
    await stat.query("vacuum analyze");
    const sides = {} as Record<"A" | "B", { db: object; pids: number[] }>;
    for (const s of ["A", "B"] as const) {
      const db = {};
      const pool = new engines[s].SqlPool(withApplicationName(url("ab"), `ab${s}`), CLIENTS);
      pools.push(pool);
      engines[s].attachSql(db, pool);
      sides[s] = { db, pids: [] };
    }
    let next = 0;
    const approveMany = async (s: "A" | "B", n: number) => {
      const end = next + n;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < end) await engines[s].applyWorkflowEvent(sides[s].db, w.decider, "application", ids[next++], approve(AMOUNT), { now: T.assessed });
        }),
      );
    };
    const backendCpu = async (s: "A" | "B") => {
      let sum = 0;
      for (const pid of sides[s].pids) sum += await procCpuMs(pid).catch(() => 0);
      return sum;
    };
    await approveMany("A", WARM);
    await approveMany("B", WARM);
    await stat.query("analyze");
    // Each side's backends: the connections its pool opened (named after the side; they stay open, as
    // the pool is never idle for its 10 s timeout during the measurement).
    for (const s of ["A", "B"] as const) {
      const { rows } = await stat.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = $1`, [`ab${s}`]);
      sides[s].pids = rows.map((r) => r.pid);
    }
    const got = { A: { node: [] as number[], pg: [] as number[] }, B: { node: [] as number[], pg: [] as number[] } };
    for (let b = 0; b < BLOCKS; b++) {
      for (const s of b % 2 ? (["B", "A"] as const) : (["A", "B"] as const)) {
        const pg0 = await backendCpu(s);
        const c0 = process.cpuUsage();
        await approveMany(s, BLOCK);
        const c = process.cpuUsage(c0);
        got[s].node.push((c.user + c.system) / 1000 / BLOCK);
        got[s].pg.push(((await backendCpu(s)) - pg0) / BLOCK);
      }
      if (b % 4 === 3) await stat.query("analyze"); // the tables grow: keep the plans' statistics current for both
    }
    await stat.end();
    for (const s of ["A", "B"] as const) {
      console.log(`${s} (${refs[s === "A" ? 0 : 1]}): per approval, Node CPU median ${median(got[s].node).toFixed(3)} ms (mean ${mean(got[s].node).toFixed(3)}), backend CPU median ${median(got[s].pg).toFixed(3)} ms (mean ${mean(got[s].pg).toFixed(3)})`);
    }
    const nodeRatio = got.B.node.map((x, i) => x / got.A.node[i]);
    const pgRatio = got.B.pg.map((x, i) => x / got.A.pg[i]);
    console.log(`B/A per block pair (${BLOCKS} pairs of ${BLOCK}, ${CLIENTS} client${CLIENTS > 1 ? "s" : ""} per side): Node CPU median ${median(nodeRatio).toFixed(3)}, backend CPU median ${median(pgRatio).toFixed(3)}`);
    console.log(`  Node ratios: ${nodeRatio.map((x) => x.toFixed(2)).join(" ")}`);
  } finally {
    for (const p of pools) await p.end().catch(() => {});
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
