// One web process of the cluster (app/web-cluster.ts): the Remix build behind the
// HTTP server, on the port the primary gave. It tells the primary when it listens
// and stops taking connections when the primary disconnects it.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { startHttpServer } from "../http-server";
import { logger } from "../logger.server";
import { closeGently } from "../web-cluster";

const root = process.env.WEB_ROOT ?? process.cwd();
const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
const server = await startHttpServer({ build, port: Number(process.env.WEB_PORT ?? 0), root, host: process.env.WEB_HOST || undefined });
process.send?.({ type: "web-ready", port: server.port });

process.on("disconnect", () => void closeGently(server).then(() => process.exit(0)));
// The primary decides when the site stops (it also handles Ctrl-C, which reaches the whole group).
process.on("SIGINT", () => logger.debug("web worker: SIGINT left to the primary"));
