// GET /samordning/:id/360giving.json: the grants as open data in the 360Giving Data Standard.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireReportScope } from "~/access/permissions.server";
import { parseReportFilter } from "~/reports/overview.server";
import { redovisningFileName } from "~/reports/redovisning.server";
import { writeGiving360 } from "~/reports/opendata.server";
import { streamedDownload } from "~/reports/http.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const { assignment, boardIds } = await requireReportScope(db(), user, params.id ?? "");
  const { filter } = await parseReportFilter(db(), new URL(request.url), assignment.id, boardIds);
  const name = redovisningFileName(assignment.reference, new Date(), "json").replace("redovisning-", "360giving-");
  return streamedDownload(name, "application/json; charset=utf-8", (out) => writeGiving360(out, filter));
};
