// Reference data: the 21 counties with their county administrative boards,
// and the 290 municipalities, from SCB's codes (prisma/data/*.csv).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../../app/db.server";
import { orgNumberFromBase } from "../../app/lib/org-number";

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "data");

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path.join(dataDir, file), "utf8").trim().split(/\r?\n/);
  const keys = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [keys[i], v.trim()])));
}

export const counties = readCsv("counties.csv").map((r) => ({ code: r.county_code, name: r.county_name, shortName: r.county_name_short }));
export const municipalities = readCsv("municipalities.csv").map((r) => ({ code: r.municipality_code, name: r.municipality_name, countyCode: r.county_code }));

/** "Länsstyrelsen i Stockholms län", "Länsstyrelsen Östergötland": the boards' own names. */
export function countyBoardName(county: { code: string; name: string; shortName: string }): string {
  return county.code === "01" || county.code === "25" || county.code === "13" ? `Länsstyrelsen i ${county.name}` : `Länsstyrelsen ${county.shortName}`;
}

/** Illustrative organisationsnummer with valid check digits: 2021 00-NNN for boards, 2120 00-NNN for municipalities. */
export const countyBoardOrgNumber = (countyCode: string) => orgNumberFromBase(`2021000${countyCode}`);
export const municipalityOrgNumber = (municipalityCode: string) => orgNumberFromBase(`21200${municipalityCode}`);

export async function seedReferenceData(db: Db): Promise<void> {
  // Every start calls this; skip the writes when the data is already complete.
  const [c, m, b] = await Promise.all([db.county.count(), db.municipality.count(), db.organization.count({ where: { kind: "county_board" } })]);
  if (c === counties.length && m === municipalities.length && b === counties.length) return;
  await db.county.createMany({ data: counties, skipDuplicates: true });
  await db.municipality.createMany({ data: municipalities, skipDuplicates: true });
  await db.organization.createMany({
    data: counties.map((c) => ({ name: countyBoardName(c), kind: "county_board" as const, orgNumber: countyBoardOrgNumber(c.code), countyCode: c.code })),
    skipDuplicates: true,
  });
}
