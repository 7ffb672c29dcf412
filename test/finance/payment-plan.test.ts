// Setting a grant's payment plan through the real route: instalments that add
// up to the grant replace the ones nobody has acted on (each cancelled through
// its own statechart, audited); anything else is refused and nothing changes.
import { beforeAll, describe, expect, it } from "vitest";
import * as planPage from "../../app/routes/_app.arenden.$id_.utbetalningsplan";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { reconcile } from "../../app/workflow/budget.server";
import { buildSide, sessionCookie, useWorldDatabase, type Side } from "../access/world";
import { callRoute, failureOf } from "../admin-screens/helpers";

const t = useWorldDatabase();
let A: Side;
let officer: string;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  officer = await sessionCookie(t.db, A.users.officer.id);
}, 120_000);

const post = (cookie: string, form: Record<string, string>) => callRoute(planPage, "action", `/arenden/${A.grantedId}/utbetalningsplan`, { cookie, params: { id: A.grantedId }, form });
const rows = (...r: [amount: string, trigger: string, plannedOn: string][]) =>
  Object.fromEntries(r.flatMap(([amount, trigger, plannedOn], i) => [[`rows.${i}.amount`, amount], [`rows.${i}.trigger`, trigger], [`rows.${i}.plannedOn`, plannedOn]]));
const instalments = async () => {
  const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: A.grantedId } });
  return t.db.disbursement.findMany({ where: { grantId: grant.id }, orderBy: { number: "asc" } });
};

describe("the payment plan", () => {
  it("shows the decision's plan to the officer, ready to change", async () => {
    const page = await (await callRoute(planPage, "loader", `/arenden/${A.grantedId}/utbetalningsplan`, { cookie: officer, params: { id: A.grantedId } })).json();
    expect(page.plan.grant.amount).toBe("400\u00a0000\u00a0kr");
    expect(page.plan.mayEdit).toBe(true);
    expect(page.plan.values).toMatchObject({ "rows.0.amount": "200 000", "rows.0.trigger": "at_start", "rows.1.amount": "200 000", "rows.1.trigger": "after_final_report" });
  });

  it("refuses instalments that do not add up to the grant, saying by how much, and changes nothing", async () => {
    const before = await instalments();
    const res = await post(officer, rows(["100 000", "at_start", "2099-06-01"], ["150 000", "after_final_report", "2100-02-28"]));
    expect(res.status).toBe(400);
    const f = await failureOf(res);
    expect(f.formError).toBe("Utbetalningarna ska tillsammans bli det beviljade beloppet, 400\u00a0000\u00a0kr. Nu blir de 250\u00a0000\u00a0kr.");
    expect(f.values["rows.1.amount"]).toBe("150 000");
    expect(await instalments()).toEqual(before);
  });

  it("refuses rows with a bad amount, a missing day or a trigger the grant cannot have", async () => {
    const res = await post(officer, rows(["100.000", "at_start", "2099-06-01"], ["300 000", "after_interim_report", ""]));
    expect(res.status).toBe(400);
    const f = await failureOf(res);
    expect(f.fieldErrors["rows.0.amount"]).toContain("inte punkt");
    expect(f.fieldErrors["rows.1.trigger"]).toBe("Bidraget har ingen delredovisning. Välj ett annat villkor.");
    expect(f.fieldErrors["rows.1.plannedOn"]).toBe("Ange planerad utbetalningsdag för utbetalning 2.");
  });

  it("refuses a planned day that has passed, unless the instalment already had it (the plan sent back as it was)", async () => {
    const page = await (await callRoute(planPage, "loader", `/arenden/${A.grantedId}/utbetalningsplan`, { cookie: officer, params: { id: A.grantedId } })).json();
    const asLoaded: Record<string, string> = page.plan.values;
    expect(asLoaded["rows.0.plannedOn"] < "2026-01-01").toBe(true); // the decision's own day, long past
    const before = await instalments();
    const unchanged = await post(officer, asLoaded);
    expect(unchanged.headers.get("Location")).toBe(`/arenden/${A.grantedId}/utbetalningsplan?klart=oforandrad`);

    const past = await post(officer, { ...asLoaded, "rows.0.plannedOn": "2020-01-02" });
    expect(past.status).toBe(400);
    const f = await failureOf(past);
    expect(f.fieldErrors["rows.0.plannedOn"]).toMatch(/^Planerad utbetalningsdag för utbetalning 1 har redan passerat\. Ange i dag \(\d{4}-\d{2}-\d{2}\) eller en senare dag\.$/);
    expect(f.values["rows.0.plannedOn"]).toBe("2020-01-02");
    expect(await instalments()).toEqual(before);
  });

  it("replaces the plan: old instalments cancelled through their statechart, new ones planned by the officer, totals reconcile", async () => {
    const old = await instalments();
    const res = await post(officer, rows(["100 000", "at_start", "2099-06-01"], ["150 000", "at_start", "2099-09-01"], ["150 000", "after_final_report", "2100-02-28"]));
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get("Location")).toBe(`/arenden/${A.grantedId}/utbetalningsplan?klart=sparad`);
    const now = await instalments();
    expect(now.filter((d) => old.some((o) => o.id === d.id)).map((d) => d.state)).toEqual(["cancelled", "cancelled"]);
    const fresh = now.filter((d) => d.state === "planned");
    expect(fresh.map((d) => [d.number, d.amountOre, d.trigger, d.plannedOn.toISOString().slice(0, 10), d.plannedById])).toEqual([
      [3, 10_000_000n, "at_start", "2099-06-01", A.users.officer.id],
      [4, 15_000_000n, "at_start", "2099-09-01", A.users.officer.id],
      [5, 15_000_000n, "after_final_report", "2100-02-28", A.users.officer.id],
    ]);
    const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: A.grantedId } });
    expect(grant.plannedOre).toBe(40_000_000n);
    const cancels = await t.db.auditEvent.findMany({ where: { caseId: { in: old.map((d) => d.id) }, eventType: "CANCEL" } });
    expect(cancels.map((e) => [e.actorId, (e.payload as { event: { reasons: string } }).event.reasons])).toEqual(Array(2).fill([A.users.officer.id, "Utbetalningsplanen har ändrats av handläggaren."]));
    expect(await t.db.auditEvent.count({ where: { caseId: { in: fresh.map((d) => d.id) }, eventType: "PLANNED" } })).toBe(3);
    // The replaced instalments read as replaced, not as stopped money.
    const page = await (await callRoute(planPage, "loader", `/arenden/${A.grantedId}/utbetalningsplan`, { cookie: officer, params: { id: A.grantedId } })).json();
    expect(page.plan.disbursements.map((d: { number: number; stateLabel: string }) => [d.number, d.stateLabel])).toEqual([
      [1, "Ersatt av ny plan"],
      [2, "Ersatt av ny plan"],
      [3, "Planerad"],
      [4, "Planerad"],
      [5, "Planerad"],
    ]);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("changes nothing when the plan is sent back unchanged", async () => {
    const before = await instalments();
    const res = await post(officer, rows(["100 000", "at_start", "2099-06-01"], ["150 000", "at_start", "2099-09-01"], ["150 000", "after_final_report", "2100-02-28"]));
    expect(res.headers.get("Location")).toBe(`/arenden/${A.grantedId}/utbetalningsplan?klart=oforandrad`);
    expect(await instalments()).toEqual(before);
  });

  it("keeps what finance has attested: the new rows must add up to the rest", async () => {
    const first = (await instalments()).find((d) => d.number === 3)!;
    await applyWorkflowEvent(t.db, A.users.finance, "disbursement", first.id, { type: "ATTEST" });
    const wrong = await post(officer, rows(["400 000", "at_start", "2099-10-01"]));
    expect((await failureOf(wrong)).formError).toBe(
      "Utbetalningarna ska tillsammans bli det beviljade beloppet, 400\u00a0000\u00a0kr. Nu blir de 500\u00a0000\u00a0kr. Av det är 100\u00a0000\u00a0kr redan rekvirerat, attesterat eller utbetalt och ligger kvar.",
    );
    expect((await post(officer, rows(["300 000", "after_final_report", "2100-02-28"]))).status).toBe(302);
    const now = await instalments();
    expect(now.filter((d) => d.state !== "cancelled").map((d) => [d.number, d.state, d.amountOre])).toEqual([
      [3, "attested", 10_000_000n],
      [6, "planned", 30_000_000n],
    ]);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("is the officers' alone: finance and decision makers are refused (403), an officer with jäv by the rule", async () => {
    const before = await instalments();
    for (const role of ["finance", "decision_maker", "admin"] as const) {
      const res = await post(await sessionCookie(t.db, A.users[role].id), rows(["400 000", "at_start", "2099-06-01"]));
      expect(res.status, role).toBe(403);
    }
    await applyWorkflowEvent(t.db, A.officer2, "application", A.grantedId, { type: "DECLARE_CONFLICT_OF_INTEREST" }, { details: { conflictReason: "Släkting i styrelsen" } });
    const res = await post(await sessionCookie(t.db, A.officer2.id), rows(["300 000", "at_start", "2099-06-01"]));
    expect(res.status).toBe(422);
    expect((await failureOf(res)).formError).toBe("Du har anmält jäv i ärendet och får inte delta i handläggningen.");
    expect(await instalments()).toEqual(before);
  });
});
