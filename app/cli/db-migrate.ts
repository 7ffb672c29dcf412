// npm run db:migrate: applies pending migrations to DATABASE_URL, or to the
// embedded server in .data/ when DATABASE_URL is not set.
import { applyMigrations } from "../../prisma/migrator";
import { appDatabase } from "../../prisma/postgres";

const { url, embedded } = await appDatabase();
try {
  const applied = await applyMigrations(url);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
} finally {
  await embedded?.stop();
}
