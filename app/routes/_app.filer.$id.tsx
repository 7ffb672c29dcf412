// /filer/:id: downloads an attachment the user may read (see requireAttachment); anything else is 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { notFound, requireAttachment } from "~/access/permissions.server";
import { fileStore } from "~/storage/storage.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const attachment = await requireAttachment(db(), user, params.id ?? "");
  const stream = await fileStore().get(attachment.storageKey);
  if (!stream) throw notFound();
  const ascii = attachment.fileName.replace(/[^\x20-\x7e]/g, "_");
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "Content-Type": attachment.contentType,
      "Content-Length": String(attachment.sizeBytes),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
};
