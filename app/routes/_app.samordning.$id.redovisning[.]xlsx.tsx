// GET /samordning/:id/redovisning.xlsx: the redovisning workbook, streamed as it is written.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireReportScope } from "~/access/permissions.server";
import { parseReportFilter } from "~/reports/overview.server";
import { exportRedovisning, redovisningFileName } from "~/reports/redovisning.server";
import { streamedDownload, XLSX } from "~/reports/http.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const { assignment, boardIds } = await requireReportScope(db(), user, params.id ?? "");
  const { filter } = await parseReportFilter(db(), new URL(request.url), assignment.id, boardIds);
  return streamedDownload(redovisningFileName(assignment.reference), XLSX, (out) => exportRedovisning(out, { ...filter, exportedBy: user.name }));
};
