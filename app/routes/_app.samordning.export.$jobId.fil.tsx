// GET /samordning/export/:jobId/fil: the finished file of one's own background export.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadStream } from "node:fs";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { notFound } from "~/access/permissions.server";
import { requireOwnExportJob } from "~/reports/export-jobs.server";
import { redovisningFileName } from "~/reports/redovisning.server";
import { attachmentHeaders, XLSX } from "~/reports/http.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const job = await requireOwnExportJob(db(), user, params.jobId ?? "");
  if (job.status !== "done" || !job.filePath) throw notFound();
  const p = job.params as { assignmentId: string };
  const assignment = await db().assignment.findUnique({ where: { id: p.assignmentId }, select: { reference: true } });
  return new Response(createReadableStreamFromReadable(createReadStream(job.filePath)), {
    headers: attachmentHeaders(redovisningFileName(assignment?.reference ?? "uppdrag", job.createdAt), XLSX),
  });
};
