// The web tier on every core (decision 0011). Node runs JavaScript on one core, and
// rendering a page costs more Node CPU than PostgreSQL CPU, so one process leaves a
// core idle. The web server keeps no state of its own (sessions live in the database,
// background jobs in the primary), so WEB_CONCURRENCY copies of it serve the same
// port through node:cluster, exactly as several servers would behind a load balancer.
import cluster, { type Worker } from "node:cluster";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { logger } from "./logger.server";

export type WebServer = { port: number; workers: number; close: () => Promise<void> };

/** WEB_CONCURRENCY, or one web process per core. */
export function webConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WEB_CONCURRENCY;
  if (raw === undefined || raw === "") return Math.max(1, os.availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64, not "${raw}"`);
  return n;
}

/** Stops taking connections, lets running requests finish for up to 5 s, then drops the rest. */
export async function closeGently(server: { server: import("node:http").Server; close: () => Promise<void> }): Promise<void> {
  server.server.closeIdleConnections();
  const timer = setTimeout(() => server.server.closeAllConnections(), 5_000);
  timer.unref();
  await server.close();
  clearTimeout(timer);
}

type Ready = { type: "web-ready"; port: number };
const isReady = (m: unknown): m is Ready => typeof m === "object" && m !== null && (m as { type?: unknown }).type === "web-ready";

/**
 * Serves the Remix build in `root/build` on `port` (0: any free port) with `workers`
 * processes; with one, in this process. Returns once every process is listening.
 */
export async function serveWeb(opts: { root: string; port: number; host?: string; workers?: number }): Promise<WebServer> {
  const workers = opts.workers ?? webConcurrency();
  if (workers <= 1) {
    const build = (await import(pathToFileURL(path.join(opts.root, "build/index.js")).href)) as ServerBuild;
    const { startHttpServer } = await import("./http-server");
    const server = await startHttpServer({ build, port: opts.port, root: opts.root, host: opts.host });
    return { port: server.port, workers: 1, close: () => closeGently(server) };
  }

  // The workers run the same loader flags as this process (tsx), so they can start from TypeScript.
  cluster.setupPrimary({ exec: fileURLToPath(new URL("./cli/web-worker.ts", import.meta.url)) });
  let stopping = false;
  const env = { WEB_ROOT: opts.root, WEB_HOST: opts.host ?? "", WORKER: "0" };
  const fork = (): Promise<{ worker: Worker; port: number }> =>
    new Promise((resolve, reject) => {
      // Every worker asks for the same port, 0 included: the cluster then hands all of them the one it chose.
      const worker = cluster.fork({ ...env, WEB_PORT: String(opts.port) });
      const onExit = (code: number | null) => reject(new Error(`web worker exited with ${code} before it was listening`));
      worker.once("exit", onExit);
      const onMessage = (m: unknown) => {
        if (!isReady(m)) return;
        worker.off("exit", onExit);
        worker.off("message", onMessage);
        resolve({ worker, port: m.port });
      };
      worker.on("message", onMessage);
    });

  const { port } = await fork();
  for (let i = 1; i < workers; i++) await fork();

  cluster.on("exit", (worker, code, signal) => {
    // Stopped on purpose (by us, or by a signal to the process group): not a crash.
    if (stopping || code === 0 || signal === "SIGTERM" || signal === "SIGINT") return;
    // A crashed worker is replaced, so one bad request cannot take the site down.
    logger.error({ pid: worker.process.pid, code, signal }, "web worker died; starting a new one");
    void fork().catch((error: unknown) => logger.error({ err: error }, "could not restart a web worker"));
  });

  return {
    port,
    workers,
    close: async () => {
      stopping = true;
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(
        alive.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              w.once("exit", () => resolve());
              w.disconnect();
            }),
        ),
      );
    },
  };
}
