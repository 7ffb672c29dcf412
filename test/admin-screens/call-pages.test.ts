// What the call's pages tell staff about its budget and its closing, as the officer and the
// coordinator read them: a call closed by hand before its last day says so (when, and not that the
// last day has passed), and money held by a decision that waits for its second decision maker is
// shown apart from what was granted, so "Beviljat" on the call page is budget at a glance's figure.
import { beforeAll, describe, expect, it } from "vitest";
import * as callPage from "../../app/routes/_app.utlysningar.$id";
import * as callList from "../../app/routes/_app.utlysningar._index";
import * as callBudget from "../../app/routes/_app.utlysningar.$id_.budget";
import * as editCall from "../../app/routes/_app.utlysningar.$id_.redigera";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft, createCall } from "../../app/workflow/create.server";
import { reconcile } from "../../app/workflow/budget.server";
import { closingDayNote } from "../../app/calls/calls.server";
import { stockholmDateTimeToUtc } from "../../app/lib/dates";
import { buildSide, sessionCookie, useWorldDatabase, type Side } from "../access/world";
import { callRoute } from "./helpers";

const t = useWorldDatabase();
let A: Side;
let officer: string;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  officer = await sessionCookie(t.db, A.users.officer.id);
}, 120_000);

const nbsp = (s: string) => s.replace(/ /g, "\u00a0");
const page = async (mod: Parameters<typeof callRoute>[0], path: string, id?: string) => {
  const res = await callRoute(mod, "loader", path, { cookie: officer, params: id ? { id } : {} });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
};

describe("a call closed by hand before its last application day", () => {
  it("shows when it closed, and does not claim that the last day has passed", async () => {
    // A's published call closes on 2099-12-31; the officer closes it now.
    const call = await t.db.call.findUniqueOrThrow({ where: { id: A.callId } });
    const closedAt = new Date("2026-11-23T22:44:00Z"); // 23:44 in Stockholm
    await applyWorkflowEvent(t.db, A.users.officer, "call", A.callId, { type: "CLOSE" }, { expectedVersion: call.version, now: closedAt });

    const view = (await page(callPage, `/utlysningar/${A.callId}`, A.callId)).call;
    expect(view.closesAt).toBe("2099-12-31 23:59");
    expect(view.closedEarlyAt).toBe("2026-11-23 23:44");
    expect(view.stateNext).toBe("Utlysningen stängdes i förtid 2026-11-23 23:44. Ansökningarna handläggs och beslutas.");
    expect(view.stateNext).not.toContain("Sista ansökningsdag har passerat");

    const edit = (await page(editCall, `/utlysningar/${A.callId}/redigera`, A.callId)).call;
    expect([edit.closedEarlyAt, edit.stateNext]).toEqual([view.closedEarlyAt, view.stateNext]);

    const list = (await page(callList, "/utlysningar")).list;
    const row = list.rows.find((r: { id: string }) => r.id === A.callId);
    expect(row.closedEarlyAt).toBe("2026-11-23 23:44");
    // A draft has not closed at all.
    expect(list.rows.find((r: { id: string }) => r.id === A.draftCallId).closedEarlyAt).toBeNull();
  });
});

describe("a decision waiting for its second decision maker", () => {
  it("is shown as reserved, not as granted; what is left is what can still be granted", async () => {
    const t0 = new Date("2020-02-01T09:00:00Z");
    const allocation = await t.db.allocation.findFirstOrThrow({ where: { assignmentId: A.assignmentId } });
    const call = await createCall(
      t.db,
      A.users.officer,
      allocation.id,
      {
        title: "Utlysning med två beslutsfattare",
        budgetOre: 100_000_000n,
        opensAt: new Date("2020-01-01T00:00:00Z"),
        closesAt: new Date("2099-12-31T22:59:59Z"),
        eligibleKinds: ["municipality"],
        finalReportDueOn: new Date("2021-02-28"),
        appealNotice: "Beslutet kan överklagas hos förvaltningsrätten.",
        paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
        secondDecisionMakerAboveOre: 10_000_000n,
      },
      t0,
    );
    await applyWorkflowEvent(t.db, A.users.officer, "call", call.id, { type: "PUBLISH" }, { now: t0 });
    const at = new Date("2020-03-01T10:00:00Z");
    const decide = async (title: string, ore: number) => {
      const app = await createApplicationDraft(t.db, A.users.applicant, call.id, A.applicantOrgId, { title, requestedOre: BigInt(ore), budgetLines: [{ category: "Personal", amountOre: BigInt(ore) }], contactName: "Kontakt" }, at);
      await applyWorkflowEvent(t.db, A.users.applicant, "application", app.id, { type: "SUBMIT", requestedOre: ore }, { now: at });
      await applyWorkflowEvent(t.db, A.users.officer, "application", app.id, { type: "START_ASSESSMENT" }, { now: at });
      await applyWorkflowEvent(t.db, A.users.officer, "application", app.id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: ore }, { now: at, details: { summary: "Bra." } });
      await applyWorkflowEvent(t.db, A.users.decision_maker, "application", app.id, { type: "DECIDE", outcome: "approved", grantedOre: ore, reasons: "Uppfyller kriterierna." }, { now: at });
      return (await t.db.application.findUniqueOrThrow({ where: { id: app.id } })).state;
    };
    expect(await decide("Litet projekt", 5_000_000)).not.toBe("awaitingSecondDecision"); // 50 000 kr: granted at once
    expect(await decide("Stort projekt", 42_000_000)).toBe("awaitingSecondDecision"); // 420 000 kr: waits
    expect((await t.db.call.findUniqueOrThrow({ where: { id: call.id } })).grantedOre).toBe(47_000_000n);
    expect(await reconcile(t.db)).toEqual([]);

    const view = (await page(callPage, `/utlysningar/${call.id}`, call.id)).call;
    expect([view.budget, view.granted, view.pending, view.left]).toEqual([nbsp("1 000 000 kr"), nbsp("50 000 kr"), nbsp("420 000 kr"), nbsp("530 000 kr")]);

    const row = (await page(callList, "/utlysningar")).list.rows.find((r: { id: string }) => r.id === call.id);
    expect([row.granted, row.pending, row.left]).toEqual([view.granted, view.pending, view.left]);

    // Budget at a glance counts only the grant in force; it says what is held besides.
    const glance = await page(callBudget, `/utlysningar/${call.id}/budget`, call.id);
    expect(glance.pending).toBe(nbsp("420 000 kr"));
    expect(JSON.stringify(glance.glance.headline)).toContain(nbsp("50 000 kr"));

    // A call with nothing waiting shows no reservation.
    expect((await page(callPage, `/utlysningar/${A.callId}`, A.callId)).call.pending).toBeNull();
  });
});

describe("a last application day when the board is closed", () => {
  it("is pointed out on the edit page while the call is a draft, with the holiday's name", async () => {
    const allocation = await t.db.allocation.findFirstOrThrow({ where: { assignmentId: A.assignmentId } });
    const call = await createCall(
      t.db,
      A.users.officer,
      allocation.id,
      {
        title: "Utlysning som stänger på juldagen",
        budgetOre: 1_000_000n,
        opensAt: stockholmDateTimeToUtc("2026-11-24", "08:00"),
        closesAt: stockholmDateTimeToUtc("2026-12-25", "23:59"),
        eligibleKinds: ["municipality"],
        finalReportDueOn: new Date("2027-12-31"),
        appealNotice: "Beslutet kan inte överklagas.",
        paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
      },
      new Date("2026-11-23T12:00:00Z"),
    );
    const edit = (await page(editCall, `/utlysningar/${call.id}/redigera`, call.id)).call;
    expect(edit.closingDayNote).toBe("Sista ansökningsdagen, 2026-12-25, är juldagen. Då har länsstyrelsen stängt och de sökande kan inte nå er med frågor. Välj en vardag om det inte är meningen.");
  });

  it("reads the day in Stockholm, and names Saturdays, Sundays and the eves", () => {
    // 00:30 on 26 December in Stockholm is still 25 December in UTC.
    expect(closingDayNote(stockholmDateTimeToUtc("2026-12-26", "00:30"))).toContain("2026-12-26, är annandag jul.");
    expect(closingDayNote(stockholmDateTimeToUtc("2026-06-19", "23:59"))).toContain("är midsommarafton.");
    expect(closingDayNote(stockholmDateTimeToUtc("2026-03-28", "23:59"))).toContain("är en lördag.");
    expect(closingDayNote(stockholmDateTimeToUtc("2026-03-29", "23:59"))).toContain("är en söndag.");
    expect(closingDayNote(stockholmDateTimeToUtc("2026-03-31", "23:59"))).toBeNull();
    expect(closingDayNote(stockholmDateTimeToUtc("2026-12-24", "12:00"))).toContain("är julafton.");
  });
});
