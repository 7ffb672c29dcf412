// Where a recipient wants the money: bankgiro, plusgiro or a bank account
// (clearing number + account number, checked with the package kontonummer
// against Bankgirot's specification of Swedish banks' account numbers).
import { parse as parseKontonummer } from "kontonummer";
import { isLuhnValid } from "./luhn";

export type PaymentAccountKind = "bankgiro" | "plusgiro" | "bank";

export const PAYMENT_ACCOUNT_LABELS: Record<PaymentAccountKind, string> = {
  bankgiro: "Bankgiro",
  plusgiro: "Plusgiro",
  bank: "Bankkonto",
};

export type PaymentAccount = {
  kind: PaymentAccountKind;
  /** Normalised, as printed on payment orders. */
  formatted: string;
  bankName?: string;
  /** Set when the number could not be fully checked: some banks' accounts have no check digit to verify. */
  warning?: string;
};
export type PaymentAccountResult = { ok: true; account: PaymentAccount } | { ok: false; message: string };

const digitsOf = (input: string) => input.replace(/[\s-]/g, "");

/** Bankgiro: 7 or 8 digits with a Luhn check digit, written NNN-NNNN or NNNN-NNNN. */
export function parseBankgiro(input: string): PaymentAccountResult {
  const digits = digitsOf(input.trim());
  if (!/^\d{7,8}$/.test(digits)) return { ok: false, message: "Ett bankgironummer har sju eller åtta siffror, till exempel 5050-1055." };
  if (!isLuhnValid(digits)) return { ok: false, message: "Bankgironumret är inte giltigt: kontrollsiffran stämmer inte. Kontrollera numret." };
  return { ok: true, account: { kind: "bankgiro", formatted: `${digits.slice(0, -4)}-${digits.slice(-4)}` } };
}

/** Plusgiro: 2 to 8 digits with a Luhn check digit, written in pairs from the right with the check digit apart: 28 65 43-4. */
export function parsePlusgiro(input: string): PaymentAccountResult {
  const digits = digitsOf(input.trim());
  if (!/^\d{2,8}$/.test(digits)) return { ok: false, message: "Ett plusgironummer har två till åtta siffror, till exempel 28 65 43-4." };
  if (!isLuhnValid(digits)) return { ok: false, message: "Plusgironumret är inte giltigt: kontrollsiffran stämmer inte. Kontrollera numret." };
  const body = digits.slice(0, -1);
  const pairs: string[] = [];
  for (let end = body.length; end > 0; end -= 2) pairs.unshift(body.slice(Math.max(0, end - 2), end));
  return { ok: true, account: { kind: "plusgiro", formatted: `${pairs.join(" ")}-${digits.slice(-1)}` } };
}

/** Bank account: clearing number and account number, e.g. "8327-9, 123 456 789-0" or "5000 1234567". */
export function parseBankAccount(input: string): PaymentAccountResult {
  const trimmed = input.trim();
  if (!/^[\d\s,.-]+$/.test(trimmed) || digitsOf(trimmed).replace(/[,.]/g, "").length < 7) {
    return { ok: false, message: "Skriv clearingnummer och kontonummer med siffror, till exempel 6000 123 456 789." };
  }
  try {
    // "semi": strict for accounts with a check digit over clearing + account, lenient for banks whose numbers cannot be fully checked.
    const k = parseKontonummer(trimmed, { mode: "semi" });
    const account: PaymentAccount = { kind: "bank", formatted: k.format("pretty"), bankName: k.bankName };
    if (!k.valid) account.warning = `Kontonumret kunde inte kontrolleras helt för ${k.bankName}. Dubbelkolla det mot ett kontobesked innan utbetalning.`;
    return { ok: true, account };
  } catch {
    return { ok: false, message: "Kontonumret är inte giltigt för någon svensk bank. Kontrollera clearingnumret och kontonumret." };
  }
}

export function parsePaymentAccount(kind: PaymentAccountKind, input: string): PaymentAccountResult {
  if (input.trim() === "") return { ok: false, message: `Fyll i ${PAYMENT_ACCOUNT_LABELS[kind].toLowerCase()}snummer.` };
  switch (kind) {
    case "bankgiro":
      return parseBankgiro(input);
    case "plusgiro":
      return parsePlusgiro(input);
    case "bank":
      return parseBankAccount(input);
  }
}

/** As stored on a disbursement: "Bankgiro 5050-1055". */
export function describePaymentAccount(account: PaymentAccount): string {
  return `${PAYMENT_ACCOUNT_LABELS[account.kind]} ${account.formatted}`;
}
