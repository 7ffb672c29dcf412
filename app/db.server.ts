// The one Prisma client of the app process, on the driver adapter for node-postgres.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { logger } from "./logger.server";

export type Db = PrismaClient;
export type { Prisma } from "./generated/prisma/client";

export function createDb(connectionString: string): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: Number(process.env.DB_POOL_SIZE ?? 10) });
  if (process.env.DB_QUERY_LOG !== "1") return new PrismaClient({ adapter });
  // Every statement with its duration, at debug level: for finding what a slow page costs.
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
