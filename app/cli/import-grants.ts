// npm run import:grants -- <file.xlsx> --user <e-mail of an officer or admin>
// The same import as /samordning/import: all rows or none. On errors it writes
// <file>-fel.xlsx (the same workbook with a "Fel" column) and exits 1.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb } from "../db.server";
import { importGrants } from "../reports/import.server";
import { cliDatabase } from "./app-database";

const USAGE = "Användning: npm run import:grants -- <fil.xlsx> --user <e-postadress till en handläggare eller administratör>";

async function main(): Promise<number> {
  let parsed: { values: { user?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ options: { user: { type: "string" } }, allowPositionals: true });
  } catch (error) {
    console.error(String((error as Error).message), `\n${USAGE}`);
    return 2;
  }
  const file = parsed.positionals[0];
  if (!file || !parsed.values.user) {
    console.error(USAGE);
    return 2;
  }
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) {
    console.error(`Kan inte läsa filen ${file}.`);
    return 2;
  }
  const database = await cliDatabase((m) => console.error(m));
  const db = createDb(database.url);
  try {
    const user = await db.user.findUnique({ where: { email: parsed.values.user.toLowerCase() }, include: { memberships: true } });
    if (!user || !user.active) {
      console.error(`Ingen aktiv användare med e-postadressen ${parsed.values.user}.`);
      return 2;
    }
    const principal = { id: user.id, memberships: user.memberships.map((m) => ({ organizationId: m.organizationId, role: m.role })) };
    const result = await importGrants(db, principal, { name: path.basename(file), bytes });
    if (result.ok) {
      console.log(result.alreadyImported ? "Filen är redan importerad. Inget nytt skapades." : `Klart: ${result.created} ärenden skapades, ${result.skipped} fanns redan.`);
      return 0;
    }
    console.error(result.message);
    for (const e of result.errors) console.error(`  Rad ${e.line}: ${e.messages.join(" ")}`);
    if (result.errorWorkbook.length) {
      const out = file.replace(/\.xlsx$/i, "") + "-fel.xlsx";
      await writeFile(out, result.errorWorkbook);
      console.error(`Filen med kolumnen Fel: ${out}`);
    }
    return 1;
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
