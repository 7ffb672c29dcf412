// Marking an instalment paid from the case page (/arenden/:id) checks the same
// things as /ekonomi, through the one MARK_PAID parser: the account paid to
// (bankgiro/plusgiro check digits, bank account numbers) and a payment day
// that is neither in the future nor before the attestation.
import { beforeAll, describe, expect, it } from "vitest";
import * as casePage from "../../app/routes/_app.arenden.$id";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import * as paymentsPage from "../../app/routes/_app.ekonomi._index";
import { addDays, todayInStockholm } from "../../app/lib/dates";
import { buildSide, sessionCookie, useWorldDatabase, type Side } from "../access/world";
import { callRoute, failureOf } from "../admin-screens/helpers";

const t = useWorldDatabase();
let A: Side;
let finance: string;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  finance = await sessionCookie(t.db, A.users.finance.id);
  await applyWorkflowEvent(t.db, A.users.finance, "disbursement", A.disbursementIds[0], { type: "ATTEST" });
}, 120_000);

const first = () => t.db.disbursement.findUniqueOrThrow({ where: { id: A.disbursementIds[0] } });
const markPaid = async (fields: Record<string, string>) =>
  callRoute(casePage, "action", `/arenden/${A.grantedId}`, {
    cookie: finance,
    params: { id: A.grantedId },
    form: { intent: "event", kind: "disbursement", caseId: A.disbursementIds[0], eventType: "MARK_PAID", version: String((await first()).version), ...fields },
  });

describe("marking paid from the case page", () => {
  it("refuses a bankgiro number with a wrong check digit, and a missing account, and changes nothing", async () => {
    const today = todayInStockholm();
    const bad = await markPaid({ paymentReference: "LB 1", paidOn: today, accountKind: "bankgiro", accountNumber: "5050-1056" });
    expect(bad.status).toBe(400);
    const f = await failureOf(bad);
    expect(f.fieldErrors.accountNumber).toBe("Bankgironumret är inte giltigt: kontrollsiffran stämmer inte. Kontrollera numret.");
    expect(f.values.accountNumber).toBe("5050-1056");
    const none = await failureOf(await markPaid({ paymentReference: "LB 1", paidOn: today }));
    expect(none.fieldErrors).toMatchObject({ accountKind: "Välj bankgiro, plusgiro eller bankkonto.", accountNumber: "Ange numret som pengarna betalas till." });
    expect((await first()).state).toBe("attested");
  });

  it("refuses a payment day in the future or before the attestation, on the case page and on /ekonomi alike", async () => {
    const today = todayInStockholm();
    const account = { paymentReference: "LB 1", accountKind: "bankgiro", accountNumber: "5050-1055" };
    const future = await markPaid({ ...account, paidOn: addDays(today, 1) });
    expect(future.status).toBe(400);
    expect((await failureOf(future)).fieldErrors.paidOn).toBe("Utbetalningsdagen kan inte ligga i framtiden.");
    // Attested today (in beforeAll): yesterday is before the attestation.
    const early = await markPaid({ ...account, paidOn: addDays(today, -1) });
    expect(early.status).toBe(400);
    expect((await failureOf(early)).fieldErrors.paidOn).toBe(`Utbetalningsdagen kan inte ligga före attesten (${today}).`);
    const d = await first();
    for (const paidOn of [addDays(today, 1), addDays(today, -1)]) {
      const res = await callRoute(paymentsPage, "action", "/ekonomi?visa=alla", { cookie: finance, form: { intent: "MARK_PAID", disbursementId: d.id, version: String(d.version), ...account, paidOn } });
      expect(res.status).toBe(400);
      expect((await failureOf(res)).fieldErrors.paidOn).toMatch(/^Utbetalningsdagen kan inte ligga (i framtiden|före attesten)/);
    }
    expect((await first()).state).toBe("attested");
  });

  it("records the checked account paid to, as /ekonomi does", async () => {
    const ok = await markPaid({ paymentReference: "LB 1", paidOn: todayInStockholm(), accountKind: "bankgiro", accountNumber: "50501055" });
    expect(ok.status, await ok.clone().text()).toBe(302);
    const d = await first();
    expect([d.state, d.bankAccount]).toEqual(["paid", "Bankgiro 5050-1055"]);
  });
});
