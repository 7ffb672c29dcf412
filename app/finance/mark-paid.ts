// The one parser for MARK_PAID, used by /ekonomi and by the case page
// (/arenden/:id): payment reference, payment day and the account paid to, the
// account checked by app/lib/bank-account.ts (bankgiro/plusgiro check digits,
// bank account numbers). Both pages must refuse the same input.
import { z } from "zod";
import { PAYMENT_ACCOUNT_LABELS, describePaymentAccount, parsePaymentAccount, type PaymentAccountKind } from "~/lib/bank-account";
import { comparePlainDates, formatDate, toPlainDate, todayInStockholm, type PlainDate } from "~/lib/dates";
import { date, text, parseWith } from "./form-fields";

export const ACCOUNT_KINDS = Object.keys(PAYMENT_ACCOUNT_LABELS) as [PaymentAccountKind, ...PaymentAccountKind[]];
export const ACCOUNT_KIND_OPTIONS = ACCOUNT_KINDS.map((value) => ({ value, label: PAYMENT_ACCOUNT_LABELS[value] }));

const markPaidSchema = z.object({
  paymentReference: text("Ange betalningsreferens.", 200),
  paidOn: date("Ange utbetalningsdag."),
  accountKind: z.enum(ACCOUNT_KINDS, { error: () => "Välj bankgiro, plusgiro eller bankkonto." }),
  accountNumber: text("Ange numret som pengarna betalas till.", 100),
});

export type MarkPaid = { paymentReference: string; paidOn: PlainDate; bankAccount: string };

/** What the payment day is checked against: when the instalment was attested, and now. */
export type MarkPaidFacts = { attestedAt: Date | null; now: Date };

/** The form's fields → what MARK_PAID needs, or one Swedish message per field. */
export function parseMarkPaid(values: Record<string, string>, facts: MarkPaidFacts): { ok: true; data: MarkPaid } | { ok: false; fieldErrors: Record<string, string> } {
  const parsed = parseWith(markPaidSchema, values, values);
  if (!parsed.ok) return { ok: false, fieldErrors: parsed.failure.fieldErrors };
  // Money is paid after it is attested, and not on a day that has not come (Stockholm days).
  const paidOn = parsed.data.paidOn!;
  if (comparePlainDates(paidOn, todayInStockholm(facts.now)) > 0) return { ok: false, fieldErrors: { paidOn: "Utbetalningsdagen kan inte ligga i framtiden." } };
  if (facts.attestedAt && comparePlainDates(paidOn, toPlainDate(facts.attestedAt)) < 0) {
    return { ok: false, fieldErrors: { paidOn: `Utbetalningsdagen kan inte ligga före attesten (${formatDate(toPlainDate(facts.attestedAt))}).` } };
  }
  const account = parsePaymentAccount(parsed.data.accountKind, parsed.data.accountNumber);
  if (!account.ok) return { ok: false, fieldErrors: { accountNumber: account.message } };
  return { ok: true, data: { paymentReference: parsed.data.paymentReference, paidOn: parsed.data.paidOn!, bankAccount: describePaymentAccount(account.account) } };
}

/** A stored account ("Bankgiro 5050-1055") as the form's two fields, when it reads as one. */
export function accountFields(stored: string | null): { accountKind: string; accountNumber: string } {
  for (const k of ACCOUNT_KINDS) {
    const label = `${PAYMENT_ACCOUNT_LABELS[k]} `;
    if (stored?.startsWith(label)) return { accountKind: k, accountNumber: stored.slice(label.length) };
  }
  return { accountKind: "", accountNumber: stored ?? "" };
}
