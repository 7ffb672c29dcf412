// npm run export:redovisning against a real database (DATABASE_URL): the file it
// writes is the same workbook, found by the assignment's reference; bad arguments
// and unknown assignments are refused with a message and a non-zero exit code.
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { projectRoot } from "../support/app-server";
import { generateDataset } from "../bench/dataset";
import { databaseTruth } from "./truth";

const run = promisify(execFile);
const t = useTestDatabase();
let dir: string;

async function cli(args: string[]) {
  try {
    const r = await run(path.join(projectRoot, "node_modules/.bin/tsx"), ["app/cli/export-redovisning.ts", ...args], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: t.url } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  await generateDataset(t.url, { applications: 150, seed: 5 });
  dir = await mkdtemp(path.join(os.tmpdir(), "cli-export-"));
}, 120_000);

describe("npm run export:redovisning", () => {
  it("writes the workbook for an assignment given by its reference", async () => {
    const out = path.join(dir, "bench.xlsx");
    const r = await cli(["--assignment", "BENCH-5", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^BENCH-5: [\d\s]+ rader skrivna till /);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const assignment = await t.db.assignment.findUniqueOrThrow({ where: { reference: "BENCH-5" } });
    const truth = await databaseTruth(t.db, assignment.id);
    expect(wb.getWorksheet("Beviljade ansökningar")!.rowCount - 2).toBe(Number(truth.grants));
    expect(wb.getWorksheet("Om rapporten")!.getColumn(2).values).toContainEqual(expect.stringMatching(/^Kommandoraden \(/));
  }, 60_000);

  it("refuses missing arguments and unknown assignments", async () => {
    const missing = await cli(["--out", path.join(dir, "x.xlsx")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Användning: npm run export:redovisning");
    const unknown = await cli(["--assignment", "FINNS-INTE", "--out", path.join(dir, "y.xlsx")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Hittade inget uppdrag med id eller diarienummer "FINNS-INTE"');
  }, 60_000);
});
