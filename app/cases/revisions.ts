// What changed between two frozen versions of an application
// (ApplicationRevision.data: the row as JSON, öre as strings, dates as ISO
// strings, budget lines included), field by field, in Swedish words.
import { formatKronor } from "~/lib/money";

export type RevisionChange = { field: string; before: string; after: string };

type Data = Record<string, unknown>;

const text = (v: unknown) => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));
const ore = (v: unknown) => {
  const s = text(v);
  return /^-?\d+$/.test(s) ? formatKronor(BigInt(s)) : s;
};
const date = (v: unknown) => text(v).slice(0, 10);
const list = (v: unknown) => (Array.isArray(v) ? v.map(text).join(", ") : "");
const yesNo = (v: unknown) => (v === true ? "Ja" : v === false ? "Nej" : "");
const budget = (v: unknown) =>
  Array.isArray(v)
    ? v
        .map((l) => (l && typeof l === "object" ? `${text((l as Data).category)}${(l as Data).description ? ` (${text((l as Data).description)})` : ""}: ${ore((l as Data).amountOre)}` : ""))
        .join("; ")
    : "";

const FIELDS: { key: string; label: string; show: (v: unknown) => string }[] = [
  { key: "title", label: "Titel", show: text },
  { key: "description", label: "Beskrivning", show: text },
  { key: "aims", label: "Mål", show: text },
  { key: "targetGroup", label: "Målgrupp", show: text },
  { key: "projectStart", label: "Projektstart", show: date },
  { key: "projectEnd", label: "Projektslut", show: date },
  { key: "countyCodes", label: "Län (koder)", show: list },
  { key: "requestedOre", label: "Sökt belopp", show: ore },
  { key: "cofundingOre", label: "Medfinansiering", show: ore },
  { key: "otherPublicFunding", label: "Annan offentlig finansiering", show: text },
  { key: "contactName", label: "Kontaktperson", show: text },
  { key: "contactEmail", label: "Kontaktpersonens e-post", show: text },
  { key: "contactPhone", label: "Kontaktpersonens telefon", show: text },
  { key: "signatoryName", label: "Firmatecknare", show: text },
  { key: "signatoryTitle", label: "Firmatecknarens titel", show: text },
  { key: "declaresNoTaxDebts", label: "Försäkran: inga skatteskulder", show: yesNo },
  { key: "declaresNotInLiquidation", label: "Försäkran: inte i likvidation eller konkurs", show: yesNo },
  { key: "budgetLines", label: "Budget", show: budget },
];

/** The fields whose shown value differs between `before` and `after`. */
export function diffRevisions(before: unknown, after: unknown): RevisionChange[] {
  const b = (before && typeof before === "object" ? before : {}) as Data;
  const a = (after && typeof after === "object" ? after : {}) as Data;
  const changes: RevisionChange[] = [];
  for (const f of FIELDS) {
    const was = f.show(b[f.key]);
    const is = f.show(a[f.key]);
    if (was !== is) changes.push({ field: f.label, before: was || "–", after: is || "–" });
  }
  return changes;
}
