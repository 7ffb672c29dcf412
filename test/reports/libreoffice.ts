// LibreOffice headless as a second, independent reader of our workbooks: each
// sheet converted to CSV, with a private profile that makes LibreOffice
// recalculate every formula on load (by default it trusts the cached results,
// which would prove nothing about the formulas).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export function libreOfficeBinary(): string {
  for (const p of ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"]) if (existsSync(p)) return p;
  throw new Error("LibreOffice is not installed: apt-get install libreoffice-calc-nogui (.ci/run does this)");
}

const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/** Minimal RFC 4180 parser (LibreOffice quotes fields with commas, quotes or line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endField();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else field += ch;
  }
  if (field !== "" || row.length) endRow();
  return rows;
}

/** Every sheet of `xlsx` as rows of cells, by sheet name, as LibreOffice computes them. */
export async function sheetsViaLibreOffice(xlsx: string): Promise<Map<string, string[][]>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lo-"));
  await mkdir(path.join(dir, "profile/user"), { recursive: true });
  await writeFile(path.join(dir, "profile/user/registrymodifications.xcu"), RECALC_ALWAYS);
  const out = path.join(dir, "out");
  // Field separator 44 (,), text delimiter 34 ("), UTF-8 (76), raw values (not as shown), every sheet (-1) to its own file.
  const filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
  await run(libreOfficeBinary(), [`-env:UserInstallation=file://${path.join(dir, "profile")}`, "--headless", "--convert-to", filter, "--outdir", out, xlsx], { timeout: 120_000 });
  const base = path.basename(xlsx, ".xlsx");
  const sheets = new Map<string, string[][]>();
  for (const f of await readdir(out)) {
    if (!f.startsWith(`${base}-`) || !f.endsWith(".csv")) continue;
    sheets.set(f.slice(base.length + 1, -4), parseCsv(await readFile(path.join(out, f), "utf8")));
  }
  return sheets;
}
