// Downloads streamed straight into the HTTP response: the writer gets a Node
// stream, the browser gets bytes as they are made (no file, no buffer).
import { PassThrough, type Writable } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { logger } from "~/logger.server";

export function attachmentHeaders(fileName: string, contentType: string): HeadersInit {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, "_");
  return {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
}

export function streamedDownload(fileName: string, contentType: string, write: (out: Writable) => Promise<unknown>): Response {
  const out = new PassThrough();
  write(out).catch((error: unknown) => {
    // Headers are gone already: cut the body so the browser reports a failed download, not a short file.
    logger.error({ err: error, fileName }, "export failed while streaming");
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return new Response(createReadableStreamFromReadable(out), { status: 200, headers: attachmentHeaders(fileName, contentType) });
}

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
