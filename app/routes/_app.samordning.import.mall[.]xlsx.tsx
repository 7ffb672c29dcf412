// GET /samordning/import/mall.xlsx: the documented import template.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { importTemplate } from "~/reports/import.server";
import { attachmentHeaders, XLSX } from "~/reports/http.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await requireUser(request);
  return new Response(new Uint8Array(await importTemplate()), { headers: attachmentHeaders("mall-import-bidrag.xlsx", XLSX) });
};
