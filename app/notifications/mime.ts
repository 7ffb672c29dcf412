// Just enough MIME to read back the mail this app sends (headers with RFC 2047
// encoded words, multipart/alternative, quoted-printable or base64 parts):
// for the captured-mail page and the tests. Not a general mail parser.
export type ParsedMail = { headers: Record<string, string>; from: string; to: string; subject: string; messageId: string; date: string; text: string; html: string };

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?/g, (_m, _charset: string, enc: string, data: string) =>
    enc.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : decodeQp(data.replace(/_/g, " ")),
  );
}

function decodeQp(text: string): string {
  const bytes: number[] = [];
  const src = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < src.length; i++) {
    if (src[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(src[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers["content-transfer-encoding"] ?? "").toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (enc === "quoted-printable") return decodeQp(body);
  return body;
}

function parts(headers: Record<string, string>, body: string, out: { text: string; html: string }): void {
  const type = headers["content-type"] ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const s of sections) {
      if (s.startsWith("--")) break;
      const e = splitEntity(s.replace(/^\r?\n/, ""));
      parts(e.headers, e.body.replace(/\r?\n$/, ""), out);
    }
  } else if (/^text\/html/i.test(type)) {
    out.html ||= decodeBody(headers, body);
  } else if (/^text\/plain/i.test(type)) {
    out.text ||= decodeBody(headers, body);
  }
}

export function parseRawMail(raw: string): ParsedMail {
  const { headers, body } = splitEntity(raw);
  const out = { text: "", html: "" };
  parts(headers, body, out);
  const h = (name: string) => decodeWords(headers[name] ?? "");
  return { headers, from: h("from"), to: h("to"), subject: h("subject"), messageId: headers["message-id"] ?? "", date: headers["date"] ?? "", text: out.text.replace(/\r\n/g, "\n"), html: out.html.replace(/\r\n/g, "\n") };
}
