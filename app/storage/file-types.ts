// Which files may be attached, decided by their first bytes (magic numbers)
// and the name together: a renamed executable is refused even when it is
// called "budget.pdf". PDF, Word, Excel and OpenDocument only.

/** Largest attachment, in bytes (10 MB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type FileKind = { extension: string; contentType: string; label: string };

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4: .docx, .xlsx, .odt, .ods
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // .doc, .xls

const KINDS: Record<string, FileKind & { magic: number[] }> = {
  pdf: { extension: "pdf", contentType: "application/pdf", label: "PDF", magic: PDF },
  docx: { extension: "docx", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word", magic: ZIP },
  xlsx: { extension: "xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "Excel", magic: ZIP },
  odt: { extension: "odt", contentType: "application/vnd.oasis.opendocument.text", label: "OpenDocument text", magic: ZIP },
  ods: { extension: "ods", contentType: "application/vnd.oasis.opendocument.spreadsheet", label: "OpenDocument kalkyl", magic: ZIP },
  doc: { extension: "doc", contentType: "application/msword", label: "Word (äldre)", magic: OLE2 },
  xls: { extension: "xls", contentType: "application/vnd.ms-excel", label: "Excel (äldre)", magic: OLE2 },
};

export const ALLOWED_EXTENSIONS = Object.keys(KINDS);
export const ACCEPT_ATTRIBUTE = ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(",");

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Office Open XML and OpenDocument files are zip archives that name their own type inside. */
function zipDeclares(bytes: Uint8Array, extension: string): boolean {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  if (extension === "odt") return head.includes("application/vnd.oasis.opendocument.text");
  if (extension === "ods") return head.includes("application/vnd.oasis.opendocument.spreadsheet");
  if (extension === "docx") return head.includes("[Content_Types].xml") || head.includes("word/");
  if (extension === "xlsx") return head.includes("[Content_Types].xml") || head.includes("xl/");
  return false;
}

export type FileCheck = { ok: true; kind: FileKind } | { ok: false; message: string };

/** Checks an upload: size, allowed extension, and content that matches it. */
export function checkAttachment(fileName: string, bytes: Uint8Array): FileCheck {
  if (bytes.byteLength === 0) return { ok: false, message: `Filen ”${fileName}” är tom.` };
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    return { ok: false, message: `Filen ”${fileName}” är för stor. En bilaga får vara högst ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.` };
  }
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? "";
  const kind = KINDS[extension];
  const allowed = "PDF, Word (.docx, .doc), Excel (.xlsx, .xls) eller OpenDocument (.odt, .ods)";
  if (!kind) return { ok: false, message: `Filen ”${fileName}” har en filtyp som inte tas emot. Bifoga ${allowed}.` };
  const matches = startsWith(bytes, kind.magic) && (kind.magic !== ZIP || zipDeclares(bytes, extension));
  if (!matches) return { ok: false, message: `Innehållet i ”${fileName}” är inte en riktig ${kind.label}-fil. Bifoga ${allowed}.` };
  const { magic: _m, ...rest } = kind;
  return { ok: true, kind: rest };
}

/** Longest file name kept (characters). */
const MAX_FILE_NAME = 200;

/** A file name safe to show and to send in Content-Disposition: no paths, no control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // Control characters (below U+0020, and DEL) and quotes would break the header.
  const cleaned = [...base].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"').join("").trim();
  if (cleaned.length <= MAX_FILE_NAME) return cleaned || "bilaga";
  // A long name is shortened in the middle: the extension decides whether the file is taken at all.
  const extension = /\.[a-z0-9]{1,8}$/i.exec(cleaned)?.[0] ?? "";
  return cleaned.slice(0, MAX_FILE_NAME - extension.length).trimEnd() + extension;
}
