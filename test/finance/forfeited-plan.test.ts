// Money lost to a lapse (no payment request in time) or to a deliberate
// cancellation is forfeited: the payment plan must not pay it out again. The
// plan is refused unless new rows + kept instalments + forfeited money add up
// to exactly the grant, and the page says how much is forfeited.
import { beforeAll, describe, expect, it } from "vitest";
import * as planPage from "../../app/routes/_app.arenden.$id_.utbetalningsplan";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { runTimeEvents } from "../../app/workflow/timers.server";
import { reconcile } from "../../app/workflow/budget.server";
import { makePublishedCall } from "../support/fixtures";
import { buildSide, sessionCookie, useWorldDatabase, type Side } from "../access/world";
import { callRoute, failureOf } from "../admin-screens/helpers";

const t = useWorldDatabase();
let A: Side;
let officer: string;
let applicationId: string;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  officer = await sessionCookie(t.db, A.users.officer.id);
  // 100 000 kr, half at the start and half after the final report; each must be requested within 30 days.
  const { call } = await makePublishedCall(t.db, A.users.officer, A.boardId, { call: { paymentRequestRequired: true, paymentRequestDays: 30 } });
  const at = new Date("2020-03-01T10:00:00Z");
  const later = new Date("2020-04-01T10:00:00Z");
  const draft = await createApplicationDraft(t.db, A.users.applicant, call.id, A.applicantOrgId, { title: "Förverkat bidrag", requestedOre: 10_000_000n, budgetLines: [{ category: "Personal", amountOre: 10_000_000n }] }, at);
  await applyWorkflowEvent(t.db, A.users.applicant, "application", draft.id, { type: "SUBMIT", requestedOre: 10_000_000 }, { now: at });
  await applyWorkflowEvent(t.db, A.users.officer, "application", draft.id, { type: "START_ASSESSMENT" }, { now: later });
  await applyWorkflowEvent(t.db, A.users.officer, "application", draft.id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: 10_000_000 }, { now: later, details: { summary: "Bra." } });
  await applyWorkflowEvent(t.db, A.users.decision_maker, "application", draft.id, { type: "DECIDE", outcome: "approved", grantedOre: 10_000_000, reasons: "Uppfyller kraven." }, { now: later });
  applicationId = draft.id;
}, 120_000);

const url = () => `/arenden/${applicationId}/utbetalningsplan`;
const post = (form: Record<string, string>) => callRoute(planPage, "action", url(), { cookie: officer, params: { id: applicationId }, form });
const one = (amount: string, plannedOn: string) => ({ "rows.0.amount": amount, "rows.0.trigger": "at_start", "rows.0.plannedOn": plannedOn });
const instalments = () => t.db.disbursement.findMany({ where: { grant: { applicationId } }, orderBy: { number: "asc" } });

describe("forfeited money in the payment plan", () => {
  it("does not let a new plan pay out an instalment that lapsed, and says how much is forfeited", async () => {
    // Nobody requested the first instalment within 30 days of the decision: it lapses.
    await runTimeEvents(t.db, new Date("2020-06-01T10:00:00Z"));
    expect((await instalments()).map((d) => [d.number, d.state, d.amountOre])).toEqual([
      [1, "lapsed", 5_000_000n],
      [2, "planned", 5_000_000n],
    ]);
    const page = await (await callRoute(planPage, "loader", url(), { cookie: officer, params: { id: applicationId } })).json();
    expect([page.plan.grant.forfeited, page.plan.grant.toPlan, page.plan.grant.toPlanNote]).toEqual(["50\u00a0000\u00a0kr", "50\u00a0000\u00a0kr", "(beviljat 100\u00a0000\u00a0kr, varav 50\u00a0000\u00a0kr förverkat)"]);

    const before = await instalments();
    const replan = await post(one("100 000", "2099-06-01"));
    expect(replan.status).toBe(400);
    expect((await failureOf(replan)).formError).toBe(
      "Utbetalningarna ska tillsammans bli det beviljade beloppet, 100\u00a0000\u00a0kr. Nu blir de 150\u00a0000\u00a0kr. 50\u00a0000\u00a0kr är förverkat (rekvirerades inte i tid eller har makulerats) och kan inte planeras igen.",
    );
    expect(await instalments()).toEqual(before);

    // What is left may be planned anew, with a fresh deadline.
    expect((await post(one("50 000", "2099-06-01"))).status).toBe(302);
    const fresh = (await instalments()).filter((d) => d.state === "planned");
    expect(fresh.map((d) => [d.amountOre, d.requestDeadline?.toISOString().slice(0, 10)])).toEqual([[5_000_000n, "2099-07-01"]]);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("treats an instalment cancelled by finance as forfeited too, but not the plan's own replacements", async () => {
    const [planned] = (await instalments()).filter((d) => d.state === "planned");
    await applyWorkflowEvent(t.db, A.users.finance, "disbursement", planned.id, { type: "CANCEL", reasons: "Mottagaren har avstått från utbetalningen." });
    const page = await (await callRoute(planPage, "loader", url(), { cookie: officer, params: { id: applicationId } })).json();
    expect([page.plan.grant.forfeited, page.plan.grant.toPlan]).toEqual(["100\u00a0000\u00a0kr", "0\u00a0kr"]);
    const res = await post(one("50 000", "2099-09-01"));
    expect(res.status).toBe(400);
    expect((await failureOf(res)).formError).toContain("100\u00a0000\u00a0kr är förverkat");
    expect((await instalments()).filter((d) => d.state === "planned")).toEqual([]);
  });
});
