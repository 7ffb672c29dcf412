import { describe, it, expect } from "vitest";
import { parseBankAccount, parseBankgiro, parsePaymentAccount, parsePlusgiro, describePaymentAccount } from "../../app/lib/bank-account";
import { isLuhnValid, luhnCheckDigitOf } from "../../app/lib/luhn";
import { luhnCheckDigit } from "../../app/lib/org-number";

describe("Luhn", () => {
  it("agrees with the organisationsnummer check digit and known numbers", () => {
    expect(luhnCheckDigit("212000014")).toBe("2"); // 212000-0142, Stockholms kommun
    expect(luhnCheckDigitOf("212000014")).toBe("2");
    expect(isLuhnValid("2120000142")).toBe(true);
    expect(isLuhnValid("2120000143")).toBe(false);
  });
});

describe("bankgiro", () => {
  it("accepts a valid number in any spacing and formats it NNNN-NNNN", () => {
    const r = parseBankgiro("5050 1055");
    expect(r).toEqual({ ok: true, account: { kind: "bankgiro", formatted: "5050-1055" } });
    expect(parseBankgiro("902-0033")).toMatchObject({ ok: true, account: { formatted: "902-0033" } });
  });
  it("refuses a wrong check digit and a wrong length, in Swedish", () => {
    const wrong = parseBankgiro("5050-1056");
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/kontrollsiffran/);
    const short = parseBankgiro("12345");
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.message).toMatch(/sju eller åtta siffror/);
  });
});

describe("plusgiro", () => {
  it("accepts a valid number and writes it in pairs with the check digit apart", () => {
    expect(parsePlusgiro("2865434")).toMatchObject({ ok: true, account: { formatted: "28 65 43-4" } });
    expect(parsePlusgiro("900123-1")).toMatchObject({ ok: true, account: { formatted: "90 01 23-1" } });
    expect(parsePlusgiro("4105-3")).toMatchObject({ ok: true, account: { formatted: "41 05-3" } });
  });
  it("refuses a wrong check digit", () => {
    expect(parsePlusgiro("28 65 43-5").ok).toBe(false);
  });
});

describe("bank account", () => {
  it("accepts a Handelsbanken account and names the bank", () => {
    const r = parseBankAccount("6000 123 456 789");
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.account.bankName).toBe("Handelsbanken");
      expect(r.account.warning).toBeUndefined();
      expect(describePaymentAccount(r.account)).toBe("Bankkonto 6000, 123 456 789");
    }
  });
  it("refuses a number no Swedish bank issues", () => {
    const r = parseBankAccount("9020 1234567");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/inte giltigt/);
  });
  it("refuses letters and asks for the empty field by name", () => {
    expect(parseBankAccount("abc").ok).toBe(false);
    const empty = parsePaymentAccount("bankgiro", "  ");
    expect(empty).toEqual({ ok: false, message: "Fyll i bankgirosnummer." });
  });
});
