// The finance function's payments (/ekonomi): instalments of its boards' grants,
// filtered by what needs doing, with the facts an attester checks (recipient,
// bank account, trigger, planned day, when it was requested and whether that was
// in time). Attest and mark paid go through the disbursement statechart; the
// buttons are what `allowedEvents` offers this user, so the planner of an
// instalment never sees an attest button (four eyes: attesterIsNotPlanner).
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { disbursementScope, type Principal } from "~/access/permissions.server";
import { allowedEventsForCases, applyWorkflowEvent } from "~/workflow/engine.server";
import { WorkflowRefused } from "~/workflow/errors";
import { formatKronor } from "~/lib/money";
import { formatDate, formatDateTime, todayInStockholm, toPlainDate, utcMidnightToPlainDate, type PlainDate } from "~/lib/dates";
import { TRIGGER_LABELS, stateLabel } from "~/lib/state-labels";
import { accountFields, parseMarkPaid } from "./mark-paid";
import { failure, type FormFailure } from "./form-fields";

export const PAYMENTS_PAGE_SIZE = 25;

/** The list's views: what the finance function is looking for. */
export const PAYMENT_VIEWS = {
  "att-hantera": { label: "Att hantera", states: ["planned", "requested", "attested"] },
  rekvirerade: { label: "Rekvirerade, att attestera", states: ["requested"] },
  attesterade: { label: "Attesterade, att betala ut", states: ["attested"] },
  planerade: { label: "Planerade", states: ["planned"] },
  utbetalda: { label: "Utbetalda", states: ["paid"] },
  alla: { label: "Alla", states: null },
} as const satisfies Record<string, { label: string; states: string[] | null }>;
export type PaymentView = keyof typeof PAYMENT_VIEWS;

export function parsePaymentQuery(url: URL): { view: PaymentView; page: number } {
  const v = url.searchParams.get("visa") ?? "att-hantera";
  const page = Number(url.searchParams.get("sida") ?? "1");
  return { view: v in PAYMENT_VIEWS ? (v as PaymentView) : "att-hantera", page: Number.isSafeInteger(page) && page >= 1 ? page : 1 };
}

/** Why finance cannot act on an open instalment now, in words; null when the list has nothing useful to say. */
export function whyNoAction(d: { state: string; trigger: string }, who: { jav: boolean; plannedByMe: boolean }): string | null {
  if (who.jav) return "Du har anmält jäv i ärendet.";
  if (who.plannedByMe && d.state !== "attested") return "Du planerade utbetalningen. En annan person attesterar.";
  if ((d.state === "requested" || d.state === "planned") && d.trigger !== "at_start") return `Attesteras ${d.trigger === "after_interim_report" ? "när delredovisningen är godkänd" : "när slutredovisningen är godkänd"}.`;
  return null;
}

/**
 * Was the payment request late, or is the time to request over? `requestDeadline`
 * is a day: a request any time on that day (Stockholm) is in time.
 */
export function requestTiming(d: { state: string; requestDeadline: Date | null; requestedAt: Date | null }, today: PlainDate): "late" | "expired" | null {
  if (!d.requestDeadline) return null;
  const deadline = utcMidnightToPlainDate(d.requestDeadline);
  if (d.requestedAt) return toPlainDate(d.requestedAt) > deadline ? "late" : null;
  return d.state === "planned" && today > deadline ? "expired" : null;
}

export async function listPayments(db: Db, user: Principal, query: { view: PaymentView; page: number }, now = new Date()) {
  const scope = disbursementScope(user);
  const states = PAYMENT_VIEWS[query.view].states;
  const where: Prisma.DisbursementWhereInput = { AND: [scope, ...(states ? [{ state: { in: [...states] } }] : [])] };
  const total = await db.disbursement.count({ where });
  const byState = await db.disbursement.groupBy({ by: ["state"], where: scope, _count: { _all: true } });
  const pages = Math.max(1, Math.ceil(total / PAYMENTS_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await db.disbursement.findMany({
    where,
    orderBy: [{ plannedOn: "asc" }, { number: "asc" }, { id: "asc" }],
    skip: (page - 1) * PAYMENTS_PAGE_SIZE,
    take: PAYMENTS_PAGE_SIZE,
    include: { grant: { select: { amountOre: true, application: { select: { id: true, registrationNumber: true, title: true, applicantOrg: { select: { name: true, orgNumber: true } } } } } } },
  });
  const people = await db.user.findMany({ where: { id: { in: [...new Set(rows.flatMap((d) => [d.plannedById, d.attestedById].filter((x): x is string => x !== null)))] } }, select: { id: true, name: true } });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const today = todayInStockholm(now);
  // The statechart decides which buttons this user gets: for the whole page in one statement.
  const open = rows.filter((d) => ["planned", "requested", "attested"].includes(d.state)).map((d) => d.id);
  const allowed = open.length ? await allowedEventsForCases(db, user, "disbursement", open, now) : new Map<string, string[]>();
  // Cases on this page where this user declared jäv: said in the row instead of a bare dash.
  const jav = new Set((await db.conflictOfInterest.findMany({ where: { userId: user.id, applicationId: { in: [...new Set(rows.map((d) => d.grant.application.id))] } }, select: { applicationId: true } })).map((c) => c.applicationId));
  const out = [];
  for (const d of rows) {
    const events = allowed.get(d.id) ?? [];
    const a = d.grant.application;
    out.push({
      id: d.id,
      version: d.version,
      applicationId: a.id,
      registrationNumber: a.registrationNumber,
      title: a.title,
      recipient: a.applicantOrg.name,
      orgNumber: a.applicantOrg.orgNumber,
      number: d.number,
      amount: formatKronor(d.amountOre),
      grantAmount: formatKronor(d.grant.amountOre),
      trigger: TRIGGER_LABELS[d.trigger] ?? d.trigger,
      plannedOn: formatDate(utcMidnightToPlainDate(d.plannedOn)),
      requestDeadline: d.requestDeadline ? formatDate(utcMidnightToPlainDate(d.requestDeadline)) : null,
      requestedAt: d.requestedAt ? formatDateTime(d.requestedAt) : null,
      timing: requestTiming(d, today),
      // Due: its day has come and it is not paid or stopped.
      due: ["planned", "requested", "attested"].includes(d.state) && utcMidnightToPlainDate(d.plannedOn) <= today,
      bankAccount: d.bankAccount,
      ...accountFields(d.bankAccount),
      plannedBy: nameOf.get(d.plannedById) ?? "–",
      plannedByMe: d.plannedById === user.id,
      attestedBy: d.attestedById ? (nameOf.get(d.attestedById) ?? "–") : null,
      attestedAt: d.attestedAt ? formatDateTime(d.attestedAt) : null,
      paidOn: d.paidOn ? formatDate(utcMidnightToPlainDate(d.paidOn)) : null,
      paymentReference: d.paymentReference,
      state: d.state,
      stateLabel: stateLabel("disbursement", d.state),
      mayAttest: events.includes("ATTEST"),
      mayPay: events.includes("MARK_PAID"),
      /** Why an open instalment has no button for this user, when the page can say it. */
      whyNot: ["planned", "requested", "attested"].includes(d.state) && !events.includes("ATTEST") && !events.includes("MARK_PAID") ? whyNoAction(d, { jav: jav.has(a.id), plannedByMe: d.plannedById === user.id }) : null,
      defaultReference: `${a.registrationNumber ?? ""}/${d.number}`,
    });
  }
  const order = ["planned", "requested", "attested", "paid", "lapsed", "cancelled"];
  return {
    view: query.view,
    total,
    page,
    pages,
    today,
    views: Object.entries(PAYMENT_VIEWS).map(([key, v]) => ({ key, label: v.label, count: v.states ? byState.filter((s) => (v.states as readonly string[]).includes(s.state)).reduce((n, s) => n + s._count._all, 0) : byState.reduce((n, s) => n + s._count._all, 0) })),
    stateCounts: byState.map((s) => ({ state: s.state, label: stateLabel("disbursement", s.state), count: s._count._all })).sort((x, y) => order.indexOf(x.state) - order.indexOf(y.state)),
    rows: out,
  };
}

// ---------------------------------------------------------------------------
// Actions

const envelope = z.object({
  intent: z.enum(["ATTEST", "MARK_PAID"]),
  disbursementId: z.string().min(1),
  version: z.coerce.number().int().min(0).max(2_147_483_647),
});

export type PaymentActionResult = { ok: true; intent: "ATTEST" | "MARK_PAID" } | { ok: false; status: number; failure: FormFailure & { disbursementId?: string } };

export function paymentEnvelope(values: Record<string, string>) {
  return envelope.safeParse(values);
}

/** ATTEST or MARK_PAID on an instalment the route has checked is in the user's scope. */
export async function handlePaymentAction(db: Db, user: Principal, disbursementId: string, values: Record<string, string>, now = new Date()): Promise<PaymentActionResult> {
  const env = envelope.safeParse(values);
  if (!env.success) return { ok: false, status: 400, failure: { ...failure(values, {}, "Begäran är ofullständig. Ladda om sidan och försök igen."), disbursementId } };
  const fail = (status: number, fieldErrors: Record<string, string>, formError?: string): PaymentActionResult => ({ ok: false, status, failure: { ...failure(values, fieldErrors, formError), disbursementId } });
  try {
    if (env.data.intent === "ATTEST") {
      await applyWorkflowEvent(db, user, "disbursement", disbursementId, { type: "ATTEST" }, { expectedVersion: env.data.version, now });
      return { ok: true, intent: "ATTEST" };
    }
    const { attestedAt } = await db.disbursement.findUniqueOrThrow({ where: { id: disbursementId }, select: { attestedAt: true } });
    const parsed = parseMarkPaid(values, { attestedAt, now });
    if (!parsed.ok) return fail(400, parsed.fieldErrors);
    await applyWorkflowEvent(
      db,
      user,
      "disbursement",
      disbursementId,
      { type: "MARK_PAID", paymentReference: parsed.data.paymentReference, paidOn: parsed.data.paidOn },
      { expectedVersion: env.data.version, details: { bankAccount: parsed.data.bankAccount }, now },
    );
    return { ok: true, intent: "MARK_PAID" };
  } catch (error) {
    if (error instanceof WorkflowRefused) return fail(error.status, {}, error.userMessage);
    throw error;
  }
}
