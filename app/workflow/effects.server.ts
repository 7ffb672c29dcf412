// The statecharts' named effects, carried out as database writes inside the
// transaction that applies the event. One handler per effect name; a test
// checks that every effect a machine can emit has one here. Written in plain
// SQL (decision 0008) against what the engine loaded with the case: no handler
// re-reads a row the load statement already returned, rows of one kind go in
// one multi-row INSERT, and the call's budget UPDATE waits for the end of the
// transaction (the hot row stays locked only from that UPDATE to COMMIT).
import { randomUUID } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import type { DisbursementTrigger, RejectionCategory } from "~/generated/prisma/enums";
import {
  start,
  persistedJson,
  type ApplicationContext,
  type ApplicationEffectParams,
  type ReclaimGround,
  type WorkflowKind,
} from "../../workflows";
import type { Principal } from "~/access/permissions.server";
import type { GrantRow, LoadedApplication, LoadedCase } from "./cases.server";
import { commitAllocation, payOnGrant, planOnGrant, releaseCallBudget, reserveCallBudget } from "./budget.server";
import { deadlineFrom, plainDateToUtcMidnight, stockholmDateTimeToUtc, toPlainDate } from "~/lib/dates";
import { auditRow, GENESIS_HASH, insertAuditRows, type AuditRow } from "./audit.server";
import { increment, insertRows, json, toSql, updateRows, type AnyTx, type Sql } from "./tx.server";
import type { NewCall } from "./create.server";


/** Data for the records that the statechart itself does not need; validated by the route that sends the event. */
export type EventDetails = {
  conditions?: string;
  /** Why no (or less) money was granted: written on the decision row when the outcome is not a full approval. */
  rejectionCategory?: RejectionCategory;
  summary?: string;
  conflictReason?: string;
  bankAccount?: string;
  activitySummary?: string;
  usedOre?: bigint;
  reportLines?: { budgetLineId?: string | null; category: string; usedOre: bigint }[];
  results?: { indicatorId: string; value: string; comment?: string }[];
  scores?: { criterionId: string; score: number; comment?: string }[];
  revision?: Prisma.InputJsonValue;
  /** EDIT_TERMS on a draft call: every term besides budget and dates (those travel in the event). */
  callTerms?: Partial<Omit<NewCall, "budgetOre" | "opensAt" | "closesAt">>;
};

export type EffectContext = {
  tx: Sql;
  kind: WorkflowKind;
  case: LoadedCase;
  event: Record<string, unknown> & { type: string; at: string };
  user: Principal;
  now: Date;
  details: EventDetails;
  /** The snapshot after the transition. */
  next: { context: unknown };
  /** Applies an event to another case in the same transaction (audited like any other). */
  cascade: (kind: WorkflowKind, caseId: string, body: { type: string } & Record<string, unknown>) => Promise<unknown>;
  /** Audit rows of other cases this event starts (instalments), inserted with the case's own event. */
  audit: AuditRow[];
  /** Changes of the call's budget: run last, just before COMMIT (decision 0003); `last` when the change may carry the COMMIT. */
  budget: ((last: boolean) => Promise<void>)[];
};

type Handler = (ctx: EffectContext, params: unknown) => Promise<void>;

const big = (n: unknown) => BigInt(n as number);
const dateOnly = (iso: string) => new Date(`${toPlainDate(new Date(iso))}T00:00:00Z`);
/** A `date` column's value: the calendar day of a Date at UTC midnight. */
const day = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 10));
const appCtx = (ctx: EffectContext) => ctx.next.context as ApplicationContext;
const app = (ctx: EffectContext): LoadedApplication => {
  if (!ctx.case.application) throw new Error("effect needs an application case");
  return ctx.case.application;
};

export type PendingDecisionEvent = {
  event: { outcome?: string; grantedOre?: number; reasons?: string } | null;
  details: { conditions?: unknown; rejectionCategory?: unknown } | null;
  eventType: string;
  occurredAt: Date;
  decidedBy: string | null;
};

/**
 * The decision waiting for a second decision maker, as the latest event that made the case
 * `awaitingSecondDecision` (DECIDE, or a correction or reconsideration of a rejection) recorded it
 * in the audit trail: the Decision row is written only when it is confirmed. `decidedBy` is a name.
 */
export async function pendingDecisionEvent(tx: Sql, applicationId: string): Promise<PendingDecisionEvent | null> {
  const [row] = await tx.query<PendingDecisionEvent>(
    `select e.payload->'event' as event, e.payload->'details' as details, e."eventType", e."occurredAt", u.name as "decidedBy"
       from "AuditEvent" e left join "User" u on u.id = e."actorId"
      where e."caseType" = 'application' and e."caseId" = $1::uuid and e."toState" = 'awaitingSecondDecision'
      order by e.id desc limit 1`,
    [applicationId],
  );
  return row ?? null;
}

/** The first decision maker's conditions and rejection category, which a confirmation carries over. */
async function pendingDecisionDetails(tx: Sql, applicationId: string): Promise<Pick<EventDetails, "conditions" | "rejectionCategory">> {
  const d = (await pendingDecisionEvent(tx, applicationId))?.details ?? {};
  return {
    ...(typeof d.conditions === "string" && d.conditions ? { conditions: d.conditions } : {}),
    ...(typeof d.rejectionCategory === "string" ? { rejectionCategory: d.rejectionCategory as RejectionCategory } : {}),
  };
}

/** Diarienummer: gapless per board and year. The counter row stays locked until commit, so a rolled-back registration leaves no gap. */
async function nextRegistrationNumber(tx: Sql, boardId: string, countyCode: string | null, year: number): Promise<{ number: string; seq: number }> {
  const rows = await tx.query<{ lastSeq: number }>(
    `insert into "RegistrationCounter" ("boardId", year, "lastSeq") values ($1::uuid, $2::int, 1)
     on conflict ("boardId", year) do update set "lastSeq" = "RegistrationCounter"."lastSeq" + 1
     returning "lastSeq"`,
    [boardId, year],
  );
  const seq = rows[0].lastSeq;
  return { number: `${countyCode ?? "00"}-${year}-${String(seq).padStart(4, "0")}`, seq };
}

async function registerDocument(ctx: EffectContext, direction: "incoming" | "outgoing" | "internal", description: string) {
  const a = app(ctx);
  if (!a.registrationNumber) return;
  await insertRows(ctx.tx, "CaseDocument", [
    { id: randomUUID(), boardId: a.boardId, applicationId: a.id, registrationNumber: a.registrationNumber, registeredOn: day(dateOnly(ctx.event.at)), direction, counterpart: a.applicantName, description, createdAt: ctx.now },
  ]);
}

async function saveRevision(ctx: EffectContext) {
  const a = app(ctx);
  const [application] = await ctx.tx.query<Record<string, unknown>>(`select * from "Application" where id = $1::uuid`, [a.id]);
  const budgetLines = await ctx.tx.query(`select * from "BudgetLine" where "applicationId" = $1::uuid order by position`, [a.id]);
  const [{ n }] = await ctx.tx.query<{ n: bigint }>(`select count(*) as n from "ApplicationRevision" where "applicationId" = $1::uuid`, [a.id]);
  const { snapshot: _s, state: _st, version: _v, ...data } = { ...application, budgetLines } as Record<string, unknown>;
  await insertRows(ctx.tx, "ApplicationRevision", [
    { id: randomUUID(), applicationId: a.id, number: Number(n) + 1, createdById: ctx.user.id, createdAt: ctx.now, data: json(data) },
  ]);
}

function currentGrant(ctx: EffectContext): GrantRow {
  const grant = app(ctx).grant;
  if (!grant) throw new Error(`application ${app(ctx).id} has no grant`);
  return grant;
}

type PaymentTerms = { instalments?: { sharePercent: number; trigger: DisbursementTrigger }[] };

/** Splits `total` öre in the proportions of `shape` (exactly: the last part takes the remainder). */
function splitLike<T extends { amountOre: bigint }>(total: bigint, shape: (T & { trigger: DisbursementTrigger })[]): { trigger: DisbursementTrigger; amountOre: bigint }[] {
  if (total <= 0n) return [];
  const weight = shape.reduce((s, x) => s + x.amountOre, 0n);
  let left = total;
  return shape.map((x, i) => {
    const amountOre = i === shape.length - 1 ? left : (total * x.amountOre) / weight;
    left -= amountOre;
    return { trigger: x.trigger, amountOre };
  });
}

export type NewInstalment = {
  grantId: string;
  boardId: string;
  number: number;
  amountOre: bigint;
  trigger: DisbursementTrigger;
  /** The planned payment day (stored as a date) and the instant the statechart keeps. */
  plannedOn: Date;
  plannedAt: string;
  paymentRequestRequired: boolean;
  /** The call's time to request (days from the planned day), or null when no request is needed. */
  paymentRequestDays: number | null;
  plannedById: string;
  now: Date;
};

/**
 * New instalments of one grant: each its own disbursement case with its first audit event,
 * in one INSERT, planned on the grant by one conditional UPDATE. The audit rows go to `audit`
 * when the caller inserts them with its own, or are inserted here.
 */
export async function createInstalments(t: AnyTx, list: NewInstalment[], audit?: AuditRow[]): Promise<{ id: string }[]> {
  if (list.length === 0) return [];
  const tx = toSql(t);
  const rows = list.map((i) => {
    // The one place a request deadline is set: N days from the planned day, moved past a Sunday or
    // public holiday (lag 1930:173), and the whole last day counts, in Stockholm.
    const deadline = i.paymentRequestRequired && i.paymentRequestDays ? deadlineFrom(toPlainDate(new Date(i.plannedAt)), i.paymentRequestDays, "days") : null;
    const requestDeadlineAt = deadline ? stockholmDateTimeToUtc(deadline, "23:59:59").toISOString() : null;
    const { snapshot, state } = start("disbursement", {
      amountOre: Number(i.amountOre),
      trigger: i.trigger,
      plannedBy: i.plannedById,
      plannedDate: i.plannedAt,
      paymentRequestRequired: i.paymentRequestRequired,
      requestDeadline: requestDeadlineAt,
    });
    return {
      i,
      state,
      row: {
        id: randomUUID(),
        grantId: i.grantId,
        number: i.number,
        amountOre: i.amountOre,
        trigger: i.trigger,
        plannedOn: day(i.plannedOn),
        requestDeadline: deadline ? day(plainDateToUtcMidnight(deadline)) : null,
        plannedById: i.plannedById,
        state,
        snapshot: persistedJson("disbursement", snapshot),
        version: 1,
        createdAt: i.now,
      },
    };
  });
  await insertRows(tx, "Disbursement", rows.map((r) => r.row));
  const byGrant = new Map<string, bigint>();
  for (const { i } of rows) byGrant.set(i.grantId, (byGrant.get(i.grantId) ?? 0n) + i.amountOre);
  for (const [grantId, sum] of byGrant) await planOnGrant(tx, grantId, sum);
  const events = rows.map(({ i, row, state }) =>
    auditRow(GENESIS_HASH, { actorId: i.plannedById, organizationId: i.boardId, caseType: "disbursement", caseId: row.id, eventType: "PLANNED", fromState: null, toState: state, payload: { amountOre: i.amountOre, trigger: i.trigger, number: i.number }, occurredAt: i.now }),
  );
  if (audit) audit.push(...events);
  else await insertAuditRows(tx, events);
  return rows.map((r) => ({ id: r.row.id }));
}

/** One new instalment (the payment plan page adds them one by one). */
export async function createInstalment(tx: AnyTx, i: NewInstalment): Promise<{ id: string }> {
  const [d] = await createInstalments(tx, [i]);
  return d;
}

/** Plans instalments under the grant, each its own disbursement case with its first audit event. */
async function planInstalments(ctx: EffectContext, grant: GrantRow, parts: { trigger: DisbursementTrigger; amountOre: bigint }[]) {
  const a = app(ctx);
  const call = a.call;
  const list: NewInstalment[] = [];
  for (const part of parts) {
    if (part.amountOre <= 0n) continue;
    const planned = part.trigger === "at_start" ? ctx.now : part.trigger === "after_final_report" ? call.finalReportDueOn : (call.interimReportDueOn ?? call.finalReportDueOn);
    list.push({
      grantId: grant.id,
      boardId: a.boardId,
      number: ++grant.lastInstalment,
      amountOre: part.amountOre,
      trigger: part.trigger,
      plannedOn: dateOnly(planned.toISOString()),
      plannedAt: planned.toISOString(),
      paymentRequestRequired: call.paymentRequestRequired,
      paymentRequestDays: call.paymentRequestDays,
      plannedById: ctx.user.id,
      now: ctx.now,
    });
  }
  await createInstalments(ctx.tx, list, ctx.audit);
  grant.plannedOre += list.reduce((s, i) => s + i.amountOre, 0n);
}

/** Cancels every unpaid instalment through its own statechart; returns what was cancelled. */
async function supersedeUnpaid(ctx: EffectContext, grant: GrantRow, reasons: string) {
  const open = await ctx.tx.query<{ id: string; trigger: DisbursementTrigger; amountOre: bigint }>(
    `select id, trigger::text as trigger, "amountOre" from "Disbursement" where "grantId" = $1::uuid and state in ('planned', 'requested', 'attested') order by number`,
    [grant.id],
  );
  for (const d of open) await ctx.cascade("disbursement", d.id, { type: "SUPERSEDE", reasons });
  // Each cancellation took its amount off the grant's plan (recordCancellation).
  grant.plannedOre -= open.reduce((s, d) => s + d.amountOre, 0n);
  return open.map((d) => ({ trigger: d.trigger, amountOre: d.amountOre }));
}

const DECISION_LABEL = { rejected: "avslag", approved: "bifall", partly_approved: "delvis bifall" } as const;

const applicationHandlers: Record<string, Handler> = {
  async registerApplication(ctx) {
    const a = app(ctx);
    const year = Number(toPlainDate(ctx.now).slice(0, 4));
    const { number, seq } = await nextRegistrationNumber(ctx.tx, a.boardId, a.boardCountyCode, year);
    const requestedOre = big(ctx.event.requestedOre);
    await updateRows(ctx.tx, "Application", { id: a.id }, { registrationNumber: number, registrationYear: year, registrationSeq: seq, submittedAt: ctx.now, requestedOre, updatedAt: new Date() });
    a.registrationNumber = number;
    a.requestedOre = requestedOre;
    await saveRevision(ctx);
    await registerDocument(ctx, "incoming", `Ansökan: ${a.title}`);
  },
  // The officer who starts the assessment becomes the handling officer (Application.officerId),
  // unless the case was already assigned to someone on purpose.
  async assignCaseOfficer(ctx) {
    await updateRows(ctx.tx, "Application", { id: app(ctx).id, officerId: null }, { officerId: ctx.user.id, updatedAt: new Date() });
  },
  async requestCompletion(ctx) {
    await insertRows(ctx.tx, "CompletionRequest", [
      { id: randomUUID(), applicationId: app(ctx).id, requestedById: ctx.user.id, message: String(ctx.event.message), dueOn: day(dateOnly(String(ctx.event.deadline))), requestedAt: ctx.now },
    ]);
    await registerDocument(ctx, "outgoing", "Begäran om komplettering");
  },
  async recordCompletion(ctx) {
    const a = app(ctx);
    await ctx.tx.query(
      `update "CompletionRequest" set "completedAt" = $2 where id = (select id from "CompletionRequest" where "applicationId" = $1::uuid and "completedAt" is null order by "requestedAt" desc limit 1)`,
      [a.id, ctx.now],
    );
    if (ctx.event.requestedOre !== undefined) {
      a.requestedOre = big(ctx.event.requestedOre);
      await updateRows(ctx.tx, "Application", { id: a.id }, { requestedOre: a.requestedOre, updatedAt: new Date() });
    }
    if (ctx.event.type === "COMPLETE") {
      await saveRevision(ctx);
      await registerDocument(ctx, "incoming", "Komplettering");
    }
  },
  async recordPresentation(ctx) {
    const c = appCtx(ctx);
    const id = randomUUID();
    await insertRows(ctx.tx, "Assessment", [
      {
        id,
        applicationId: app(ctx).id,
        officerId: ctx.user.id,
        recommendation: c.recommendation,
        recommendedOre: c.proposedGrantOre === null ? null : big(c.proposedGrantOre),
        summary: ctx.details.summary ?? "",
        createdAt: ctx.now,
        updatedAt: ctx.now,
      },
    ]);
    await insertRows(ctx.tx, "AssessmentScore", (ctx.details.scores ?? []).map((s) => ({ assessmentId: id, criterionId: s.criterionId, score: s.score, comment: s.comment ?? "" })));
  },
  async recordReturn() {},
  async recordPendingDecision() {},
  async recordDecision(ctx, params) {
    const p = params as ApplicationEffectParams["recordDecision"];
    const c = appCtx(ctx);
    const a = app(ctx);
    const decision = c.decision;
    if (!decision) throw new Error("recordDecision without a decision in context");
    // A confirmation carries no conditions or rejection category of its own: they are the first
    // decision maker's, sent with the event that made the decision pending.
    const details = ctx.event.type === "CONFIRM_DECISION" ? await pendingDecisionDetails(ctx.tx, a.id) : ctx.details;
    // A confirmed correction or reconsideration (of a rejection, above the amount limit) is one,
    // and replaces the decision in force, as recordDecisionChange writes it when no confirmation is needed.
    const change = decision.kind === "decision" ? null : { kind: decision.kind, supersedesId: a.decision?.id ?? null };
    const row = {
      id: randomUUID(),
      applicationId: a.id,
      ...(change ?? {}),
      outcome: p.outcome,
      requestedOre: a.requestedOre,
      grantedOre: big(p.grantedOre),
      conditions: details.conditions ?? "",
      rejectionCategory: p.outcome === "approved" ? null : (details.rejectionCategory ?? null),
      reasons: decision.reasons,
      decidedOn: day(dateOnly(decision.decidedAt)),
      decidedAt: new Date(decision.decidedAt),
      decisionMakerId: decision.decidedBy,
      presenterId: decision.presentedBy ?? decision.decidedBy,
      otherParticipants: decision.confirmedBy ? [decision.confirmedBy] : [],
      appealNotice: a.call.appealNotice,
    };
    await insertRows(ctx.tx, "Decision", [row]);
    a.decision = { id: row.id, conditions: row.conditions, rejectionCategory: row.rejectionCategory, presenterId: row.presenterId };
    await registerDocument(ctx, "outgoing", change ? (change.kind === "correction" ? "Rättelse av beslut" : "Omprövning av beslut") : `Beslut: ${DECISION_LABEL[p.outcome as keyof typeof DECISION_LABEL] ?? "delvis bifall"}`);
  },
  async recordDecisionChange(ctx) {
    const c = appCtx(ctx);
    const a = app(ctx);
    const change = c.decisionChanges[c.decisionChanges.length - 1];
    const previous = a.decision;
    const row = {
      id: randomUUID(),
      applicationId: a.id,
      kind: change.kind,
      supersedesId: previous?.id ?? null,
      outcome: change.to.outcome,
      requestedOre: a.requestedOre,
      grantedOre: big(change.to.grantedOre),
      conditions: ctx.details.conditions ?? previous?.conditions ?? "",
      rejectionCategory: change.to.outcome === "approved" ? null : (ctx.details.rejectionCategory ?? previous?.rejectionCategory ?? null),
      reasons: change.reasons,
      decidedOn: day(dateOnly(change.at)),
      decidedAt: new Date(change.at),
      decisionMakerId: change.by,
      presenterId: c.presentedBy && c.presentedBy !== change.by ? c.presentedBy : (previous?.presenterId !== change.by ? previous?.presenterId : undefined) ?? change.by,
      otherParticipants: [] as string[],
      appealNotice: a.call.appealNotice,
    };
    await insertRows(ctx.tx, "Decision", [row]);
    a.decision = { id: row.id, conditions: row.conditions, rejectionCategory: row.rejectionCategory, presenterId: row.presenterId };
    await registerDocument(ctx, "outgoing", change.kind === "correction" ? "Rättelse av beslut" : "Omprövning av beslut");
  },
  async reserveBudget(ctx, params) {
    const callId = app(ctx).callId;
    const amount = big((params as { amountOre: number }).amountOre);
    ctx.budget.push((last) => reserveCallBudget(ctx.tx, callId, amount, { commit: last }));
  },
  async releaseBudget(ctx, params) {
    const callId = app(ctx).callId;
    const amount = big((params as { amountOre: number }).amountOre);
    ctx.budget.push(() => releaseCallBudget(ctx.tx, callId, amount));
  },
  async createGrant(ctx) {
    const a = app(ctx);
    const c = appCtx(ctx);
    const call = a.call;
    if (!a.decision) throw new Error("createGrant without a decision row");
    const data = {
      decisionId: a.decision.id,
      amountOre: big(c.grantedOre),
      paymentTerms: json(call.paymentTerms),
      interimReportDueOn: call.interimReportRequired ? call.interimReportDueOn : null,
      finalReportDueOn: call.finalReportDueOn,
      state: "active",
    };
    const columns = { ...data, interimReportDueOn: day(data.interimReportDueOn), finalReportDueOn: day(data.finalReportDueOn) };
    // A grant cancelled by a corrected decision comes back when a reconsideration grants again.
    if (a.grant) {
      await updateRows(ctx.tx, "Grant", { id: a.grant.id }, columns);
      Object.assign(a.grant, data);
    } else {
      const id = randomUUID();
      // plannedOre: the payment plan of the same event adds to it while the row is still queued (planOnGrant).
      await insertRows(ctx.tx, "Grant", [{ id, ...columns, plannedOre: 0n, applicationId: a.id, snapshot: json({}), createdAt: ctx.now }]);
      a.grant = { id, ...data, plannedOre: 0n, paidOre: 0n, lastInstalment: 0 };
    }
  },
  async adjustGrant(ctx, params) {
    const p = params as ApplicationEffectParams["adjustGrant"];
    const a = app(ctx);
    const delta = big(p.toOre) - big(p.fromOre);
    if (delta > 0n) ctx.budget.push((last) => reserveCallBudget(ctx.tx, a.callId, delta, { commit: last }));
    if (delta < 0n) ctx.budget.push(() => releaseCallBudget(ctx.tx, a.callId, -delta));
    const grant = currentGrant(ctx);
    const decisionId = a.decision?.id ?? grant.decisionId;
    if (delta === 0n) {
      // Same amount (a corrected text, say): the payment plan stands.
      await updateRows(ctx.tx, "Grant", { id: grant.id }, { decisionId });
      grant.decisionId = decisionId;
      return;
    }
    // The unpaid part of the plan is replaced: cancelled (audited) and planned anew for the new amount.
    const cancelled = await supersedeUnpaid(ctx, grant, "Beslutet har ändrats; utbetalningsplanen ersätts.");
    await updateRows(ctx.tx, "Grant", { id: grant.id }, { amountOre: big(p.toOre), decisionId });
    grant.amountOre = big(p.toOre);
    grant.decisionId = decisionId;
    const remainder = big(p.toOre) - grant.paidOre;
    const shape = cancelled.length ? cancelled : [{ trigger: "at_start" as const, amountOre: 1n }];
    await planInstalments(ctx, grant, splitLike(remainder, shape));
  },
  async cancelGrant(ctx) {
    const grant = app(ctx).grant;
    if (!grant) return;
    await supersedeUnpaid(ctx, grant, "Beslutet har ändrats till avslag; utbetalningarna stoppas.");
    await updateRows(ctx.tx, "Grant", { id: grant.id }, { state: "cancelled" });
    grant.state = "cancelled";
  },
  async createPaymentPlan(ctx) {
    const grant = currentGrant(ctx);
    const terms = (app(ctx).call.paymentTerms as PaymentTerms).instalments ?? [{ sharePercent: 100, trigger: "at_start" as const }];
    const toPlan = grant.amountOre - grant.plannedOre;
    await planInstalments(ctx, grant, splitLike(toPlan, terms.map((t) => ({ trigger: t.trigger, amountOre: BigInt(Math.round(t.sharePercent * 100)) }))));
  },
  async setReportDueDates(ctx) {
    const grant = currentGrant(ctx);
    const reports: { kind: "interim" | "final"; dueOn: Date }[] = [];
    if (grant.interimReportDueOn) reports.push({ kind: "interim", dueOn: grant.interimReportDueOn });
    reports.push({ kind: "final", dueOn: grant.finalReportDueOn });
    await insertRows(
      ctx.tx,
      "Report",
      reports.map((r) => ({ id: randomUUID(), grantId: grant.id, kind: r.kind, dueOn: day(r.dueOn), state: "due", snapshot: json({}), createdAt: ctx.now })),
      { onConflict: `("grantId", kind) do nothing` },
    );
  },
  async recordConflictOfInterest(ctx) {
    const a = app(ctx);
    await insertRows(ctx.tx, "ConflictOfInterest", [{ id: randomUUID(), applicationId: a.id, userId: ctx.user.id, reason: ctx.details.conflictReason ?? "", declaredAt: ctx.now }]);
    // A handling officer with jäv leaves the case: it goes back to the queue to be reassigned.
    await updateRows(ctx.tx, "Application", { id: a.id, officerId: ctx.user.id }, { officerId: null, updatedAt: new Date() });
  },
  async recordWithdrawal(ctx) {
    await registerDocument(ctx, "incoming", "Ansökan återtagen");
  },
  async recordReportSubmission(ctx) {
    const grant = currentGrant(ctx);
    const kind = ctx.event.kind as "interim" | "final";
    const rows = await ctx.tx.query<{ id: string }>(
      `update "Report" set state = 'submitted', "submittedAt" = $3, "usedOre" = coalesce($4::bigint, "usedOre"), "unusedOre" = coalesce($5::bigint, "unusedOre"),
              "activitySummary" = coalesce($6::text, "activitySummary"), version = version + 1
        where "grantId" = $1::uuid and kind = $2::"ReportKind" returning id`,
      [grant.id, kind, ctx.now, ctx.details.usedOre ?? null, ctx.event.unusedOre !== undefined ? big(ctx.event.unusedOre) : null, ctx.details.activitySummary ?? null],
    );
    if (rows.length !== 1) throw new Error(`grant ${grant.id} has no ${kind} report`);
    const reportId = rows[0].id;
    if (ctx.details.reportLines) {
      await ctx.tx.query(`delete from "ReportLine" where "reportId" = $1::uuid`, [reportId]);
      await insertRows(ctx.tx, "ReportLine", ctx.details.reportLines.map((l) => ({ id: randomUUID(), reportId, budgetLineId: l.budgetLineId ?? null, category: l.category, usedOre: l.usedOre })));
    }
    const results = ctx.details.results ?? [];
    if (results.length) {
      const values = results.flatMap((r) => [r.indicatorId, r.value, r.comment ?? ""]);
      await ctx.tx.query(
        `insert into "ReportResult" ("reportId", "indicatorId", value, comment)
         select $1::uuid, x.indicator::uuid, x.value::numeric, x.comment
           from (values ${results.map((_, i) => `($${2 + 3 * i}, $${3 + 3 * i}, $${4 + 3 * i})`).join(", ")}) as x(indicator, value, comment)
         on conflict ("reportId", "indicatorId") do update set value = excluded.value, comment = excluded.comment`,
        [reportId, ...values],
      );
    }
    await registerDocument(ctx, "incoming", kind === "interim" ? "Delredovisning" : "Slutredovisning");
  },
  async requestReportCompletion(ctx) {
    await updateReport(ctx, { state: "completion_requested", version: increment() });
  },
  async recordReportApproval(ctx) {
    await updateReport(ctx, { state: "approved", reviewedById: ctx.user.id, reviewedAt: ctx.now, version: increment() });
  },
  async closeGrant(ctx) {
    const grant = currentGrant(ctx);
    await updateRows(ctx.tx, "Grant", { id: grant.id }, { state: "closed" });
    grant.state = "closed";
  },
  async proposeReclaim(ctx, params) {
    const p = params as { amountOre: number; ground: ReclaimGround };
    const grant = currentGrant(ctx);
    const a = app(ctx);
    await insertRows(ctx.tx, "Reclaim", [
      {
        id: randomUUID(),
        grantId: grant.id,
        ground: p.ground,
        amountOre: big(p.amountOre),
        reasons: String(ctx.event.reasons ?? "Outnyttjade medel enligt slutredovisningen."),
        paymentReference: a.registrationNumber ?? a.id,
        proposedById: ctx.user.id,
        state: "proposed",
        snapshot: json({}),
        createdAt: ctx.now,
      },
    ]);
  },
  async limitPaymentsToUsed(ctx, params) {
    // Unused money that has not been paid out is not paid: the unpaid plan shrinks to what was used.
    const used = big((params as ApplicationEffectParams["limitPaymentsToUsed"]).usedOre);
    const grant = currentGrant(ctx);
    const stillPayable = used - grant.paidOre;
    const unpaid = grant.plannedOre - grant.paidOre;
    if (unpaid <= (stillPayable > 0n ? stillPayable : 0n)) return;
    const cancelled = await supersedeUnpaid(ctx, grant, "Slutredovisningen visar outnyttjade medel; bara det som använts betalas ut.");
    if (stillPayable > 0n) await planInstalments(ctx, grant, splitLike(stillPayable, cancelled));
  },
  async recordReclaimDecision(ctx) {
    const r = await openReclaim(ctx);
    const c = appCtx(ctx).reclaim!;
    await updateRows(ctx.tx, "Reclaim", { id: r.id }, { state: "decided", amountOre: big(c.decidedOre), decidedById: ctx.user.id, dueOn: c.dueDate ? day(dateOnly(c.dueDate)) : null, reasons: c.reasons, version: increment() });
  },
  async recordReclaimRejection(ctx) {
    const r = await openReclaim(ctx);
    await updateRows(ctx.tx, "Reclaim", { id: r.id }, { state: "rejected", decidedById: ctx.user.id, version: increment() });
  },
  async recordWaiver(ctx) {
    const r = await openReclaim(ctx);
    const c = appCtx(ctx).reclaim!;
    await updateRows(ctx.tx, "Reclaim", { id: r.id }, {
      waivedOre: big(c.waivedOre),
      waiverReasons: c.waivers.map((w) => w.reasons).join("\n"),
      state: c.decidedOre! - c.waivedOre - c.repaidOre === 0 ? "waived" : "decided",
      version: increment(),
    });
  },
  async recordRepayment(ctx) {
    const r = await openReclaim(ctx);
    const c = appCtx(ctx).reclaim!;
    const done = c.decidedOre! - c.waivedOre - c.repaidOre === 0;
    await updateRows(ctx.tx, "Reclaim", { id: r.id }, {
      repaidOre: big(c.repaidOre),
      repaidOn: done ? day(dateOnly(String(ctx.event.paidOn))) : day(r.repaidOn),
      state: done ? "repaid" : "decided",
      version: increment(),
    });
  },
  async closeCase(ctx) {
    const grant = app(ctx).grant;
    if (!grant || grant.state !== "active") return;
    await updateRows(ctx.tx, "Grant", { id: grant.id, state: "active" }, { state: "closed" });
    grant.state = "closed";
  },
};

async function updateReport(ctx: EffectContext, set: Parameters<typeof updateRows>[3]) {
  const grant = currentGrant(ctx);
  const kind = ctx.event.kind as "interim" | "final";
  const n = await updateRows(ctx.tx, "Report", { grantId: grant.id, kind }, set);
  if (n !== 1) throw new Error(`grant ${grant.id} has no ${kind} report`);
}

async function openReclaim(ctx: EffectContext) {
  const grant = currentGrant(ctx);
  const [r] = await ctx.tx.query<{ id: string; repaidOn: Date | null }>(
    `select id, "repaidOn" from "Reclaim" where "grantId" = $1::uuid and state in ('proposed', 'decided') order by "createdAt" desc limit 1`,
    [grant.id],
  );
  if (!r) throw new Error("no open reclaim on this grant");
  return r;
}

const disbursement = (ctx: EffectContext) => {
  if (!ctx.case.disbursement) throw new Error("effect needs a disbursement case");
  return ctx.case.disbursement;
};

const disbursementHandlers: Record<string, Handler> = {
  async recordPaymentRequest(ctx) {
    await updateRows(ctx.tx, "Disbursement", { id: disbursement(ctx).id }, { requestedAt: ctx.now, bankAccount: ctx.details.bankAccount ?? null });
  },
  async recordAttestation(ctx) {
    await updateRows(ctx.tx, "Disbursement", { id: disbursement(ctx).id }, { attestedById: ctx.user.id, attestedAt: ctx.now });
  },
  async recordPayment(ctx) {
    const d = disbursement(ctx);
    // Finance may confirm or give the account paid to (an instalment without a payment request has none on record).
    await updateRows(ctx.tx, "Disbursement", { id: d.id }, {
      paidOn: day(dateOnly(String(ctx.event.paidOn))),
      paymentReference: String(ctx.event.paymentReference),
      ...(ctx.details.bankAccount ? { bankAccount: ctx.details.bankAccount } : {}),
    });
    await payOnGrant(ctx.tx, d.grantId, d.amountOre);
  },
  async recordLapse(ctx) {
    const d = disbursement(ctx);
    await planOnGrant(ctx.tx, d.grantId, -d.amountOre);
  },
  async recordCancellation(ctx) {
    const d = disbursement(ctx);
    await planOnGrant(ctx.tx, d.grantId, -d.amountOre);
  },
};

const callHandlers: Record<string, Handler> = {
  async updateCallTerms(ctx) {
    const c = ctx.case.call!;
    const e = ctx.event as { budgetOre?: number; opensAt?: string; closesAt?: string };
    if (e.budgetOre !== undefined) {
      const delta = big(e.budgetOre) - c.budgetOre;
      await commitAllocation(ctx.tx, c.allocationId, delta);
      await updateRows(ctx.tx, "Call", { id: c.id }, { budgetOre: big(e.budgetOre) });
    }
    const terms = ctx.details.callTerms;
    if (e.opensAt || e.closesAt || terms) {
      // One UPDATE, so the table's CHECKs (opens before closes, interim before final report) see the new values together.
      const { criteria, indicators, cofundingRules, paymentTerms, interimReportDueOn, finalReportDueOn, ...plain } = terms ?? {};
      await updateRows(ctx.tx, "Call", { id: c.id }, {
        ...(e.opensAt ? { opensAt: new Date(e.opensAt) } : {}),
        ...(e.closesAt ? { closesAt: new Date(e.closesAt) } : {}),
        ...plain,
        ...(interimReportDueOn !== undefined ? { interimReportDueOn: day(interimReportDueOn) } : {}),
        ...(finalReportDueOn !== undefined ? { finalReportDueOn: day(finalReportDueOn) } : {}),
        ...(cofundingRules ? { cofundingRules: json(cofundingRules) } : {}),
        ...(paymentTerms ? { paymentTerms: json(paymentTerms) } : {}),
      });
      // A draft call has no applications, so no scores or results point at its criteria and indicators yet.
      if (criteria) {
        await ctx.tx.query(`delete from "CallCriterion" where "callId" = $1::uuid`, [c.id]);
        await insertRows(ctx.tx, "CallCriterion", criteria.map((x, i) => ({ id: randomUUID(), callId: c.id, position: i + 1, name: x.name, description: x.description ?? "", weight: x.weight })));
      }
      if (indicators) {
        await ctx.tx.query(`delete from "CallIndicator" where "callId" = $1::uuid`, [c.id]);
        await insertRows(ctx.tx, "CallIndicator", indicators.map((x, i) => ({ id: randomUUID(), callId: c.id, position: i + 1, name: x.name, unit: x.unit })));
      }
    }
  },
  async publishCall() {},
  async closeCall() {},
  async recordCallDecided() {},
  async archiveCall() {},
};

const assignmentHandlers: Record<string, Handler> = {
  async activateAssignment() {},
  async openReporting() {},
  async recordGovernmentReport() {},
  async closeAssignment() {},
};

export const effectHandlers: Record<WorkflowKind, Record<string, Handler>> = {
  application: applicationHandlers,
  disbursement: disbursementHandlers,
  call: callHandlers,
  assignment: assignmentHandlers,
};
