// Creating, editing, publishing and closing calls through the real routes:
// every term lands in the database exactly, the budget is committed on the
// allocation (never beyond it), edits and state changes go through the call's
// statechart with an audit event, and refusals save nothing.
import { beforeAll, describe, expect, it } from "vitest";
import * as newCall from "../../app/routes/_app.utlysningar.ny";
import * as editCall from "../../app/routes/_app.utlysningar.$id_.redigera";
import { reconcile } from "../../app/workflow/budget.server";
import { buildSide, sessionCookie, useWorldDatabase, type Side } from "../access/world";
import { callRoute, failureOf } from "./helpers";

const t = useWorldDatabase();
let A: Side;
let B: Side;
let officer: string;
let allocationId: string;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  officer = await sessionCookie(t.db, A.users.officer.id);
  allocationId = (await t.db.allocation.findFirstOrThrow({ where: { assignmentId: A.assignmentId } })).id;
}, 120_000);

/** A complete call form as the page sends it (checkboxes send "on"). */
const callForm = (over: Record<string, string> = {}): Record<string, string> => ({
  allocationId,
  title: "Våldsförebyggande arbete 2026",
  description: "Utvecklingsmedel för våldsförebyggande arbete i länet.",
  priorities: "Barn som har upplevt våld.",
  budget: "1 500 000",
  opensOn: "2026-03-02",
  opensTime: "08:00",
  closesOn: "2099-03-31",
  closesTime: "23:59",
  "kind.municipality": "on",
  "cofunding.municipality": "50",
  "kind.nonprofit_association": "on",
  maxAmount: "300 000",
  maxProjectMonths: "12",
  requiresMultipleCounties: "on",
  interimReportRequired: "on",
  interimReportDueOn: "2099-09-30",
  finalReportDueOn: "2100-01-31",
  "criteria.0.name": "Behov",
  "criteria.0.description": "Behovet är beskrivet.",
  "criteria.0.weight": "60",
  "criteria.1.name": "Samverkan",
  "criteria.1.weight": "40",
  "indicators.0.name": "Antal utbildade",
  "indicators.0.unit": "personer",
  "terms.0.share": "50",
  "terms.0.trigger": "at_start",
  "terms.1.share": "50",
  "terms.1.trigger": "after_final_report",
  paymentRequestRequired: "on",
  paymentRequestDays: "60",
  secondDecisionMakerAbove: "250 000",
  appealNotice: "Beslutet kan överklagas hos förvaltningsrätten.",
  ...over,
});

let callId: string;

describe("creating a call", () => {
  it("saves a draft with every term, and commits its budget on the allocation", async () => {
    const before = await t.db.allocation.findUniqueOrThrow({ where: { id: allocationId } });
    const res = await callRoute(newCall, "action", "/utlysningar/ny", { cookie: officer, form: callForm() });
    expect(res.status, await res.clone().text()).toBe(302);
    const call = await t.db.call.findFirstOrThrow({ where: { title: "Våldsförebyggande arbete 2026" }, include: { criteria: { orderBy: { position: "asc" } }, indicators: true } });
    callId = call.id;
    expect(res.headers.get("Location")).toBe(`/utlysningar/${call.id}/redigera?klart=skapad`);
    expect(call.state).toBe("draft");
    expect(call.budgetOre).toBe(150_000_000n);
    // 08:00 on 2 March in Stockholm is 07:00 UTC (winter time).
    expect(call.opensAt.toISOString()).toBe("2026-03-02T07:00:00.000Z");
    expect(call.eligibleKinds.sort()).toEqual(["municipality", "nonprofit_association"]);
    expect(call.cofundingRules).toEqual({ municipality: 50 });
    expect(call.maxAmountOre).toBe(30_000_000n);
    expect([call.maxProjectMonths, call.requiresMultipleCounties, call.interimReportRequired, call.paymentRequestRequired, call.paymentRequestDays]).toEqual([12, true, true, true, 60]);
    expect(call.secondDecisionMakerAboveOre).toBe(25_000_000n);
    expect(call.paymentTerms).toEqual({ instalments: [{ sharePercent: 50, trigger: "at_start" }, { sharePercent: 50, trigger: "after_final_report" }] });
    expect(call.criteria.map((c) => [c.name, c.weight])).toEqual([["Behov", 60], ["Samverkan", 40]]);
    expect(call.indicators.map((i) => [i.name, i.unit])).toEqual([["Antal utbildade", "personer"]]);
    const after = await t.db.allocation.findUniqueOrThrow({ where: { id: allocationId } });
    expect(after.committedOre - before.committedOre).toBe(150_000_000n);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("refuses weights, shares and times that do not add up, naming each field, and saves nothing", async () => {
    const before = await t.db.call.count();
    const res = await callRoute(newCall, "action", "/utlysningar/ny", {
      cookie: officer,
      form: callForm({ title: "Felaktig", "criteria.1.weight": "30", "terms.1.share": "40", closesOn: "2026-03-01", "kind.municipality": "", "kind.nonprofit_association": "" }),
    });
    expect(res.status).toBe(400);
    const f = await failureOf(res);
    expect(f.fieldErrors["criteria.0.weight"]).toBe("Kriteriernas vikter ska tillsammans bli 100. Nu blir de 90.");
    expect(f.fieldErrors["terms.0.share"]).toBe("Utbetalningarnas andelar ska tillsammans bli 100 %. Nu blir de 90 %.");
    expect(f.fieldErrors["kind.municipality"]).toBe("Välj minst en typ av organisation som får söka.");
    expect(f.fieldErrors.closesOn).toBe("Utlysningen måste stänga efter att den öppnar.");
    expect(f.values.title).toBe("Felaktig");
    expect(await t.db.call.count()).toBe(before);
  });

  it("refuses a call that closes before it opens", async () => {
    const res = await callRoute(newCall, "action", "/utlysningar/ny", { cookie: officer, form: callForm({ title: "Baklänges", closesOn: "2026-03-01", description: "" }) });
    const f = await failureOf(res);
    // Shown together with the other fields' errors, not after they are fixed.
    expect(f.fieldErrors.closesOn).toBe("Utlysningen måste stänga efter att den öppnar.");
    expect(f.fieldErrors.description).toBe("Beskriv utlysningen.");
  });

  it("refuses a budget beyond what is left of the allocation, with what is left, and commits nothing", async () => {
    const before = await t.db.allocation.findUniqueOrThrow({ where: { id: allocationId } });
    const res = await callRoute(newCall, "action", "/utlysningar/ny", { cookie: officer, form: callForm({ title: "För stor", budget: "600 000" , maxAmount: "" }) });
    // 5 MSEK allocated; 2 + 1 + 1,5 MSEK in calls: 500 000 kr left.
    expect(res.status).toBe(422);
    expect((await failureOf(res)).fieldErrors.budget).toBe("Utlysningarnas budget ryms inte i länsstyrelsens tilldelning. Kvar att utlysa: 500\u00a0000\u00a0kr.");
    expect(await t.db.call.count({ where: { title: "För stor" } })).toBe(0);
    expect((await t.db.allocation.findUniqueOrThrow({ where: { id: allocationId } })).committedOre).toBe(before.committedOre);
  });

  it("offers only the user's own board's allocations: another board's allocation is refused", async () => {
    const other = await t.db.allocation.findFirstOrThrow({ where: { assignmentId: B.assignmentId } });
    const res = await callRoute(newCall, "action", "/utlysningar/ny", { cookie: officer, form: callForm({ title: "Fel län", allocationId: other.id }) });
    expect((await failureOf(res)).fieldErrors.allocationId).toBe("Välj vilken tilldelning utlysningen ska finansieras av.");
    expect(await t.db.call.count({ where: { title: "Fel län" } })).toBe(0);
    const dm = await sessionCookie(t.db, A.users.decision_maker.id);
    expect((await callRoute(newCall, "action", "/utlysningar/ny", { cookie: dm, form: callForm({ title: "Av beslutsfattare" }) })).status).toBe(403);
  });
});

describe("editing, publishing and closing a call", () => {
  const post = (cookie: string, form: Record<string, string>) => callRoute(editCall, "action", `/utlysningar/${callId}/redigera`, { cookie, params: { id: callId }, form });
  const version = async () => String((await t.db.call.findUniqueOrThrow({ where: { id: callId } })).version);

  it("shows the draft's terms in the form", async () => {
    const page = await (await callRoute(editCall, "loader", `/utlysningar/${callId}/redigera`, { cookie: officer, params: { id: callId } })).json();
    expect(page.call.values.budget).toBe("1 500 000");
    expect(page.call.values.opensTime).toBe("08:00");
    expect(page.call.values["criteria.1.name"]).toBe("Samverkan");
    expect([page.call.mayEdit, page.call.mayPublish, page.call.mayClose]).toEqual([true, true, false]);
  });

  it("saves an edit through the statechart: new terms, budget moved on the allocation, an EDIT_TERMS audit event", async () => {
    const before = await t.db.allocation.findUniqueOrThrow({ where: { id: allocationId } });
    const res = await post(officer, { intent: "edit", version: await version(), ...callForm({ title: "Våldsförebyggande arbete 2026 (ändrad)", budget: "1 200 000", "criteria.0.weight": "50", "criteria.1.weight": "25", "criteria.2.name": "Budget", "criteria.2.weight": "25", "cofunding.municipality": "40" }) });
    expect(res.status, await res.clone().text()).toBe(302);
    const call = await t.db.call.findUniqueOrThrow({ where: { id: callId }, include: { criteria: { orderBy: { position: "asc" } } } });
    expect(call.title).toBe("Våldsförebyggande arbete 2026 (ändrad)");
    expect(call.budgetOre).toBe(120_000_000n);
    expect(call.cofundingRules).toEqual({ municipality: 40 });
    expect(call.criteria.map((c) => [c.name, c.weight])).toEqual([["Behov", 50], ["Samverkan", 25], ["Budget", 25]]);
    expect((await t.db.allocation.findUniqueOrThrow({ where: { id: allocationId } })).committedOre).toBe(before.committedOre - 30_000_000n);
    const audit = await t.db.auditEvent.findMany({ where: { caseId: callId }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.eventType)).toEqual(["CREATED", "EDIT_TERMS"]);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("refuses an edit whose budget does not fit, and keeps the old terms", async () => {
    const res = await post(officer, { intent: "edit", version: await version(), ...callForm({ title: "Ändrad igen", budget: "2 000 000,01" }) });
    expect(res.status).toBe(422);
    expect((await failureOf(res)).fieldErrors.budget).toContain("Kvar att utlysa: 800\u00a0000\u00a0kr");
    const call = await t.db.call.findUniqueOrThrow({ where: { id: callId } });
    expect([call.title, call.budgetOre]).toEqual(["Våldsförebyggande arbete 2026 (ändrad)", 120_000_000n]);
  });

  it("refuses an edit made on an old version (someone else saved in between)", async () => {
    const res = await post(officer, { intent: "edit", version: "1", ...callForm() });
    expect(res.status).toBe(409);
    expect((await failureOf(res)).formError).toContain("har ändrats av någon annan");
  });

  it("publishes, then no longer accepts edits, then closes; each step audited", async () => {
    expect((await post(officer, { intent: "PUBLISH", version: await version() })).status).toBe(302);
    expect((await t.db.call.findUniqueOrThrow({ where: { id: callId } })).state).toBe("published");
    const edit = await post(officer, { intent: "edit", version: await version(), ...callForm({ title: "Efter publicering" }) });
    expect(edit.status).toBe(422);
    expect((await t.db.call.findUniqueOrThrow({ where: { id: callId } })).title).toBe("Våldsförebyggande arbete 2026 (ändrad)");
    const page = await (await callRoute(editCall, "loader", `/utlysningar/${callId}/redigera`, { cookie: officer, params: { id: callId } })).json();
    expect([page.call.mayEdit, page.call.mayPublish, page.call.mayClose]).toEqual([false, false, true]);
    expect((await post(officer, { intent: "CLOSE", version: await version() })).status).toBe(302);
    const audit = await t.db.auditEvent.findMany({ where: { caseId: callId }, orderBy: { id: "asc" } });
    expect(audit.map((e) => [e.eventType, e.toState])).toEqual([["CREATED", "draft"], ["EDIT_TERMS", "draft"], ["PUBLISH", "published"], ["CLOSE", "closed"]]);
  });

  it("lets an admin create a draft but leaves publishing to the officers (the call statechart's isOfficer)", async () => {
    const admin = await sessionCookie(t.db, A.users.admin.id);
    const res = await callRoute(newCall, "action", "/utlysningar/ny", { cookie: admin, form: callForm({ title: "Adminutkast", budget: "100 000", maxAmount: "" }) });
    expect(res.status).toBe(302);
    const draft = await t.db.call.findFirstOrThrow({ where: { title: "Adminutkast" } });
    const publish = await callRoute(editCall, "action", `/utlysningar/${draft.id}/redigera`, { cookie: admin, params: { id: draft.id }, form: { intent: "PUBLISH", version: String(draft.version) } });
    expect(publish.status).toBe(422);
    expect((await failureOf(publish)).formError).toBe("Endast en handläggare vid länsstyrelsen kan göra detta.");
    expect((await t.db.call.findUniqueOrThrow({ where: { id: draft.id } })).state).toBe("draft");
  });

  it("refuses other staff of the board (403) and another board's officer (404)", async () => {
    const finance = await sessionCookie(t.db, A.users.finance.id);
    expect((await callRoute(editCall, "loader", `/utlysningar/${A.draftCallId}/redigera`, { cookie: finance, params: { id: A.draftCallId } })).status).toBe(403);
    const otherOfficer = await sessionCookie(t.db, B.users.officer.id);
    const res = await callRoute(editCall, "action", `/utlysningar/${A.draftCallId}/redigera`, { cookie: otherOfficer, params: { id: A.draftCallId }, form: { intent: "PUBLISH", version: "1" } });
    expect(res.status).toBe(404);
    expect((await t.db.call.findUniqueOrThrow({ where: { id: A.draftCallId } })).state).toBe("draft");
  });

  it("never commits more call budget than the allocation has, under parallel requests", async () => {
    const allocation = await t.db.allocation.findFirstOrThrow({ where: { assignmentId: B.assignmentId } });
    const bOfficer = await sessionCookie(t.db, B.users.officer.id);
    const left = allocation.amountOre - allocation.committedOre; // 2 MSEK
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => callRoute(newCall, "action", "/utlysningar/ny", { cookie: bOfficer, form: callForm({ allocationId: allocation.id, title: `Parallell ${i}`, budget: "700 000" }) })),
    );
    const created = results.filter((r) => r.status === 302).length;
    expect(created).toBe(Number(left / 70_000_000n));
    const after = await t.db.allocation.findUniqueOrThrow({ where: { id: allocation.id } });
    expect(after.committedOre).toBe(allocation.committedOre + 70_000_000n * BigInt(created));
    expect(after.committedOre).toBeLessThanOrEqual(after.amountOre);
    expect(await reconcile(t.db)).toEqual([]);
  });
});
