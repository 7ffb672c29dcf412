// npm run export:redovisning -- --assignment <id or reference> --out <file.xlsx> [--year 2020] [--call <id>]
// Writes the same redovisning workbook as "Exportera redovisning" on /samordning
// (every board), streamed to the file, from DATABASE_URL or the embedded database
// (running with the app or not: see app-database.ts).
import { createWriteStream } from "node:fs";
import os from "node:os";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { createDb } from "../db.server";
import { isUuid } from "../access/permissions.server";
import { exportRedovisning } from "../reports/redovisning.server";
import { cliDatabase } from "./app-database";

const USAGE = "Användning: npm run export:redovisning -- --assignment <id eller diarienummer> --out <fil.xlsx> [--year <år>] [--call <utlysningens id>]";

async function main(): Promise<number> {
  let values: { assignment?: string; out?: string; year?: string; call?: string };
  try {
    ({ values } = parseArgs({ options: { assignment: { type: "string" }, out: { type: "string" }, year: { type: "string" }, call: { type: "string" } } }));
  } catch (error) {
    console.error(String((error as Error).message), `\n${USAGE}`);
    return 2;
  }
  if (!values.assignment || !values.out) {
    console.error(USAGE);
    return 2;
  }
  if (values.year && !/^\d{4}$/.test(values.year)) {
    console.error(`--year ska vara ett år med fyra siffror, inte "${values.year}".`);
    return 2;
  }
  if (values.call && !isUuid(values.call)) {
    console.error(`--call ska vara en utlysnings id (uuid), inte "${values.call}".`);
    return 2;
  }
  const database = await cliDatabase((m) => console.error(m));
  const db = createDb(database.url);
  try {
    const key = values.assignment;
    const assignment = await db.assignment.findFirst({ where: isUuid(key) ? { id: key } : { reference: key }, select: { id: true, reference: true, title: true } });
    if (!assignment) {
      console.error(`Hittade inget uppdrag med id eller diarienummer "${key}".`);
      return 1;
    }
    const t0 = Date.now();
    const out = createWriteStream(values.out);
    const done = finished(out);
    const { rows } = await exportRedovisning(
      out,
      { assignmentId: assignment.id, boardIds: null, year: values.year ? Number(values.year) : null, callId: values.call ?? null, exportedBy: `Kommandoraden (${os.userInfo().username})` },
      { databaseUrl: database.url },
    );
    await done;
    console.log(`${assignment.reference}: ${rows.toLocaleString("sv-SE")} rader skrivna till ${values.out} på ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
