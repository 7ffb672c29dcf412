// One redovisning export in a process of its own, so its peak RSS is the export's
// alone (it loads the export's modules only: no Prisma, no app): `tsx test/bench/export-child.ts <databaseUrl> <assignmentId> <out.xlsx>`
// prints {"seconds":…, "rows":…, "maxRssMb":…, "cpuSeconds":…} as one JSON line.
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
const usage = process.resourceUsage();
// Node's own CPU time beside the wall time: what the export layer costs on a shared machine.
console.log(JSON.stringify({ seconds, rows, maxRssMb: usage.maxRSS / 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
