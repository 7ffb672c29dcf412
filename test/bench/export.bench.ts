// npm run bench:export [-- --sizes 10000,100000[,1000000]]
// The redovisning export end to end on generated data (test/bench/dataset.ts):
// for N grants (with instalments, final reports, results and reclaims across the
// 21 boards) it runs the whole workbook export in a separate process and prints
// seconds and peak RSS, beside the time PostgreSQL itself needs to hand over the
// same rows (COPY … TO STDOUT through psql, from the same starting point: the
// facts not yet computed), so the ratio shows what the export layer costs.
// Goals (issue 6): 100 000 grants in < 10 s and < 300 MB peak RSS.
import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import { ensureDatabase, startEmbeddedPostgres } from "../../prisma/postgres";
import { prepareDatabase } from "../../prisma/setup";
import type { ReportFilter, SqlText } from "../../app/reports/figures.server";
import { exportSetupSql } from "../../app/reports/source.server";
import { redovisningReadsSql } from "../../app/reports/workbook.server";
import { generateDataset } from "./dataset";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { values } = parseArgs({ options: { sizes: { type: "string", default: "10000,100000" } } });
const sizes = values.sizes!.split(",").map(Number);
/** About 70 % of generated applications become grants. */
const GRANT_SHARE = 0.7;

/** The SQL with its parameters written in as literals (psql takes no bind parameters). */
function inline(sql: SqlText): string {
  return sql.text.replace(/\$(\d+)(::[a-z[\]]+)?/g, (_m, n: string, cast: string | undefined) => {
    const v = sql.values[Number(n) - 1];
    const literal = v === null ? "NULL" : Array.isArray(v) ? `'{${v.join(",")}}'` : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
    return literal + (cast ?? "");
  });
}

/**
 * PostgreSQL's own time for the export's work, from the same starting point (no facts yet):
 * the export's own setup statements (snapshot, settings, facts table), then every read the
 * workbook makes as COPY … TO STDOUT, in one psql session that stops at the first error.
 * Returns seconds and the number of rows handed over, which must match the export's (plus one
 * row per board, per kind of recipient and the counts). One session, one statement after the
 * other: the export itself overlaps two connections with Node's own work.
 */
async function copyYardstick(url: string, setup: SqlText[], reads: SqlText[]): Promise<{ seconds: number; rows: number }> {
  // Statements keep their line breaks: the SQL has `--` comments.
  const args = [url, "-X", "-q", "-v", "ON_ERROR_STOP=1"];
  for (const sql of setup) args.push("-c", inline(sql));
  for (const sql of reads) args.push("-c", `COPY (${inline(sql)}) TO STDOUT`);
  args.push("-c", "rollback");
  const t0 = performance.now();
  const child = spawn("psql", args, { stdio: ["ignore", "pipe", "pipe"] });
  // Counted as they arrive, not kept: a million grants are a gigabyte of text.
  let rows = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`COPY yardstick failed (psql exit ${code}): ${stderr}`);
  return { seconds: (performance.now() - t0) / 1000, rows };
}

/**
 * CPU seconds (user + system) of the PostgreSQL server `postmaster` and its processes so far: the
 * live ones' own and the ended ones' (a backend's time goes to the postmaster's children total
 * when it exits). On a shared machine CPU per export is steadier than its wall time.
 */
function postgresCpuSeconds(postmaster: number): number {
  const ticks = 100; // USER_HZ
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pid) === postmaster) total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      else if (Number(f[1]) === postmaster) total += Number(f[11]) + Number(f[12]);
    } catch {
      // ended meanwhile
    }
  }
  return total / ticks;
}

const dir = await mkdtemp(path.join(os.tmpdir(), "bench-export-"));
const server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: false });
try {
  await ensureDatabase(server.url("postgres"), "bench");
  const url = server.url("bench");
  await prepareDatabase(url, { demo: false });
  console.log(`PostgreSQL embedded in ${dir}; ${os.cpus().length} cores; Node ${process.version}\n`);
  const results: string[] = [];
  for (const [i, grants] of sizes.entries()) {
    const applications = Math.ceil(grants / GRANT_SHARE);
    process.stdout.write(`generating ${applications.toLocaleString("sv-SE")} applications… `);
    const ds = await generateDataset(url, { applications, seed: 100 + i });
    console.log(`${ds.counts.grants.toLocaleString("sv-SE")} grants, ${ds.counts.disbursements.toLocaleString("sv-SE")} instalments, ${ds.counts.reclaims.toLocaleString("sv-SE")} reclaims in ${ds.seconds.toFixed(1)} s`);
    const filter: ReportFilter = { assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null };
    const today = new Date().toISOString().slice(0, 10);
    const file = path.join(dir, `redovisning-${grants}.xlsx`);
    const postmaster = Number(readFileSync(path.join(dir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    const pgCpu0 = postgresCpuSeconds(postmaster);
    const child = await run(path.join(root, "node_modules/.bin/tsx"), ["test/bench/export-child.ts", url, ds.assignmentId, file], { cwd: root, maxBuffer: 1024 ** 2 });
    const r = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { seconds: number; rows: number; maxRssMb: number; cpuSeconds: number };
    const pgCpu = postgresCpuSeconds(postmaster) - pgCpu0;
    const size = (await stat(file)).size / 1024 ** 2;
    const copy = await copyYardstick(url, exportSetupSql(filter, today), redovisningReadsSql(filter, today));
    const line =
      `${ds.counts.grants.toLocaleString("sv-SE").padStart(11)} grants | ${r.rows.toLocaleString("sv-SE").padStart(11)} rows | export ${r.seconds.toFixed(1).padStart(6)} s | ` +
      `peak RSS ${r.maxRssMb.toFixed(0).padStart(4)} MB | file ${size.toFixed(1).padStart(6)} MB | CPU Node ${r.cpuSeconds.toFixed(1)} s, PostgreSQL ${pgCpu.toFixed(1)} s | ` +
      `COPY ${copy.seconds.toFixed(1).padStart(5)} s (${copy.rows.toLocaleString("sv-SE")} rows) | ratio ${(r.seconds / copy.seconds).toFixed(1)}× | load ${os.loadavg()[0].toFixed(1)}`;
    console.log(line);
    results.push(line);
    await rm(file, { force: true });
  }
  console.log(`\nSummary\n${results.join("\n")}`);
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
