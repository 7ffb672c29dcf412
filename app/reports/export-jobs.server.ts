// Large exports in the background: the request creates an ExportJob row and
// returns at once; the workbook is written to a file in the same process while
// the job row records progress (rows written of rows in total), and the job page
// shows progress and then a link to the file. The writer streams, so a million
// rows use no more memory than a thousand.
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import type { Db } from "~/db.server";
import type { Principal } from "~/access/permissions.server";
import { isUuid, notFound } from "~/access/permissions.server";
import { logger } from "~/logger.server";
import { exportRedovisning } from "./redovisning.server";
import type { ReportFilter } from "./figures.server";

export const EXPORT_KIND = "redovisning";

export function exportDir(): string {
  return process.env.EXPORT_DIR ?? path.join(process.cwd(), ".data", "exports");
}

type JobParams = ReportFilter & { exportedBy: string };

/** Records the job and starts it; returns its id at once. */
export async function startExportJob(db: Db, user: Principal, params: JobParams, opts: { databaseUrl?: string } = {}): Promise<string> {
  const job = await db.exportJob.create({ data: { kind: EXPORT_KIND, params: params as never, requestedById: user.id, status: "queued" } });
  void runExportJob(db, job.id, opts).catch((error: unknown) => logger.error({ err: error, jobId: job.id }, "export job crashed"));
  return job.id;
}

export async function runExportJob(db: Db, jobId: string, opts: { databaseUrl?: string } = {}): Promise<void> {
  const job = await db.exportJob.findUniqueOrThrow({ where: { id: jobId } });
  const params = job.params as unknown as JobParams;
  const dir = exportDir();
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${job.id}.xlsx`);
  await db.exportJob.update({ where: { id: jobId }, data: { status: "running" } });
  let lastWrite = 0;
  try {
    const out = createWriteStream(file);
    const done = finished(out);
    await exportRedovisning(out, params, {
      databaseUrl: opts.databaseUrl,
      onProgress: async (rowsDone, rowsTotal) => {
        // Progress is for people: a write a second at most.
        if (Date.now() - lastWrite < 1000 && rowsDone < rowsTotal) return;
        lastWrite = Date.now();
        await db.exportJob.update({ where: { id: jobId }, data: { rowsDone, rowsTotal } });
      },
    });
    await done;
    const total = await db.exportJob.findUniqueOrThrow({ where: { id: jobId }, select: { rowsTotal: true, rowsDone: true } });
    await db.exportJob.update({ where: { id: jobId }, data: { status: "done", filePath: file, finishedAt: new Date(), rowsDone: total.rowsTotal ?? total.rowsDone } });
  } catch (error) {
    logger.error({ err: error, jobId }, "export job failed");
    await rm(file, { force: true });
    await db.exportJob.update({ where: { id: jobId }, data: { status: "failed", error: "Exporten misslyckades. Försök igen, eller kontakta support om felet består.", finishedAt: new Date() } });
  }
}

/** The user's own job, or 404: a job id from someone else leaks nothing. */
export async function requireOwnExportJob(db: Db, user: Principal, jobId: string) {
  if (!isUuid(jobId)) throw notFound();
  const job = await db.exportJob.findFirst({ where: { id: jobId, requestedById: user.id, kind: EXPORT_KIND } });
  if (!job) throw notFound();
  return job;
}
