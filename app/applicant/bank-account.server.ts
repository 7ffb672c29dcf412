// The account a payment request names. Until app/lib/bank-account.ts (the shared
// validator) is merged, a plain shape check: digits with spaces or dashes.
export type BankAccountCheck = { ok: true; value: string } | { ok: false; message: string };

export function checkBankAccount(input: string): BankAccountCheck {
  const value = input.trim().replace(/\s+/g, " ");
  if (!value) return { ok: false, message: "Ange bankgiro, plusgiro eller kontonummer som pengarna ska betalas till." };
  if (!/^[0-9][0-9 -]{5,30}$/.test(value)) return { ok: false, message: "Skriv bara siffror, till exempel bankgiro 5050-1055." };
  return { ok: true, value };
}
