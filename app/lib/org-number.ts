// Organisationsnummer: ten digits NNNNNN-NNNN with a Luhn check digit; the
// first digit tells the legal form (2 state, regions, municipalities; 8
// non-profit associations and foundations).
import Organisationsnummer from "organisationsnummer";
import type { OrganizationKind } from "~/generated/prisma/enums";
import { luhnCheckDigitOf } from "./luhn";

export type OrgNumberResult = { ok: true; value: string } | { ok: false; message: string };

const LEGAL_FORM_DIGIT: Partial<Record<OrganizationKind, string>> = {
  county_board: "2",
  government_agency: "2",
  municipality: "2",
  region: "2",
  municipal_federation: "2",
  nonprofit_association: "8",
  foundation: "8",
};

/** Normalises to NNNNNN-NNNN and checks the check digit and, given a kind, the legal form. */
export function parseOrgNumber(input: string, kind?: OrganizationKind): OrgNumberResult {
  const trimmed = input.trim().replace(/\s+/g, "");
  if (!/^(16)?\d{6}-?\d{4}$/.test(trimmed) || !Organisationsnummer.valid(trimmed)) {
    return { ok: false, message: "Organisationsnumret är inte giltigt. Skriv tio siffror, till exempel 212000-0142, och kontrollera sista siffran." };
  }
  const value = Organisationsnummer.parse(trimmed).format(true);
  const expected = kind ? LEGAL_FORM_DIGIT[kind] : undefined;
  if (expected && !value.startsWith(expected)) {
    return {
      ok: false,
      message:
        expected === "2"
          ? "Organisationsnumret hör inte till en kommun, region eller statlig myndighet (sådana nummer börjar med 2)."
          : "Organisationsnumret hör inte till en ideell förening eller stiftelse (sådana nummer börjar med 8).",
    };
  }
  return { ok: true, value };
}

export function luhnCheckDigit(nineDigits: string): string {
  return luhnCheckDigitOf(nineDigits);
}

/** Builds a valid number from its first nine digits (used by seeds and tests). */
export function orgNumberFromBase(nineDigits: string): string {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error(`expected nine digits, got ${nineDigits}`);
  const all = nineDigits + luhnCheckDigit(nineDigits);
  return `${all.slice(0, 6)}-${all.slice(6)}`;
}
