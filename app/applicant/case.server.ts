// The applicant's own case page (/ansokningar/:id) and its list (/ansokningar):
// the state in plain words, the officer's completion question, the decision,
// payments (with the payment request where the terms require one), reports
// with their due dates, and withdrawal. What the applicant may do comes from
// the statecharts (allowedEvents); every change goes through the engine with
// the version the applicant saw, so a replayed form changes nothing twice.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { applicantOrgIds, applicationScope, notFound, requireApplication, requireDisbursementOf, type Principal } from "~/access/permissions.server";
import { allowedEvents, allowedEventsForCases, applyWorkflowEvent } from "~/workflow/engine.server";
import { WorkflowConflict, WorkflowRefused } from "~/workflow/errors";
import { formatKronor } from "~/lib/money";
import { daysBetween, formatDate, formatDateTime, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import {
  DECISION_KIND_LABELS,
  OUTCOME_LABELS,
  RECLAIM_STATE_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATE_LABELS,
  TRIGGER_LABELS,
  stateLabel,
  stateNext,
} from "~/lib/state-labels";
import { allStateKeys } from "../../workflows";
import { diffRevisions } from "~/cases/revisions";
import { CLOSED_DRAFT, applicantNextFor, callOpen, daysLeftText } from "./guidance";
import { PAYMENT_ACCOUNT_LABELS, describePaymentAccount, parsePaymentAccount, type PaymentAccountKind } from "~/lib/bank-account";

const kr = (ore: bigint) => formatKronor(ore);
const day = (d: Date | null | undefined) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);
const daysFromToday = (d: Date, now: Date) => daysBetween(todayInStockholm(now), utcMidnightToPlainDate(d));

export const APPLICANT_PAGE_SIZE = 25;

/** The user's own organizations' applications, newest first, with what each needs from them. */
export async function listOwnApplications(db: Db, user: Principal, url: URL, now = new Date()) {
  const orgIds = applicantOrgIds(user);
  const stateParam = url.searchParams.get("status");
  const state = stateParam && allStateKeys("application").includes(stateParam) ? stateParam : null;
  const pageParam = Number(url.searchParams.get("sida") ?? "1");
  const where: Prisma.ApplicationWhereInput = { AND: [applicationScope(user), { applicantOrgId: { in: orgIds } }, ...(state ? [{ state }] : [])] };
  const total = await db.application.count({ where });
  const pages = Math.max(1, Math.ceil(total / APPLICANT_PAGE_SIZE));
  const page = Math.min(Number.isSafeInteger(pageParam) && pageParam >= 1 ? pageParam : 1, pages);
  const rows = await db.application.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * APPLICANT_PAGE_SIZE,
    take: APPLICANT_PAGE_SIZE,
    select: {
      id: true,
      title: true,
      state: true,
      registrationNumber: true,
      requestedOre: true,
      submittedAt: true,
      applicantOrg: { select: { name: true } },
      call: { select: { title: true, state: true, closesAt: true } },
      completionRequests: { where: { completedAt: null }, select: { dueOn: true }, take: 1 },
      grant: { select: { amountOre: true, reports: { where: { state: { in: ["due", "completion_requested"] } }, orderBy: { dueOn: "asc" }, select: { kind: true, dueOn: true } } } },
    },
  });
  return {
    total,
    page,
    pages,
    state,
    /** A user in several organizations needs to see whose application each row is. */
    severalOrganizations: orgIds.length > 1,
    rows: rows.map((a) => {
      const todo: string[] = [];
      if (a.state === "draft") todo.push(callOpen(a.call, now) ? `Skicka in senast ${formatDateTime(a.call.closesAt)}` : CLOSED_DRAFT);
      const completion = a.completionRequests[0];
      if (a.state === "completionRequested" && completion) todo.push(`Komplettera senast ${day(completion.dueOn)}${daysFromToday(completion.dueOn, now) < 0 ? " (försenad)" : ""}`);
      const report = a.grant?.reports[0];
      if (report && a.state.startsWith("grantActive")) {
        const left = daysFromToday(report.dueOn, now);
        todo.push(`${REPORT_KIND_LABELS[report.kind]} senast ${day(report.dueOn)}${left < 0 ? " (försenad)" : ""}`);
      }
      return {
        id: a.id,
        title: a.title,
        organization: a.applicantOrg.name,
        call: a.call.title,
        registrationNumber: a.registrationNumber,
        state: a.state,
        stateLabel: stateLabel("application", a.state),
        requested: kr(a.requestedOre),
        granted: a.grant ? kr(a.grant.amountOre) : null,
        submittedAt: a.submittedAt ? formatDateTime(a.submittedAt) : null,
        todo: todo.join(". "),
      };
    }),
  };
}

/**
 * The versions of the application as submitted ("both versions" after a completion): the first
 * in full, each later one as what changed from the one before (app/cases/revisions.ts).
 */
function revisionViews(revisions: { id: string; number: number; createdAt: Date; data: unknown }[]) {
  return revisions.map((r, i) => ({
    id: r.id,
    number: r.number,
    label: r.number === 1 ? "Version 1: inskickad ansökan" : `Version ${r.number}: komplettering`,
    createdAt: formatDateTime(r.createdAt),
    changesOnly: i > 0,
    fields: diffRevisions(i > 0 ? revisions[i - 1].data : {}, r.data),
  }));
}

export type ApplicantCaseView = Awaited<ReturnType<typeof loadApplicantCase>>;

/** Everything the applicant sees about one of their applications. 404 for anyone else's. */
export async function loadApplicantCase(db: Db, user: Principal, applicationId: string, now = new Date()) {
  const found = await requireApplication(db, user, applicationId);
  if (!applicantOrgIds(user).includes(found.applicantOrgId)) throw notFound();
  const a = await db.application.findUniqueOrThrow({
    where: { id: found.id },
    include: {
      call: { select: { id: true, title: true, state: true, closesAt: true, paymentRequestRequired: true, paymentRequestDays: true, board: { select: { name: true } } } },
      applicantOrg: { select: { name: true } },
      revisions: { orderBy: { number: "asc" } },
      completionRequests: { orderBy: { requestedAt: "asc" } },
      decisions: { orderBy: { decidedAt: "asc" }, include: { supersededBy: { select: { id: true } } } },
      attachments: { where: { secrecy: false, reportId: null }, orderBy: { createdAt: "asc" } },
      grant: {
        include: {
          disbursements: { orderBy: { number: "asc" } },
          reports: { orderBy: { dueOn: "asc" }, include: { attachments: { where: { secrecy: false } } } },
          reclaims: { orderBy: { createdAt: "asc" } },
        },
      },
    },
  });
  const events = await allowedEvents(db, user, "application", a.id, now);
  const grant = a.grant;
  const current = [...a.decisions].reverse().find((d) => !d.supersededBy) ?? null;
  const openCompletion = a.state === "completionRequested" ? [...a.completionRequests].reverse().find((c) => !c.completedAt) ?? null : null;
  const reportKind = a.state.startsWith("grantActive.interimReport") ? "interim" : a.state.startsWith("grantActive.finalReport") ? "final" : null;

  const instalments = grant?.disbursements ?? [];
  const allowed = instalments.length ? await allowedEventsForCases(db, user, "disbursement", instalments.map((d) => d.id), now) : new Map<string, string[]>();
  const disbursements = [];
  for (const d of instalments) {
    const may = allowed.get(d.id) ?? [];
    const left = d.requestDeadline ? daysFromToday(d.requestDeadline, now) : null;
    const needsRequest = d.state === "planned" && d.requestDeadline !== null;
    disbursements.push({
      id: d.id,
      number: d.number,
      version: d.version,
      amount: kr(d.amountOre),
      trigger: TRIGGER_LABELS[d.trigger] ?? d.trigger,
      plannedOn: day(d.plannedOn),
      state: d.state,
      stateLabel: stateLabel("disbursement", d.state),
      stateNext: stateNext("disbursement", d.state),
      requestDeadline: day(d.requestDeadline),
      requestedAt: d.requestedAt ? formatDateTime(d.requestedAt) : null,
      paidOn: day(d.paidOn),
      canRequest: may.includes("REQUEST_PAYMENT"),
      deadlineText:
        needsRequest && left !== null
          ? left >= 0
            ? `Rekvirera senast ${day(d.requestDeadline)} (${daysLeftText(left)}). Om pengarna inte rekvireras i tid betalas de inte ut.`
            : `Sista dag för rekvisition (${day(d.requestDeadline)}) har passerat. Pengarna betalas inte ut.`
          : null,
    });
  }

  return {
    id: a.id,
    title: a.title,
    version: a.version,
    registrationNumber: a.registrationNumber,
    organization: a.applicantOrg.name,
    call: { id: a.call.id, title: a.call.title, board: a.call.board.name, closesAt: formatDateTime(a.call.closesAt), open: callOpen(a.call, now) },
    state: a.state,
    stateLabel: stateLabel("application", a.state),
    next: applicantNextFor(a.state, a.call, now),
    requested: kr(a.requestedOre),
    submittedAt: a.submittedAt ? formatDateTime(a.submittedAt) : null,
    canEditDraft: events.includes("SUBMIT"),
    canComplete: events.includes("COMPLETE"),
    canWithdraw: events.includes("WITHDRAW"),
    canReport: events.includes("SUBMIT_REPORT"),
    reportKind,
    openCompletion: openCompletion
      ? { message: openCompletion.message, dueOn: day(openCompletion.dueOn), left: daysLeftText(daysFromToday(openCompletion.dueOn, now)) }
      : null,
    completions: a.completionRequests
      .filter((c) => c.completedAt)
      .map((c) => ({ id: c.id, message: c.message, requestedAt: formatDateTime(c.requestedAt), completedAt: formatDateTime(c.completedAt!), response: c.response })),
    revisions: revisionViews(a.revisions),
    attachments: a.attachments.map((f) => ({ id: f.id, fileName: f.fileName })),
    decision: current
      ? {
          id: current.id,
          kind: DECISION_KIND_LABELS[current.kind] ?? current.kind,
          outcome: OUTCOME_LABELS[current.outcome] ?? current.outcome,
          rejected: current.outcome === "rejected",
          requested: kr(current.requestedOre),
          granted: kr(current.grantedOre),
          conditions: current.conditions,
          reasons: current.reasons,
          decidedOn: day(current.decidedOn),
          appealNotice: current.appealNotice,
          letterHref: `/arenden/${a.id}/beslutsbrev?beslut=${current.id}`,
        }
      : null,
    earlierDecisions: a.decisions
      .filter((d) => d.supersededBy)
      .map((d) => ({ id: d.id, kind: DECISION_KIND_LABELS[d.kind] ?? d.kind, outcome: OUTCOME_LABELS[d.outcome] ?? d.outcome, granted: kr(d.grantedOre), decidedOn: day(d.decidedOn) })),
    grant: grant
      ? {
          amount: kr(grant.amountOre),
          paid: kr(grant.paidOre),
          leftToPay: kr(grant.amountOre - grant.paidOre),
          paymentRequestRequired: a.call.paymentRequestRequired,
          paymentRequestDays: a.call.paymentRequestDays,
        }
      : null,
    disbursements,
    reports: (grant?.reports ?? []).map((r) => {
      const left = daysFromToday(r.dueOn, now);
      const open = r.state === "due" || r.state === "completion_requested";
      return {
        id: r.id,
        kind: r.kind,
        kindLabel: REPORT_KIND_LABELS[r.kind] ?? r.kind,
        dueOn: day(r.dueOn),
        state: REPORT_STATE_LABELS[r.state] ?? r.state,
        overdue: open && left < 0,
        dueText: open ? daysLeftText(left) : null,
        submittedAt: r.submittedAt ? formatDateTime(r.submittedAt) : null,
        used: r.submittedAt ? kr(r.usedOre) : null,
        unused: r.submittedAt ? kr(r.unusedOre) : null,
        attachments: r.attachments.map((f) => ({ id: f.id, fileName: f.fileName })),
      };
    }),
    reclaims: (grant?.reclaims ?? [])
      .filter((r) => r.state !== "proposed")
      .map((r) => ({
        id: r.id,
        state: RECLAIM_STATE_LABELS[r.state] ?? r.state,
        amount: kr(r.amountOre),
        outstanding: kr(r.state === "decided" ? r.amountOre - r.waivedOre - r.repaidOre : 0n),
        dueOn: day(r.dueOn),
        paymentReference: r.paymentReference,
      })),
  };
}

// ---------------------------------------------------------------------------
// Actions on the case page: withdraw, request payment

export type ApplicantActionResult = { ok: true; redirectTo: string } | { ok: false; status: number; data: { intent: string; fieldErrors: Record<string, string>; formError?: string; values: Record<string, string> } };

const text = (form: FormData, name: string, max = 2000) => {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, max) : "";
};

export async function handleApplicantAction(db: Db, user: Principal, applicationId: string, form: FormData, now = new Date()): Promise<ApplicantActionResult> {
  const found = await requireApplication(db, user, applicationId);
  if (!applicantOrgIds(user).includes(found.applicantOrgId)) throw notFound();
  const intent = text(form, "intent", 40);
  const version = Number(text(form, "version", 12));
  if (!Number.isSafeInteger(version) || version < 0) throw new Response("Begäran är ofullständig. Ladda om sidan och försök igen.", { status: 400 });
  const base = `/ansokningar/${found.id}`;

  if (intent === "withdraw") {
    const reasons = text(form, "reasons").trim();
    try {
      await applyWorkflowEvent(db, user, "application", found.id, { type: "WITHDRAW", ...(reasons ? { reasons } : {}) }, { expectedVersion: version, now });
    } catch (error) {
      if (error instanceof WorkflowConflict) {
        const state = (await db.application.findUniqueOrThrow({ where: { id: found.id }, select: { state: true } })).state;
        if (state === "withdrawn") return { ok: true, redirectTo: `${base}?klart=redan-atertagen` };
        return { ok: false, status: 409, data: { intent, fieldErrors: {}, formError: error.userMessage, values: { reasons } } };
      }
      if (error instanceof WorkflowRefused) return { ok: false, status: error.status, data: { intent, fieldErrors: {}, formError: error.userMessage, values: { reasons } } };
      throw error;
    }
    return { ok: true, redirectTo: `${base}?klart=atertagen` };
  }

  if (intent === "requestPayment") {
    const disbursementId = text(form, "disbursementId", 40);
    const d = await requireDisbursementOf(db, found.id, disbursementId);
    const typed = text(form, "accountNumber", 100);
    const kind = text(form, "accountKind", 20);
    const values = { accountNumber: typed, accountKind: kind, disbursementId };
    if (!Object.hasOwn(PAYMENT_ACCOUNT_LABELS, kind)) {
      return { ok: false, status: 400, data: { intent, fieldErrors: { [`accountKind-${d.id}`]: "Välj om pengarna ska till bankgiro, plusgiro eller bankkonto." }, values } };
    }
    const account = parsePaymentAccount(kind as PaymentAccountKind, typed);
    if (!account.ok) return { ok: false, status: 400, data: { intent, fieldErrors: { [`accountNumber-${d.id}`]: account.message }, values } };
    try {
      // Stored as the finance screens read it: "Bankgiro 5050-1055".
      await applyWorkflowEvent(db, user, "disbursement", d.id, { type: "REQUEST_PAYMENT" }, { expectedVersion: version, now, details: { bankAccount: describePaymentAccount(account.account) } });
    } catch (error) {
      if (error instanceof WorkflowConflict) {
        const state = (await db.disbursement.findUniqueOrThrow({ where: { id: d.id }, select: { state: true } })).state;
        if (state !== "planned" && state !== "lapsed" && state !== "cancelled") return { ok: true, redirectTo: `${base}?klart=redan-rekvirerad` };
      }
      if (error instanceof WorkflowRefused) return { ok: false, status: error.status, data: { intent, fieldErrors: {}, formError: error.userMessage, values } };
      throw error;
    }
    return { ok: true, redirectTo: `${base}?klart=rekvirerad` };
  }

  throw new Response("Okänd åtgärd.", { status: 400 });
}

const CONFIRMATIONS: Record<string, string> = {
  atertagen: "Ansökan är återtagen. Ärendet är avslutat.",
  "redan-atertagen": "Ansökan var redan återtagen. Ingenting har ändrats.",
  rekvirerad: "Rekvisitionen är skickad. Länsstyrelsen attesterar och betalar ut pengarna.",
  "redan-rekvirerad": "Pengarna var redan rekvirerade. Ingenting har ändrats.",
  kompletterad: "Kompletteringen är skickad till handläggaren.",
  "redan-kompletterad": "Kompletteringen var redan skickad. Ingenting har ändrats.",
  redovisad: "Redovisningen är skickad till länsstyrelsen.",
  "redan-redovisad": "Redovisningen var redan skickad. Ingenting har ändrats.",
  andrad: "Ärendet har redan gått vidare. Ingenting har ändrats.",
};

export function applicantConfirmation(value: string | null): string | null {
  return value ? (CONFIRMATIONS[value] ?? null) : null;
}
