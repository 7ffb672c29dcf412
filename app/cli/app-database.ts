// The database for a command-line tool, the same one `npm start` uses, whether the
// app is running or not: DATABASE_URL when set; otherwise the embedded server in
// .data/pg: if `npm start` is running it (its postmaster holds the folder's lock),
// connect to it; if not, start it here (migrations and, on an empty database, the
// demo scenario, as `npm start` would) and stop it again when done.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { appDatabase, embeddedUrl } from "../../prisma/postgres";
import { prepareDatabase } from "../../prisma/setup";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function cliDatabase(log: (m: string) => void = () => {}): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  // The same owner credentials prisma/postgres.ts gives the embedded cluster.
  const running = embeddedUrl(port, "utvecklingsmedel");
  if (existsSync(path.join(root, ".data/pg/postmaster.pid")) && (await answers(running))) {
    log("using the embedded database of the running app (.data/pg)");
    return { url: running, stop: async () => {} };
  }
  log("starting the embedded database in .data/pg…");
  const { url, embedded } = await appDatabase();
  await prepareDatabase(url, { demo: process.env.DEMO_DATA !== "0", log });
  return { url, stop: async () => void (await embedded?.stop()) };
}
