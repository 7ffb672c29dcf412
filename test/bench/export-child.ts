// One redovisning export in a process of its own, so its peak RSS is the export's
// alone: `tsx test/bench/export-child.ts <databaseUrl> <assignmentId> <out.xlsx>`
// prints {"seconds":…, "rows":…, "maxRssMb":…} as one JSON line.
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { createDb } from "../../app/db.server";
import { exportRedovisning } from "../../app/reports/redovisning.server";

const [url, assignmentId, file] = process.argv.slice(2);
const db = createDb(url);
const t0 = performance.now();
const out = createWriteStream(file);
const done = finished(out);
const { rows } = await exportRedovisning(db, out, { assignmentId, boardIds: null, year: null, callId: null, exportedBy: "bench:export" }, { databaseUrl: url });
await done;
const seconds = (performance.now() - t0) / 1000;
await db.$disconnect();
console.log(JSON.stringify({ seconds, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
