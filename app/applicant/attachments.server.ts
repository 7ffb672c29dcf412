// Uploaded files: checked (size, type by content), written to the file store,
// and recorded as Attachment rows inside the caller's transaction. The bytes
// are written before the transaction; if it rolls back, `discard` removes them,
// so no row ever points at a missing file and no file lingers without a row.
import type { Prisma } from "~/generated/prisma/client";
import { fileStore, newStorageKey } from "~/storage/storage.server";
import { checkAttachment, cleanFileName, MAX_ATTACHMENT_BYTES } from "~/storage/file-types";

type Tx = Prisma.TransactionClient;

/** Largest request body with files we read at all: a few attachments and the form. */
export const MAX_UPLOAD_REQUEST_BYTES = 4 * MAX_ATTACHMENT_BYTES + 1024 * 1024;

export type Upload = { fileName: string; contentType: string; sizeBytes: number; storageKey: string };

/** Rejects a body too large to read before it is parsed (413 with a Swedish page). */
export function assertUploadSize(request: Request): void {
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (Number.isFinite(length) && length > MAX_UPLOAD_REQUEST_BYTES) {
    throw new Response(`Filerna är för stora tillsammans. Varje bilaga får vara högst ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB; skicka färre eller mindre filer åt gången.`, {
      status: 413,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

/** The non-empty files of a form field (a file input with nothing chosen sends an empty, nameless part). */
export function filesOf(form: FormData, field: string): File[] {
  return form.getAll(field).filter((v): v is File => typeof v !== "string" && v.size > 0 && v.name !== "");
}

/** Checks every file; the first problem is the field's message. */
export async function checkFiles(files: File[]): Promise<{ ok: true; files: { file: File; bytes: Uint8Array; contentType: string }[] } | { ok: false; message: string }> {
  const checked: { file: File; bytes: Uint8Array; contentType: string }[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = checkAttachment(cleanFileName(file.name), bytes);
    if (!result.ok) return { ok: false, message: result.message };
    checked.push({ file, bytes, contentType: result.kind.contentType });
  }
  return { ok: true, files: checked };
}

/** Writes checked files to the store. Call `discard` if the transaction that records them fails. */
export async function storeFiles(files: { file: File; bytes: Uint8Array; contentType: string }[], now = new Date()): Promise<Upload[]> {
  const stored: Upload[] = [];
  for (const f of files) {
    const key = newStorageKey(now);
    await fileStore().put(key, f.bytes);
    stored.push({ fileName: cleanFileName(f.file.name), contentType: f.contentType, sizeBytes: f.bytes.byteLength, storageKey: key });
  }
  return stored;
}

export async function discard(uploads: Upload[]): Promise<void> {
  for (const u of uploads) await fileStore().delete(u.storageKey).catch(() => undefined);
}

export async function recordUploads(tx: Tx, uploads: Upload[], owner: { applicationId?: string; reportId?: string }, purpose: string, userId: string, now: Date): Promise<void> {
  for (const u of uploads) {
    await tx.attachment.create({ data: { ...u, ...owner, purpose, uploadedById: userId, createdAt: now } });
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} byte`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} kB`;
  return `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} MB`;
}
