// tsx test/bench/workflow-profile.ts — where one approval's CPU goes, one at a time.
//
// Starts its own embedded PostgreSQL with pg_stat_statements, presents PROFILE_N
// applications through the engine, then approves them one at a time on a pool of
// one connection and prints: Node CPU per approval (process.cpuUsage), the
// backend's CPU per approval (/proc), and pg_stat_statements' execution time per
// statement (triggers included in the statement that fires them; deferred
// constraint triggers land on COMMIT). PROFILE_ROUNDS repeats the measurement
// (A/B comparisons are steadier over several rounds). Run with
// PROFILE_CPU=/some/prefix to write a Node CPU profile of each measured round (prefix.N.cpuprofile).
import os from "node:os";
import path from "node:path";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { Session } from "node:inspector/promises";
import { writeFile } from "node:fs/promises";
import { prepareDatabase } from "../../prisma/setup";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createDb } from "../../app/db.server";
import { sqlOf } from "../../app/sql.server";
import { logger } from "../../app/logger.server";
import { startEmbeddedPostgres } from "../../prisma/postgres";
import { MSEK, T, approve, makeWorld, mapLimit, openCall, presentedApplication } from "./world";

logger.level = "error";
const N = Number(process.env.PROFILE_N ?? 300);
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 1);
const AMOUNT = 100_000n;

async function procCpuMs(pid: number): Promise<number> {
  const f = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** CPU per thread of this process (/proc/self/task), by thread name, in ms. */
async function threadCpu(): Promise<Map<string, number>> {
  const { readdir } = await import("node:fs/promises");
  const out = new Map<string, number>();
  for (const tid of await readdir("/proc/self/task")) {
    try {
      const stat = await readFile(`/proc/self/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.split(") ")[1].split(" ");
      out.set(`${name}#${tid}`, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // gone
    }
  }
  return out;
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "wf-profile-"));
  const server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: false, settings: { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all" } });
  const url = server.url;
  try {
    const admin = new pg.Client({ connectionString: url("postgres") });
    await admin.connect();
    await admin.query("create database prof");
    await admin.end();
    await prepareDatabase(url("prof"), { demo: false });
    const setup = createDb(url("prof"), { max: 8 });
    const stat = new pg.Client({ connectionString: url("prof") });
    await stat.connect();
    await stat.query("create extension if not exists pg_stat_statements");
    const w = await makeWorld(setup, { totalOre: 1_000_000n * MSEK });
    const calls = await mapLimit(Array.from({ length: 20 }), 4, () => openCall(setup, w, { budgetOre: AMOUNT * 10_000n }));
    const warm = 50;
    const ids = await mapLimit(Array.from({ length: warm + N * ROUNDS }), 8, (_, i) => presentedApplication(setup, w, calls[i % calls.length], AMOUNT));
    await setup.$disconnect();
    await stat.query("vacuum analyze");

    const db = createDb(url("prof"), { max: 1 });
    const [{ pid }] = await sqlOf(db).query<{ pid: number }>("select pg_backend_pid() as pid");
    for (const id of ids.slice(0, warm)) await applyWorkflowEvent(db, w.decider, "application", id, approve(AMOUNT), { now: T.assessed });
    if (process.env.PROFILE_THREADS) console.log(`measuring in process ${process.pid}`);
    for (let r = 0; r < ROUNDS; r++) {
      const batch = ids.slice(warm + r * N, warm + (r + 1) * N);
      // PROFILE_ANALYZE=1: fresh statistics before each round (the approvals of earlier rounds grew the tables).
      if (process.env.PROFILE_ANALYZE) await stat.query("analyze");
      await stat.query("select pg_stat_statements_reset()");
      const session = process.env.PROFILE_CPU ? new Session() : undefined;
      if (session) {
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.start");
      }
      const th0 = await threadCpu();
      const pg0 = await procCpuMs(pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const id of batch) await applyWorkflowEvent(db, w.decider, "application", id, approve(AMOUNT), { now: T.assessed });
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const pg1 = await procCpuMs(pid);
      const th1 = await threadCpu();
      if (session) {
        const { profile } = await session.post("Profiler.stop");
        await writeFile(`${process.env.PROFILE_CPU}.${r + 1}.cpuprofile`, JSON.stringify(profile));
        session.disconnect();
      }
      console.log(
        `round ${r + 1}: ${N} approvals, wall ${(wall / N).toFixed(2)} ms, Node CPU ${((c.user + c.system) / 1000 / N).toFixed(2)} ms (user ${(c.user / 1000 / N).toFixed(2)}), backend CPU ${((pg1 - pg0) / N).toFixed(2)} ms`,
      );
      if (process.env.PROFILE_THREADS) {
        const byName = new Map<string, number>();
        for (const [k, v] of th1) {
          const name = k.split("#")[0];
          byName.set(name, (byName.get(name) ?? 0) + v - (th0.get(k) ?? 0));
        }
        console.log(`  Node threads, CPU ms per approval: ${[...byName].filter(([, v]) => v > 0).map(([k, v]) => `${k} ${(v / N).toFixed(2)}`).join(", ")}`);
      }
      const { rows } = await stat.query<{ calls: string; exec: number; plan: number; query: string; toplevel: boolean }>(
        `select calls, toplevel, total_exec_time as exec, total_plan_time as plan, regexp_replace(left(query, 110), '\\s+', ' ', 'g') as query
           from pg_stat_statements where dbid = (select oid from pg_database where datname = 'prof') and query not like '%pg_stat_statements%'
          order by toplevel desc, total_exec_time desc limit 40`,
      );
      let total = 0;
      for (const s of rows) if (s.toplevel) total += s.exec + s.plan;
      console.log(`  pg_stat_statements: Σ of top-level statements ${(total / N).toFixed(3)} ms per approval (nested ones, marked ·, are inside them)`);
      for (const s of rows) console.log(`  ${s.toplevel ? " " : "·"}${((s.exec + s.plan) / N).toFixed(3).padStart(7)} ms  ${String(s.calls).padStart(6)}×  ${s.query}`);
    }
    await stat.end();
    await db.$disconnect();
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
