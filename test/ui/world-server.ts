// The production build served by the real HTTP server on a fresh database with
// reference data only (no demo scenario): the pages tests build their own world
// in it (test/access/world.ts), so they depend on nothing but the app itself.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { projectRoot } from "../support/app-server";
import { createTestDatabase } from "../support/db";
import type { TestDatabase } from "../support/db";

export type WorldServer = { baseUrl: string; database: TestDatabase };

export function useWorldServer(): WorldServer {
  const ref = {} as WorldServer;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    // The app's process-wide client (app/db.server.ts) reads this on its first query.
    process.env.DATABASE_URL = database.url;
    const build = (await import(/* @vite-ignore */ pathToFileURL(path.join(projectRoot, "build/index.js")).href)) as ServerBuild;
    const { startHttpServer } = await import("../../app/http-server");
    const server = await startHttpServer({ build, port: 0, root: projectRoot, host: "127.0.0.1" });
    Object.assign(ref, { baseUrl: `http://127.0.0.1:${server.port}`, database });
    close = async () => {
      server.server.closeAllConnections();
      await server.close();
      await database.db.$disconnect();
    };
  }, 180_000);
  afterAll(async () => {
    await close?.();
  });
  return ref;
}
