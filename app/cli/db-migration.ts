// npm run db:migration -- <name>: creates the next migration from the change to schema.prisma.
import os from "node:os";
import path from "node:path";
import { mkdtemp } from "node:fs/promises";
import { createMigration } from "../../prisma/migrator";
import { startEmbeddedPostgres } from "../../prisma/postgres";

const name = process.argv[2];
if (!name) {
  console.error("Usage: npm run db:migration -- <name>");
  process.exit(2);
}
// The schema engine wants a live connection even for a datamodel-to-datamodel diff;
// a throwaway embedded server keeps this command independent of any real database.
const server = await startEmbeddedPostgres({ dir: path.join(await mkdtemp(path.join(os.tmpdir(), "migration-")), "pg"), persistent: false });
try {
  const created = await createMigration(server.url("postgres"), name);
  console.log(
    created
      ? `Created prisma/migrations/${created}/migration.sql. Review it, add CHECK constraints or triggers Prisma cannot express, then run npm run db:migrate.`
      : "schema.prisma has no changes since the last migration.",
  );
} finally {
  await server.stop();
}
