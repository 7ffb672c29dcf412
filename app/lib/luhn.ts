// The Luhn (modulus 10) check digit used by organisationsnummer, bankgiro and plusgiro.

/** The check digit for a payload of digits: doubling starts at the payload's rightmost digit. */
export function luhnCheckDigitOf(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new Error(`expected digits, got ${payload}`);
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** True when the last digit is the Luhn check digit of the others. */
export function isLuhnValid(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && luhnCheckDigitOf(digits.slice(0, -1)) === digits.slice(-1);
}
