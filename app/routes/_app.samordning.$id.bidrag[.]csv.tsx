// GET /samordning/:id/bidrag.csv?format=excel|standard: the grant rows as CSV (Swedish Excel or comma-separated).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireReportScope } from "~/access/permissions.server";
import { parseReportFilter } from "~/reports/overview.server";
import { redovisningFileName } from "~/reports/redovisning.server";
import { writeGrantsCsv } from "~/reports/opendata.server";
import { streamedDownload } from "~/reports/http.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const { assignment, boardIds } = await requireReportScope(db(), user, params.id ?? "");
  const url = new URL(request.url);
  const { filter } = await parseReportFilter(db(), url, assignment.id, boardIds);
  const flavour = url.searchParams.get("format") === "standard" ? "standard" : "excel-sv";
  const name = redovisningFileName(assignment.reference, new Date(), "csv").replace("redovisning-", flavour === "standard" ? "bidrag-" : "bidrag-excel-");
  return streamedDownload(name, "text/csv; charset=utf-8", (out) => writeGrantsCsv(out, filter, flavour));
};
