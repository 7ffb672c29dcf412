// The production web tier alone, for the HTTP benchmark: the same Express app,
// Remix build and cluster of web processes that `npm start` serves (WEB_CONCURRENCY,
// default one per core), on DATABASE_URL, in its own process so the load generator
// never shares its event loop. Prints "listening <port>".
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveWeb } from "../../app/web-cluster";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const web = await serveWeb({ root, port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
console.log(`listening ${web.port} with ${web.workers} web ${web.workers === 1 ? "process" : "processes"}`);
process.on("SIGTERM", () => void web.close().then(() => process.exit(0)));
