// One redovisning export in a process of its own, so its peak RSS is the export's
// alone (it loads the export's modules only: no Prisma, no app): `tsx test/bench/export-child.ts <databaseUrl> <assignmentId> <out.xlsx>`
// prints {"seconds":…, "rows":…, "maxRssMb":…} as one JSON line.
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { exportRedovisning } from "../../app/reports/redovisning.server";

const [url, assignmentId, file] = process.argv.slice(2);
const t0 = performance.now();
const out = createWriteStream(file);
const done = finished(out);
const { rows } = await exportRedovisning(out, { assignmentId, boardIds: null, year: null, callId: null, exportedBy: "bench:export" }, { databaseUrl: url });
await done;
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
