// The one Prisma client of the app process, on the driver adapter for node-postgres.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { logger } from "./logger.server";
import { SqlPool, attachSql } from "./sql.server";

export type Db = PrismaClient;
export type { Prisma } from "./generated/prisma/client";

export function createDb(connectionString: string, opts: { max?: number } = {}): PrismaClient {
  const max = opts.max ?? Number(process.env.DB_POOL_SIZE ?? 10);
  const adapter = new PrismaPg({ connectionString, max });
  const client = process.env.DB_QUERY_LOG === "1" ? loggingClient(adapter) : new PrismaClient({ adapter });
  // The plain-SQL pool beside it (app/sql.server.ts) closes with it.
  const sql = new SqlPool(connectionString, max);
  attachSql(client, sql);
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await sql.end();
    await disconnect();
  };
  return client;
}

/** Every statement with its duration, at debug level: for finding what a slow page costs. */
function loggingClient(adapter: PrismaPg): PrismaClient {
  const client = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  client.$on("query", (e) => logger.debug({ ms: e.duration, query: e.query.slice(0, 500) }, "query"));
  return client;
}

let client: PrismaClient | undefined;

/** The process-wide client, created on first use from DATABASE_URL. */
export function db(): PrismaClient {
  if (!client) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides it");
    client = createDb(url);
  }
  return client;
}
