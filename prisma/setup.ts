// Brings a database up to date: migrations, reference data, and (on an empty
// database, when asked) the demo scenario. Used by `npm start` and the tests.
import { applyMigrations } from "./migrator";
import { createDb } from "../app/db.server";
import { seedReferenceData } from "./seed/reference";

export async function prepareDatabase(url: string, opts: { demo: boolean; log?: (msg: string) => void }): Promise<{ applied: string[]; seededDemo: boolean }> {
  const log = opts.log ?? (() => {});
  const applied = await applyMigrations(url);
  if (applied.length) log(`applied migrations: ${applied.join(", ")}`);
  const db = createDb(url);
  try {
    await seedReferenceData(db);
    let seededDemo = false;
    if (opts.demo && (await db.assignment.count()) === 0) {
      const { seedDemo } = await import("./seed/demo");
      await seedDemo(db);
      seededDemo = true;
    }
    return { applied, seededDemo };
  } finally {
    await db.$disconnect();
  }
}
