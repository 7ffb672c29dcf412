// The real app for a test file: its own database (migrations, reference data, demo scenario),
// the production build (made once per run by the global setup), and the Express server on a free port.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { prepareDatabase } from "../../prisma/setup";
import { demoUsers } from "../../prisma/seed/demo-users";
import { createTestDatabase, type TestDatabase } from "./db";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type AppServer = { baseUrl: string; database: TestDatabase; close: () => Promise<void> };

/** Migrations, reference data and the demo scenario, as `npm start` prepares a database. */
async function prepareAppDatabase(database: TestDatabase): Promise<void> {
  await prepareDatabase(database.url, { demo: true });
  const found = await database.db.user.count({ where: { email: { in: demoUsers.map((u) => u.email) } } });
  if (found !== demoUsers.length) throw new Error(`The demo seed created ${found} of the ${demoUsers.length} demo users in prisma/seed/demo-users.ts`);
}

// ---------------------------------------------------------------------------------------------
// Server

/** Starts the app on 127.0.0.1 and a free port, on a fresh database with the demo scenario. */
export async function startAppServer(): Promise<AppServer> {
  const database = await createTestDatabase();
  await prepareAppDatabase(database);
  // The app's process-wide client (app/db.server.ts) reads this on its first query.
  process.env.DATABASE_URL = database.url;
  // The production build is made once per run, by test/support/global-setup.ts.
  const build = (await import(/* @vite-ignore */ pathToFileURL(path.join(projectRoot, "build/index.js")).href)) as ServerBuild;
  const { startHttpServer } = await import("../../app/http-server");
  const server = await startHttpServer({ build, port: 0, root: projectRoot, host: "127.0.0.1" });
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    database,
    close: async () => {
      server.server.closeAllConnections();
      await server.close();
      await database.db.$disconnect();
    },
  };
}

/** The app for this test file: started before its tests, stopped after. */
export function useAppServer(): AppServer {
  const ref = {} as AppServer;
  beforeAll(async () => {
    Object.assign(ref, await startAppServer());
  }, 180_000);
  afterAll(async () => {
    await ref.close?.();
  });
  return ref;
}
