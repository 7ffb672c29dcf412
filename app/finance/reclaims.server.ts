// The finance function's reclaims (/ekonomi/aterkrav): decide a proposed
// reclaim with amount and due date, waive it in whole or part with reasons,
// follow it up (due dates, overdue), register repayments against the case's
// registration number, and close the case. Every action is an event on the
// application's statechart (DECIDE_RECLAIM, REJECT_RECLAIM, WAIVE, MARK_REPAID,
// CLOSE_CASE), sent through the case page's own parser and engine call.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { notFound, reclaimScope, requireApplication, type Principal } from "~/access/permissions.server";
import { allowedEventsForCases } from "~/workflow/engine.server";
import { handleCaseAction, type CaseActionResult } from "~/cases/case-actions.server";
import type { EventFormSpec } from "~/cases/event-fields";
import { formatKronor, oreToKronorInput } from "~/lib/money";
import { addDays, formatDate, todayInStockholm, utcMidnightToPlainDate, type PlainDate } from "~/lib/dates";
import { RECLAIM_GROUND_LABELS, RECLAIM_STATE_LABELS, eventLabel } from "~/lib/state-labels";

export const RECLAIMS_PAGE_SIZE = 25;
export const RECLAIM_EVENTS = ["DECIDE_RECLAIM", "REJECT_RECLAIM", "WAIVE", "MARK_REPAID", "CLOSE_CASE"];
/** Days to pay a decided reclaim, as the form suggests it. */
const DEFAULT_DAYS_TO_PAY = 30;

export const RECLAIM_VIEWS = {
  pagaende: { label: "Pågående" },
  forfallna: { label: "Förfallna" },
  avslutade: { label: "Avslutade" },
  alla: { label: "Alla" },
} as const;
export type ReclaimView = keyof typeof RECLAIM_VIEWS;

export function parseReclaimQuery(url: URL): { view: ReclaimView; page: number } {
  const v = url.searchParams.get("visa") ?? "pagaende";
  const page = Number(url.searchParams.get("sida") ?? "1");
  return { view: v in RECLAIM_VIEWS ? (v as ReclaimView) : "pagaende", page: Number.isSafeInteger(page) && page >= 1 ? page : 1 };
}

function viewFilter(view: ReclaimView, today: PlainDate): Prisma.ReclaimWhereInput {
  const midnight = new Date(`${today}T00:00:00Z`);
  switch (view) {
    case "pagaende":
      return { state: { in: ["proposed", "decided"] } };
    // A decided reclaim with money still owed after its due date (the row is "decided" until it is fully repaid or waived).
    case "forfallna":
      return { state: "decided", dueOn: { lt: midnight } };
    case "avslutade":
      return { state: { in: ["repaid", "waived", "rejected"] } };
    case "alla":
      return {};
  }
}

export async function listReclaims(db: Db, user: Principal, query: { view: ReclaimView; page: number }, now = new Date()) {
  const today = todayInStockholm(now);
  const scope = reclaimScope(user);
  const where: Prisma.ReclaimWhereInput = { AND: [scope, viewFilter(query.view, today)] };
  const total = await db.reclaim.count({ where });
  const counts: Record<string, number> = {};
  for (const key of Object.keys(RECLAIM_VIEWS) as ReclaimView[]) counts[key] = await db.reclaim.count({ where: { AND: [scope, viewFilter(key, today)] } });
  const pages = Math.max(1, Math.ceil(total / RECLAIMS_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await db.reclaim.findMany({
    where,
    orderBy: [{ dueOn: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }, { id: "asc" }],
    skip: (page - 1) * RECLAIMS_PAGE_SIZE,
    take: RECLAIMS_PAGE_SIZE,
    include: { grant: { select: { paidOre: true, application: { select: { id: true, version: true, state: true, registrationNumber: true, title: true, applicantOrg: { select: { name: true } } } } } } },
  });
  // Only the case's current reclaim can be acted on; the statechart says what this user may do with it (one statement for the page).
  const isCurrent = (r: (typeof rows)[number]) => {
    const a = r.grant.application;
    return a.state.startsWith("reclaim.") && (r.state === "proposed" || r.state === "decided" || `reclaim.${r.state}` === a.state);
  };
  const currentCases = [...new Set(rows.filter(isCurrent).map((r) => r.grant.application.id))];
  const allowed = currentCases.length ? await allowedEventsForCases(db, user, "application", currentCases, now) : new Map<string, string[]>();
  const out = [];
  for (const r of rows) {
    const a = r.grant.application;
    const outstanding = r.state === "decided" ? r.amountOre - r.waivedOre - r.repaidOre : 0n;
    const dueOn = r.dueOn ? utcMidnightToPlainDate(r.dueOn) : null;
    const events = isCurrent(r) ? (allowed.get(a.id) ?? []).filter((e) => RECLAIM_EVENTS.includes(e)) : [];
    const defaults: Record<string, Record<string, string>> = {
      DECIDE_RECLAIM: { amount: oreToKronorInput(r.amountOre), dueDate: addDays(today, DEFAULT_DAYS_TO_PAY), reasons: r.reasons },
      WAIVE: { waived: oreToKronorInput(outstanding) },
      MARK_REPAID: { amount: oreToKronorInput(outstanding), paidOn: today, paymentReference: r.paymentReference },
    };
    out.push({
      id: r.id,
      applicationId: a.id,
      registrationNumber: a.registrationNumber,
      title: a.title,
      recipient: a.applicantOrg.name,
      ground: RECLAIM_GROUND_LABELS[r.ground] ?? r.ground,
      reasons: r.reasons,
      waiverReasons: r.waiverReasons,
      paid: formatKronor(r.grant.paidOre),
      amount: formatKronor(r.amountOre),
      waived: formatKronor(r.waivedOre),
      repaid: formatKronor(r.repaidOre),
      outstanding: formatKronor(outstanding),
      dueOn: dueOn ? formatDate(dueOn) : null,
      overdue: r.state === "decided" && dueOn !== null && dueOn < today && outstanding > 0n,
      repaidOn: r.repaidOn ? formatDate(utcMidnightToPlainDate(r.repaidOn)) : null,
      paymentReference: r.paymentReference,
      state: r.state,
      stateLabel: RECLAIM_STATE_LABELS[r.state] ?? r.state,
      actions: events.map((type): EventFormSpec => ({ kind: "application", caseId: a.id, version: a.version, type, label: eventLabel("application", type), defaults: defaults[type] ?? {} })),
    });
  }
  return { view: query.view, total, page, pages, today, views: (Object.keys(RECLAIM_VIEWS) as ReclaimView[]).map((key) => ({ key, label: RECLAIM_VIEWS[key].label, count: counts[key] })), rows: out };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether a payment reference quotes the registration number as a whole token:
 * "Återbetalning 05-2020-0001" and "05-2020-0001/1" do, "105-2020-00012" (another
 * number that merely contains it) does not.
 */
export function quotesRegistrationNumber(reference: string, registrationNumber: string): boolean {
  const token = new RegExp(`(?<![\\p{L}\\p{N}-])${escapeRegExp(registrationNumber)}(?![\\p{L}\\p{N}]|-[\\p{L}\\p{N}])`, "iu");
  return token.test(reference.trim());
}

/**
 * A reclaim action from the list. The case must have a reclaim in the user's
 * finance scope (else 404); only reclaim events are accepted here; a repayment
 * must quote the case's registration number, which is what the payer was told
 * to write on the payment.
 */
export async function handleReclaimAction(db: Db, user: Principal, form: FormData): Promise<CaseActionResult> {
  const caseId = String(form.get("caseId") ?? "");
  const application = await requireApplication(db, user, caseId);
  const reclaim = await db.reclaim.findFirst({ where: { AND: [reclaimScope(user), { grant: { applicationId: application.id } }] }, select: { id: true } });
  if (!reclaim) throw notFound();
  const eventType = String(form.get("eventType") ?? "");
  const formKey = `application-${application.id}-${eventType}`;
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string" && !["intent", "kind", "caseId", "eventType", "version"].includes(e[0])));
  if (form.get("kind") !== "application" || !RECLAIM_EVENTS.includes(eventType)) {
    return { ok: false, status: 400, data: { formKey, values, fieldErrors: {}, formError: "Åtgärden finns inte på den här sidan." } };
  }
  if (eventType === "MARK_REPAID" && application.registrationNumber) {
    const reference = String(form.get("paymentReference") ?? "").trim();
    if (reference !== "" && !quotesRegistrationNumber(reference, application.registrationNumber)) {
      return { ok: false, status: 400, data: { formKey, values, fieldErrors: { paymentReference: `Betalningen ska vara märkt med ärendets diarienummer ${application.registrationNumber}.` } } };
    }
  }
  return handleCaseAction(db, user, application, form);
}
