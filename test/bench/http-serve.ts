// The production server alone, for the HTTP benchmark: the same Express app and
// Remix build that `npm start` serves, on DATABASE_URL, in its own process so
// the load generator never shares its event loop. Prints "listening <port>".
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { startHttpServer } from "../../app/http-server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
const server = await startHttpServer({ build, port: Number(process.env.PORT ?? 0), root, host: "127.0.0.1" });
console.log(`listening ${server.port}`);
process.on("SIGTERM", () => {
  server.server.closeAllConnections();
  void server.close().then(() => process.exit(0));
});
