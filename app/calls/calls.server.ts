// Calls (utlysningar) a user may read: the list and one call's page. Applicants
// see the open calls they could apply to; board staff and coordinators see
// their calls in every state with budget, granted and what is left.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { applicationScope, callScope, orgIdsWithRole, STAFF_ROLES, type Principal } from "~/access/permissions.server";
import { formatKronor } from "~/lib/money";
import { formatDate, formatDateTime, holidayNames, isNonBusinessDayForDeadlines, isoWeekday, toPlainDate, utcMidnightToPlainDate } from "~/lib/dates";
import { ORGANIZATION_KIND_LABELS, TRIGGER_LABELS, stateLabel, stateNext } from "~/lib/state-labels";
import { allStateKeys } from "../../workflows";

export const CALL_PAGE_SIZE = 25;

const kr = (ore: bigint) => formatKronor(ore);

/**
 * When a call was closed by hand (CLOSE) before its last application day, or null. The list and
 * the call's pages then show that day beside the last application day it never reached.
 */
export function closedEarlyAt(c: { state: string; closesAt: Date; snapshot: unknown }): Date | null {
  if (c.state === "draft" || c.state === "published") return null;
  const at = (c.snapshot as { context?: { closedAt?: string | null } } | null)?.context?.closedAt;
  if (!at) return null;
  const closed = new Date(at);
  return closed < c.closesAt ? closed : null;
}

/**
 * A note for the officer when the last application day (in Stockholm) is a Saturday, a Sunday, a
 * public holiday or midsommar-, jul- or nyårsafton: the board is closed then, so applicants cannot
 * reach it with questions on their last day. A warning, not a rule: the call may still close then.
 */
export function closingDayNote(closesAt: Date): string | null {
  const day = toPlainDate(closesAt);
  if (!isNonBusinessDayForDeadlines(day)) return null;
  const names = holidayNames(day);
  const what = names.length > 0 ? names.join(" och ") : isoWeekday(day) === 6 ? "en lördag" : "en söndag";
  return `Sista ansökningsdagen, ${formatDate(day)}, är ${what}. Då har länsstyrelsen stängt och de sökande kan inte nå er med frågor. Välj en vardag om det inte är meningen.`;
}

/** The state's explanation, worded for a call that was closed by hand before its last day. */
export function callStateNext(state: string, earlyAt: Date | null): string {
  if (state === "closed" && earlyAt) return `Utlysningen stängdes i förtid ${formatDateTime(earlyAt)}. Ansökningarna handläggs och beslutas.`;
  return stateNext("call", state);
}

/**
 * Money a call holds for decisions that wait for a second decision maker (the first decision
 * reserves it on the call's budget, but no grant is in force yet), per call. `"Call"."grantedOre"`
 * counts it with the grants, as the budget must; the pages show it apart, so that "Beviljat" is what
 * was granted, as on budget at a glance, and what is left is still what can be granted.
 */
export async function pendingDecisionOre(db: Db, callIds: string[]): Promise<Map<string, bigint>> {
  if (callIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ callId: string; pending: bigint }[]>`
    select "callId"::text as "callId", sum((snapshot -> 'context' -> 'pendingDecision' ->> 'grantedOre')::bigint)::bigint as pending
      from "Application"
     where "callId" = any(${callIds}::uuid[]) and snapshot -> 'context' -> 'pendingDecision' ->> 'grantedOre' is not null
     group by "callId"`;
  return new Map(rows.map((r) => [r.callId, BigInt(r.pending)]));
}

/** Budget, granted, reserved for pending decisions and what is left, as the pages show them. */
function budgetFigures(c: { budgetOre: bigint; grantedOre: bigint }, pending: bigint) {
  return {
    budget: kr(c.budgetOre),
    granted: kr(c.grantedOre - pending),
    pending: pending > 0n ? kr(pending) : null,
    left: kr(c.budgetOre - c.grantedOre),
  };
}
const day = (d: Date | null) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);

/** Applicants only (no role at a board): they are shown calls to apply to, not the boards' bookkeeping. */
export function isApplicantOnly(user: Principal): boolean {
  return orgIdsWithRole(user, [...STAFF_ROLES, "coordinator"]).length === 0;
}

export type CallListQuery = { state: string | null; page: number };

export function parseCallListQuery(url: URL): CallListQuery {
  const state = url.searchParams.get("status");
  const page = Number(url.searchParams.get("sida") ?? "1");
  return { state: state && allStateKeys("call").includes(state) ? state : null, page: Number.isSafeInteger(page) && page >= 1 ? page : 1 };
}

export async function listCalls(db: Db, user: Principal, query: CallListQuery, now = new Date()) {
  const applicantOnly = isApplicantOnly(user);
  const filters: Prisma.CallWhereInput[] = [callScope(user)];
  // An applicant sees the calls open now, unless they ask for another state.
  const state = query.state ?? (applicantOnly ? "published" : null);
  if (state) filters.push({ state });
  if (applicantOnly && state === "published") filters.push({ closesAt: { gt: now } });
  const where: Prisma.CallWhereInput = { AND: filters };
  const [total, byState] = await Promise.all([
    db.call.count({ where }),
    db.call.groupBy({ by: ["state"], where: callScope(user), _count: { _all: true } }),
  ]);
  const pages = Math.max(1, Math.ceil(total / CALL_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await db.call.findMany({
    where,
    orderBy: [{ closesAt: applicantOnly ? "asc" : "desc" }, { id: "asc" }],
    skip: (page - 1) * CALL_PAGE_SIZE,
    take: CALL_PAGE_SIZE,
    select: {
      id: true,
      title: true,
      state: true,
      budgetOre: true,
      grantedOre: true,
      maxAmountOre: true,
      opensAt: true,
      closesAt: true,
      snapshot: true,
      eligibleKinds: true,
      board: { select: { name: true } },
      _count: { select: { applications: { where: applicationScope(user) } } },
    },
  });
  const order = allStateKeys("call");
  const pending = applicantOnly ? new Map<string, bigint>() : await pendingDecisionOre(db, rows.map((c) => c.id));
  return {
    applicantOnly,
    state,
    total,
    page,
    pages,
    stateCounts: byState
      .map((s) => ({ state: s.state, label: stateLabel("call", s.state), count: s._count._all }))
      .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state)),
    rows: rows.map((c) => ({
      id: c.id,
      title: c.title,
      board: c.board.name,
      state: c.state,
      stateLabel: stateLabel("call", c.state),
      ...budgetFigures(c, pending.get(c.id) ?? 0n),
      maxAmount: c.maxAmountOre === null ? null : kr(c.maxAmountOre),
      opensAt: formatDateTime(c.opensAt),
      closesAt: formatDateTime(c.closesAt),
      closedEarlyAt: ((d) => (d ? formatDateTime(d) : null))(closedEarlyAt(c)),
      eligible: c.eligibleKinds.map((k) => ORGANIZATION_KIND_LABELS[k] ?? k).join(", "),
      applications: c._count.applications,
    })),
  };
}

type PaymentTerms = { instalments?: { sharePercent: number; trigger: string }[] };

/** One call's page. `callId` must come from `requireCall`. */
export async function loadCallView(db: Db, user: Principal, callId: string) {
  const c = await db.call.findUniqueOrThrow({
    where: { id: callId },
    include: {
      board: { select: { name: true } },
      allocation: { select: { assignment: { select: { id: true, title: true, reference: true } } } },
      criteria: { orderBy: { position: "asc" } },
      indicators: { orderBy: { position: "asc" } },
    },
  });
  const applicantOnly = isApplicantOnly(user);
  const visibleApplications: Prisma.ApplicationWhereInput = { AND: [{ callId }, applicationScope(user)] };
  const [byState, own, pending] = await Promise.all([
    db.application.groupBy({ by: ["state"], where: visibleApplications, _count: { _all: true } }),
    applicantOnly
      ? db.application.findMany({ where: visibleApplications, orderBy: { createdAt: "desc" }, select: { id: true, title: true, state: true, registrationNumber: true } })
      : Promise.resolve([]),
    applicantOnly ? Promise.resolve(new Map<string, bigint>()) : pendingDecisionOre(db, [c.id]),
  ]);
  const earlyAt = closedEarlyAt(c);
  const cofunding = Object.entries((c.cofundingRules ?? {}) as Record<string, number>).map(([kind, percent]) => ({ kind: ORGANIZATION_KIND_LABELS[kind] ?? kind, percent }));
  const terms = ((c.paymentTerms ?? {}) as PaymentTerms).instalments ?? [];
  const order = allStateKeys("application");
  return {
    id: c.id,
    title: c.title,
    applicantOnly,
    board: c.board.name,
    assignment: applicantOnly ? null : { id: c.allocation.assignment.id, title: c.allocation.assignment.title, reference: c.allocation.assignment.reference },
    state: c.state,
    stateLabel: stateLabel("call", c.state),
    stateNext: callStateNext(c.state, earlyAt),
    description: c.description,
    priorities: c.priorities,
    ...budgetFigures(c, pending.get(c.id) ?? 0n),
    closedEarlyAt: earlyAt ? formatDateTime(earlyAt) : null,
    maxAmount: c.maxAmountOre === null ? null : kr(c.maxAmountOre),
    maxProjectMonths: c.maxProjectMonths,
    requiresMultipleCounties: c.requiresMultipleCounties,
    opensAt: formatDateTime(c.opensAt),
    closesAt: formatDateTime(c.closesAt),
    eligible: c.eligibleKinds.map((k) => ORGANIZATION_KIND_LABELS[k] ?? k),
    cofunding,
    interimReportDueOn: c.interimReportRequired ? day(c.interimReportDueOn) : null,
    finalReportDueOn: day(c.finalReportDueOn),
    paymentTerms: terms.map((t) => ({ share: `${t.sharePercent} %`, trigger: TRIGGER_LABELS[t.trigger] ?? t.trigger })),
    paymentRequestRequired: c.paymentRequestRequired,
    paymentRequestDays: c.paymentRequestDays,
    secondDecisionMakerAbove: c.secondDecisionMakerAboveOre === null || applicantOnly ? null : kr(c.secondDecisionMakerAboveOre),
    appealNotice: c.appealNotice,
    criteria: c.criteria.map((x) => ({ id: x.id, name: x.name, description: x.description, weight: x.weight })),
    indicators: c.indicators.map((x) => ({ id: x.id, name: x.name, unit: x.unit })),
    applicationCounts: byState
      .map((s) => ({ state: s.state, label: stateLabel("application", s.state), count: s._count._all }))
      .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state)),
    ownApplications: own.map((a) => ({ id: a.id, title: a.title, registrationNumber: a.registrationNumber, stateLabel: stateLabel("application", a.state) })),
  };
}
