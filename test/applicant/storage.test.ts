// The attachment store and the file-type check, without a server: what is accepted is
// decided by the bytes, and the store keeps exactly what was put under an opaque key.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LocalDiskStore, newStorageKey } from "../../app/storage/storage.server";
import { checkAttachment, cleanFileName, MAX_ATTACHMENT_BYTES } from "../../app/storage/file-types";

const bytes = (...parts: (string | number[])[]) => {
  const chunks = parts.map((p) => (typeof p === "string" ? new TextEncoder().encode(p) : new Uint8Array(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

describe("file types by content", () => {
  it("accepts PDF, Office Open XML, OpenDocument and old Office files whose bytes match their names", () => {
    expect(checkAttachment("plan.pdf", bytes("%PDF-1.7\n"))).toMatchObject({ ok: true, kind: { contentType: "application/pdf" } });
    expect(checkAttachment("budget.xlsx", bytes([0x50, 0x4b, 0x03, 0x04], "....[Content_Types].xml....xl/workbook.xml"))).toMatchObject({ ok: true });
    expect(checkAttachment("plan.docx", bytes([0x50, 0x4b, 0x03, 0x04], "....[Content_Types].xml")).ok).toBe(true);
    expect(checkAttachment("plan.odt", bytes([0x50, 0x4b, 0x03, 0x04], "mimetypeapplication/vnd.oasis.opendocument.text")).ok).toBe(true);
    expect(checkAttachment("budget.xls", bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], "...")).ok).toBe(true);
  });

  it("refuses a renamed program, a zip that is not an office file, other types, empty and oversized files, in Swedish", () => {
    expect(checkAttachment("plan.pdf", bytes([0x4d, 0x5a, 0x90, 0x00]))).toEqual({ ok: false, message: "Innehållet i ”plan.pdf” är inte en riktig PDF-fil. Bifoga PDF, Word (.docx, .doc), Excel (.xlsx, .xls) eller OpenDocument (.odt, .ods)." });
    expect(checkAttachment("plan.docx", bytes([0x50, 0x4b, 0x03, 0x04], "just a zip")).ok).toBe(false);
    expect(checkAttachment("plan.odt", bytes([0x50, 0x4b, 0x03, 0x04], "mimetypeapplication/vnd.oasis.opendocument.spreadsheet")).ok).toBe(false);
    expect(checkAttachment("bild.png", bytes([0x89, 0x50, 0x4e, 0x47]))).toMatchObject({ ok: false, message: expect.stringContaining("filtyp som inte tas emot") });
    expect(checkAttachment("tom.pdf", new Uint8Array())).toMatchObject({ ok: false, message: "Filen ”tom.pdf” är tom." });
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    big.set(new TextEncoder().encode("%PDF-"));
    expect(checkAttachment("stor.pdf", big)).toMatchObject({ ok: false, message: expect.stringContaining("högst 10 MB") });
  });

  it("keeps only the file name, without paths, quotes or control characters", () => {
    expect(cleanFileName("C:\\Users\\sara\\Projektplan \"slutlig\".pdf")).toBe("Projektplan slutlig.pdf");
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName("a\u0000b\u001f.pdf")).toBe("ab.pdf");
    expect(cleanFileName("")).toBe("bilaga");
    // A name longer than 200 characters is shortened but keeps its extension, so the file is still taken.
    const long = `${"Projektplan för trygga mötesplatser ".repeat(8)}version 3.pdf`;
    expect(long.length).toBeGreaterThan(200);
    expect(cleanFileName(long).length).toBeLessThanOrEqual(200);
    expect(cleanFileName(long).endsWith(".pdf")).toBe(true);
    expect(checkAttachment(cleanFileName(long), bytes("%PDF-1.7\n")).ok).toBe(true);
  });
});

describe("the local-disk store", () => {
  it("puts, heads, streams and deletes by key, and refuses keys it did not make", async () => {
    const store = new LocalDiskStore(mkdtempSync(path.join(os.tmpdir(), "store-")));
    const key = newStorageKey(new Date("2026-11-23T06:00:00Z"));
    expect(key).toMatch(/^2026\/11\/[0-9a-f-]{36}$/);
    expect(await store.head(key)).toBeNull();
    expect(await store.get(key)).toBeNull();
    await store.put(key, bytes("%PDF-1.4 hej"));
    expect(await store.head(key)).toEqual({ sizeBytes: 12 });
    const chunks: Buffer[] = [];
    for await (const chunk of (await store.get(key))!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("%PDF-1.4 hej");
    await store.delete(key);
    expect(await store.head(key)).toBeNull();
    await expect(store.put("../../utanfor", bytes("x"))).rejects.toThrow(/not a storage key/);
  });
});
