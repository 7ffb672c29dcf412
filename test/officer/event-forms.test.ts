// The case page's form parsing, without a database: Swedish messages, numbers written the Swedish way.
import { describe, expect, it } from "vitest";
import { parseEventForm } from "../../app/cases/case-actions.server";
import { text } from "../../app/finance/form-fields";

describe("event form messages", () => {
  it("writes the longest allowed text as a Swedish number (10 000, not 10000)", () => {
    const r = parseEventForm("application", "REQUEST_COMPLETION", { message: "x".repeat(10_001), deadline: "2099-01-01" }, { requestedOre: 100n });
    expect(r).toEqual({ ok: false, fieldErrors: { message: "Texten får vara högst 10\u00a0000 tecken." } });
    const admin = text("Skriv något.").safeParse("x".repeat(10_001));
    expect(admin.success ? null : admin.error.issues[0].message).toBe("Texten får vara högst 10\u00a0000 tecken.");
  });
});
