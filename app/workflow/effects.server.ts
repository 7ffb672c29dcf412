// The statecharts' named effects, carried out as database writes inside the
// transaction that applies the event. One handler per effect name; a test
// checks that every effect a machine can emit has one here.
import type { Prisma } from "~/generated/prisma/client";
import type { DisbursementTrigger, RejectionCategory } from "~/generated/prisma/enums";
import {
  start,
  persist,
  type ApplicationContext,
  type ApplicationEffectParams,
  type ReclaimGround,
  type WorkflowKind,
} from "../../workflows";
import type { Principal } from "~/access/permissions.server";
import type { LoadedCase } from "./cases.server";
import { commitAllocation, payOnGrant, planOnGrant, releaseCallBudget, reserveCallBudget } from "./budget.server";
import { deadlineFrom, plainDateToUtcMidnight, stockholmDateTimeToUtc, toPlainDate } from "~/lib/dates";
import { appendAuditEvent } from "./audit.server";
import type { NewCall } from "./create.server";

type Tx = Prisma.TransactionClient;

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
  tx: Tx;
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
};

type Handler = (ctx: EffectContext, params: unknown) => Promise<void>;

const big = (n: unknown) => BigInt(n as number);
const dateOnly = (iso: string) => new Date(`${toPlainDate(new Date(iso))}T00:00:00Z`);
const appCtx = (ctx: EffectContext) => ctx.next.context as ApplicationContext;
const app = (ctx: EffectContext) => {
  if (!ctx.case.application) throw new Error("effect needs an application case");
  return ctx.case.application;
};

/** Diarienummer: gapless per board and year. The counter row stays locked until commit, so a rolled-back registration leaves no gap. */
async function nextRegistrationNumber(tx: Tx, boardId: string, year: number): Promise<{ number: string; seq: number }> {
  const rows = await tx.$queryRaw<{ lastSeq: number }[]>`
    insert into "RegistrationCounter" ("boardId", year, "lastSeq") values (${boardId}::uuid, ${year}, 1)
    on conflict ("boardId", year) do update set "lastSeq" = "RegistrationCounter"."lastSeq" + 1
    returning "lastSeq"`;
  const seq = rows[0].lastSeq;
  const board = await tx.organization.findUniqueOrThrow({ where: { id: boardId }, select: { countyCode: true } });
  return { number: `${board.countyCode ?? "00"}-${year}-${String(seq).padStart(4, "0")}`, seq };
}

async function registerDocument(ctx: EffectContext, direction: "incoming" | "outgoing" | "internal", description: string, counterpart: string) {
  const a = app(ctx);
  const current = await ctx.tx.application.findUniqueOrThrow({ where: { id: a.id }, select: { registrationNumber: true } });
  if (!current.registrationNumber) return;
  await ctx.tx.caseDocument.create({
    data: { boardId: a.boardId, applicationId: a.id, registrationNumber: current.registrationNumber, registeredOn: dateOnly(ctx.event.at), direction, counterpart, description, createdAt: ctx.now },
  });
}

async function applicantName(tx: Tx, orgId: string) {
  return (await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true } })).name;
}

async function saveRevision(ctx: EffectContext) {
  const a = app(ctx);
  const application = await ctx.tx.application.findUniqueOrThrow({ where: { id: a.id } });
  const budgetLines = await ctx.tx.budgetLine.findMany({ where: { applicationId: a.id }, orderBy: { position: "asc" } });
  const full = { ...application, budgetLines };
  const count = await ctx.tx.applicationRevision.count({ where: { applicationId: a.id } });
  const { snapshot: _s, state: _st, version: _v, ...data } = full;
  await ctx.tx.applicationRevision.create({
    data: { applicationId: a.id, number: count + 1, createdById: ctx.user.id, createdAt: ctx.now, data: JSON.parse(JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v))) },
  });
}

async function currentGrant(ctx: EffectContext) {
  return ctx.tx.grant.findUniqueOrThrow({ where: { applicationId: app(ctx).id } });
}

async function currentDecision(ctx: EffectContext) {
  return ctx.tx.decision.findFirst({ where: { applicationId: app(ctx).id, supersededBy: null }, orderBy: { decidedAt: "desc" } });
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

/** One new instalment: its own disbursement case with its first audit event, planned on the grant by a conditional UPDATE. */
export async function createInstalment(
  tx: Tx,
  i: {
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
  },
) {
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
  const d = await tx.disbursement.create({
    data: {
      grantId: i.grantId,
      number: i.number,
      amountOre: i.amountOre,
      trigger: i.trigger,
      plannedOn: i.plannedOn,
      requestDeadline: deadline ? plainDateToUtcMidnight(deadline) : null,
      plannedById: i.plannedById,
      state,
      snapshot: persist("disbursement", snapshot) as Prisma.InputJsonValue,
      version: 1,
      createdAt: i.now,
    },
  });
  await planOnGrant(tx, i.grantId, i.amountOre);
  await appendAuditEvent(tx, { actorId: i.plannedById, organizationId: i.boardId, caseType: "disbursement", caseId: d.id, eventType: "PLANNED", fromState: null, toState: state, payload: { amountOre: i.amountOre, trigger: i.trigger, number: i.number }, occurredAt: i.now });
  return d;
}

/** Plans instalments under the grant, each its own disbursement case with its first audit event. */
async function planInstalments(ctx: EffectContext, grantId: string, parts: { trigger: DisbursementTrigger; amountOre: bigint }[]) {
  const a = app(ctx);
  const call = await ctx.tx.call.findUniqueOrThrow({ where: { id: a.callId } });
  const last = await ctx.tx.disbursement.aggregate({ where: { grantId }, _max: { number: true } });
  let number = last._max.number ?? 0;
  for (const part of parts) {
    if (part.amountOre <= 0n) continue;
    number++;
    const planned = part.trigger === "at_start" ? ctx.now : part.trigger === "after_final_report" ? call.finalReportDueOn : (call.interimReportDueOn ?? call.finalReportDueOn);
    await createInstalment(ctx.tx, {
      grantId,
      boardId: a.boardId,
      number,
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
}

/** Cancels every unpaid instalment through its own statechart; returns what was cancelled. */
async function supersedeUnpaid(ctx: EffectContext, grantId: string, reasons: string) {
  const open = await ctx.tx.disbursement.findMany({ where: { grantId, state: { in: ["planned", "requested", "attested"] } }, orderBy: { number: "asc" } });
  for (const d of open) await ctx.cascade("disbursement", d.id, { type: "SUPERSEDE", reasons });
  return open.map((d) => ({ trigger: d.trigger, amountOre: d.amountOre }));
}

const applicationHandlers: Record<string, Handler> = {
  async registerApplication(ctx) {
    const a = app(ctx);
    const year = Number(toPlainDate(ctx.now).slice(0, 4));
    const { number, seq } = await nextRegistrationNumber(ctx.tx, a.boardId, year);
    await ctx.tx.application.update({
      where: { id: a.id },
      data: { registrationNumber: number, registrationYear: year, registrationSeq: seq, submittedAt: ctx.now, requestedOre: big(ctx.event.requestedOre) },
    });
    await saveRevision(ctx);
    await registerDocument(ctx, "incoming", `Ansökan: ${a.title}`, await applicantName(ctx.tx, a.applicantOrgId));
  },
  // The officer who starts the assessment becomes the handling officer (Application.officerId),
  // unless the case was already assigned to someone on purpose.
  async assignCaseOfficer(ctx) {
    await ctx.tx.application.updateMany({ where: { id: app(ctx).id, officerId: null }, data: { officerId: ctx.user.id } });
  },
  async requestCompletion(ctx) {
    await ctx.tx.completionRequest.create({
      data: { applicationId: app(ctx).id, requestedById: ctx.user.id, message: String(ctx.event.message), dueOn: dateOnly(String(ctx.event.deadline)), requestedAt: ctx.now },
    });
    await registerDocument(ctx, "outgoing", "Begäran om komplettering", await applicantName(ctx.tx, app(ctx).applicantOrgId));
  },
  async recordCompletion(ctx) {
    const open = await ctx.tx.completionRequest.findFirst({ where: { applicationId: app(ctx).id, completedAt: null }, orderBy: { requestedAt: "desc" } });
    if (open) await ctx.tx.completionRequest.update({ where: { id: open.id }, data: { completedAt: ctx.now } });
    if (ctx.event.requestedOre !== undefined) await ctx.tx.application.update({ where: { id: app(ctx).id }, data: { requestedOre: big(ctx.event.requestedOre) } });
    if (ctx.event.type === "COMPLETE") {
      await saveRevision(ctx);
      await registerDocument(ctx, "incoming", "Komplettering", await applicantName(ctx.tx, app(ctx).applicantOrgId));
    }
  },
  async recordPresentation(ctx) {
    const c = appCtx(ctx);
    const assessment = await ctx.tx.assessment.create({
      data: {
        applicationId: app(ctx).id,
        officerId: ctx.user.id,
        recommendation: c.recommendation,
        recommendedOre: c.proposedGrantOre === null ? null : big(c.proposedGrantOre),
        summary: ctx.details.summary ?? "",
        createdAt: ctx.now,
        updatedAt: ctx.now,
      },
    });
    for (const s of ctx.details.scores ?? []) {
      await ctx.tx.assessmentScore.create({ data: { assessmentId: assessment.id, criterionId: s.criterionId, score: s.score, comment: s.comment ?? "" } });
    }
  },
  async recordReturn() {},
  async recordPendingDecision() {},
  async recordDecision(ctx, params) {
    const p = params as ApplicationEffectParams["recordDecision"];
    const c = appCtx(ctx);
    const a = app(ctx);
    const application = await ctx.tx.application.findUniqueOrThrow({ where: { id: a.id }, select: { requestedOre: true } });
    const call = await ctx.tx.call.findUniqueOrThrow({ where: { id: a.callId }, select: { appealNotice: true } });
    const decision = c.decision;
    if (!decision) throw new Error("recordDecision without a decision in context");
    await ctx.tx.decision.create({
      data: {
        applicationId: a.id,
        outcome: p.outcome,
        requestedOre: application.requestedOre,
        grantedOre: big(p.grantedOre),
        conditions: ctx.details.conditions ?? "",
        rejectionCategory: p.outcome === "approved" ? null : (ctx.details.rejectionCategory ?? null),
        reasons: decision.reasons,
        decidedOn: dateOnly(decision.decidedAt),
        decidedAt: new Date(decision.decidedAt),
        decisionMakerId: decision.decidedBy,
        presenterId: decision.presentedBy ?? decision.decidedBy,
        otherParticipants: decision.confirmedBy ? [decision.confirmedBy] : [],
        appealNotice: call.appealNotice,
      },
    });
    await registerDocument(ctx, "outgoing", `Beslut: ${p.outcome === "rejected" ? "avslag" : p.outcome === "approved" ? "bifall" : "delvis bifall"}`, await applicantName(ctx.tx, a.applicantOrgId));
  },
  async recordDecisionChange(ctx) {
    const c = appCtx(ctx);
    const a = app(ctx);
    const change = c.decisionChanges[c.decisionChanges.length - 1];
    const previous = await currentDecision(ctx);
    const call = await ctx.tx.call.findUniqueOrThrow({ where: { id: a.callId }, select: { appealNotice: true } });
    const application = await ctx.tx.application.findUniqueOrThrow({ where: { id: a.id }, select: { requestedOre: true } });
    await ctx.tx.decision.create({
      data: {
        applicationId: a.id,
        kind: change.kind,
        supersedesId: previous?.id ?? null,
        outcome: change.to.outcome,
        requestedOre: application.requestedOre,
        grantedOre: big(change.to.grantedOre),
        conditions: ctx.details.conditions ?? previous?.conditions ?? "",
        rejectionCategory: change.to.outcome === "approved" ? null : (ctx.details.rejectionCategory ?? previous?.rejectionCategory ?? null),
        reasons: change.reasons,
        decidedOn: dateOnly(change.at),
        decidedAt: new Date(change.at),
        decisionMakerId: change.by,
        presenterId: c.presentedBy && c.presentedBy !== change.by ? c.presentedBy : (previous?.presenterId !== change.by ? previous?.presenterId : undefined) ?? change.by,
        otherParticipants: [],
        appealNotice: call.appealNotice,
      },
    });
    await registerDocument(ctx, "outgoing", change.kind === "correction" ? "Rättelse av beslut" : "Omprövning av beslut", await applicantName(ctx.tx, a.applicantOrgId));
  },
  async reserveBudget(ctx, params) {
    await reserveCallBudget(ctx.tx, app(ctx).callId, big((params as { amountOre: number }).amountOre));
  },
  async releaseBudget(ctx, params) {
    await releaseCallBudget(ctx.tx, app(ctx).callId, big((params as { amountOre: number }).amountOre));
  },
  async createGrant(ctx) {
    const a = app(ctx);
    const c = appCtx(ctx);
    const call = await ctx.tx.call.findUniqueOrThrow({ where: { id: a.callId } });
    const decision = await currentDecision(ctx);
    const existing = await ctx.tx.grant.findUnique({ where: { applicationId: a.id } });
    if (!decision) throw new Error("createGrant without a decision row");
    const data = {
      decisionId: decision.id,
      amountOre: big(c.grantedOre),
      paymentTerms: call.paymentTerms as Prisma.InputJsonValue,
      interimReportDueOn: call.interimReportRequired ? call.interimReportDueOn : null,
      finalReportDueOn: call.finalReportDueOn,
      state: "active",
    };
    // A grant cancelled by a corrected decision comes back when a reconsideration grants again.
    if (existing) await ctx.tx.grant.update({ where: { id: existing.id }, data });
    else await ctx.tx.grant.create({ data: { ...data, applicationId: a.id, snapshot: {}, createdAt: ctx.now } });
  },
  async adjustGrant(ctx, params) {
    const p = params as ApplicationEffectParams["adjustGrant"];
    const a = app(ctx);
    const delta = big(p.toOre) - big(p.fromOre);
    if (delta > 0n) await reserveCallBudget(ctx.tx, a.callId, delta);
    if (delta < 0n) await releaseCallBudget(ctx.tx, a.callId, -delta);
    const grant = await currentGrant(ctx);
    const decision = await currentDecision(ctx);
    if (delta === 0n) {
      // Same amount (a corrected text, say): the payment plan stands.
      await ctx.tx.grant.update({ where: { id: grant.id }, data: { decisionId: decision?.id ?? grant.decisionId } });
      return;
    }
    // The unpaid part of the plan is replaced: cancelled (audited) and planned anew for the new amount.
    const cancelled = await supersedeUnpaid(ctx, grant.id, "Beslutet har ändrats; utbetalningsplanen ersätts.");
    await ctx.tx.grant.update({ where: { id: grant.id }, data: { amountOre: big(p.toOre), decisionId: decision?.id ?? grant.decisionId } });
    const remainder = big(p.toOre) - grant.paidOre;
    const shape = cancelled.length ? cancelled : [{ trigger: "at_start" as const, amountOre: 1n }];
    await planInstalments(ctx, grant.id, splitLike(remainder, shape));
  },
  async cancelGrant(ctx) {
    const grant = await ctx.tx.grant.findUnique({ where: { applicationId: app(ctx).id } });
    if (!grant) return;
    await supersedeUnpaid(ctx, grant.id, "Beslutet har ändrats till avslag; utbetalningarna stoppas.");
    await ctx.tx.grant.update({ where: { id: grant.id }, data: { state: "cancelled" } });
  },
  async createPaymentPlan(ctx) {
    const a = app(ctx);
    const grant = await currentGrant(ctx);
    const call = await ctx.tx.call.findUniqueOrThrow({ where: { id: a.callId } });
    const terms = (call.paymentTerms as PaymentTerms).instalments ?? [{ sharePercent: 100, trigger: "at_start" as const }];
    const toPlan = grant.amountOre - grant.plannedOre;
    await planInstalments(ctx, grant.id, splitLike(toPlan, terms.map((t) => ({ trigger: t.trigger, amountOre: BigInt(Math.round(t.sharePercent * 100)) }))));
  },
  async setReportDueDates(ctx) {
    const grant = await currentGrant(ctx);
    const reports: { kind: "interim" | "final"; dueOn: Date }[] = [];
    if (grant.interimReportDueOn) reports.push({ kind: "interim", dueOn: grant.interimReportDueOn });
    reports.push({ kind: "final", dueOn: grant.finalReportDueOn });
    await ctx.tx.report.createMany({
      data: reports.map((r) => ({ grantId: grant.id, kind: r.kind, dueOn: r.dueOn, state: "due", snapshot: {}, createdAt: ctx.now })),
      skipDuplicates: true,
    });
  },
  async recordConflictOfInterest(ctx) {
    await ctx.tx.conflictOfInterest.create({ data: { applicationId: app(ctx).id, userId: ctx.user.id, reason: ctx.details.conflictReason ?? "", declaredAt: ctx.now } });
    // A handling officer with jäv leaves the case: it goes back to the queue to be reassigned.
    await ctx.tx.application.updateMany({ where: { id: app(ctx).id, officerId: ctx.user.id }, data: { officerId: null } });
  },
  async recordWithdrawal(ctx) {
    await registerDocument(ctx, "incoming", "Ansökan återtagen", await applicantName(ctx.tx, app(ctx).applicantOrgId));
  },
  async recordReportSubmission(ctx) {
    const grant = await currentGrant(ctx);
    const kind = ctx.event.kind as "interim" | "final";
    const report = await ctx.tx.report.findUniqueOrThrow({ where: { grantId_kind: { grantId: grant.id, kind } } });
    await ctx.tx.report.update({
      where: { id: report.id },
      data: {
        state: "submitted",
        submittedAt: ctx.now,
        usedOre: ctx.details.usedOre ?? report.usedOre,
        unusedOre: ctx.event.unusedOre !== undefined ? big(ctx.event.unusedOre) : report.unusedOre,
        activitySummary: ctx.details.activitySummary ?? report.activitySummary,
        version: { increment: 1 },
      },
    });
    if (ctx.details.reportLines) {
      await ctx.tx.reportLine.deleteMany({ where: { reportId: report.id } });
      await ctx.tx.reportLine.createMany({ data: ctx.details.reportLines.map((l) => ({ reportId: report.id, budgetLineId: l.budgetLineId ?? null, category: l.category, usedOre: l.usedOre })) });
    }
    for (const r of ctx.details.results ?? []) {
      await ctx.tx.reportResult.upsert({
        where: { reportId_indicatorId: { reportId: report.id, indicatorId: r.indicatorId } },
        create: { reportId: report.id, indicatorId: r.indicatorId, value: r.value, comment: r.comment ?? "" },
        update: { value: r.value, comment: r.comment ?? "" },
      });
    }
    await registerDocument(ctx, "incoming", kind === "interim" ? "Delredovisning" : "Slutredovisning", await applicantName(ctx.tx, app(ctx).applicantOrgId));
  },
  async requestReportCompletion(ctx) {
    const grant = await currentGrant(ctx);
    await ctx.tx.report.update({ where: { grantId_kind: { grantId: grant.id, kind: ctx.event.kind as "interim" | "final" } }, data: { state: "completion_requested", version: { increment: 1 } } });
  },
  async recordReportApproval(ctx) {
    const grant = await currentGrant(ctx);
    await ctx.tx.report.update({
      where: { grantId_kind: { grantId: grant.id, kind: ctx.event.kind as "interim" | "final" } },
      data: { state: "approved", reviewedById: ctx.user.id, reviewedAt: ctx.now, version: { increment: 1 } },
    });
  },
  async closeGrant(ctx) {
    await ctx.tx.grant.update({ where: { applicationId: app(ctx).id }, data: { state: "closed" } });
  },
  async proposeReclaim(ctx, params) {
    const p = params as { amountOre: number; ground: ReclaimGround };
    const grant = await currentGrant(ctx);
    const a = app(ctx);
    await ctx.tx.reclaim.create({
      data: {
        grantId: grant.id,
        ground: p.ground,
        amountOre: big(p.amountOre),
        reasons: String(ctx.event.reasons ?? "Outnyttjade medel enligt slutredovisningen."),
        paymentReference: a.registrationNumber ?? a.id,
        proposedById: ctx.user.id,
        state: "proposed",
        snapshot: {},
        createdAt: ctx.now,
      },
    });
  },
  async limitPaymentsToUsed(ctx, params) {
    // Unused money that has not been paid out is not paid: the unpaid plan shrinks to what was used.
    const used = big((params as ApplicationEffectParams["limitPaymentsToUsed"]).usedOre);
    const grant = await currentGrant(ctx);
    const stillPayable = used - grant.paidOre;
    const unpaid = grant.plannedOre - grant.paidOre;
    if (unpaid <= (stillPayable > 0n ? stillPayable : 0n)) return;
    const cancelled = await supersedeUnpaid(ctx, grant.id, "Slutredovisningen visar outnyttjade medel; bara det som använts betalas ut.");
    if (stillPayable > 0n) await planInstalments(ctx, grant.id, splitLike(stillPayable, cancelled));
  },
  async recordReclaimDecision(ctx) {
    const r = await openReclaim(ctx);
    const c = appCtx(ctx).reclaim!;
    await ctx.tx.reclaim.update({
      where: { id: r.id },
      data: { state: "decided", amountOre: big(c.decidedOre), decidedById: ctx.user.id, dueOn: c.dueDate ? dateOnly(c.dueDate) : null, reasons: c.reasons, version: { increment: 1 } },
    });
  },
  async recordReclaimRejection(ctx) {
    const r = await openReclaim(ctx);
    await ctx.tx.reclaim.update({ where: { id: r.id }, data: { state: "rejected", decidedById: ctx.user.id, version: { increment: 1 } } });
  },
  async recordWaiver(ctx) {
    const r = await openReclaim(ctx);
    const c = appCtx(ctx).reclaim!;
    await ctx.tx.reclaim.update({
      where: { id: r.id },
      data: { waivedOre: big(c.waivedOre), waiverReasons: c.waivers.map((w) => w.reasons).join("\n"), state: c.decidedOre! - c.waivedOre - c.repaidOre === 0 ? "waived" : "decided", version: { increment: 1 } },
    });
  },
  async recordRepayment(ctx) {
    const r = await openReclaim(ctx);
    const c = appCtx(ctx).reclaim!;
    const done = c.decidedOre! - c.waivedOre - c.repaidOre === 0;
    await ctx.tx.reclaim.update({
      where: { id: r.id },
      data: { repaidOre: big(c.repaidOre), repaidOn: done ? dateOnly(String(ctx.event.paidOn)) : r.repaidOn, state: done ? "repaid" : "decided", version: { increment: 1 } },
    });
  },
  async closeCase(ctx) {
    await ctx.tx.grant.updateMany({ where: { applicationId: app(ctx).id, state: "active" }, data: { state: "closed" } });
  },
};

async function openReclaim(ctx: EffectContext) {
  const grant = await currentGrant(ctx);
  const r = await ctx.tx.reclaim.findFirst({ where: { grantId: grant.id, state: { in: ["proposed", "decided"] } }, orderBy: { createdAt: "desc" } });
  if (!r) throw new Error("no open reclaim on this grant");
  return r;
}

const disbursement = (ctx: EffectContext) => {
  if (!ctx.case.disbursement) throw new Error("effect needs a disbursement case");
  return ctx.case.disbursement;
};

const disbursementHandlers: Record<string, Handler> = {
  async recordPaymentRequest(ctx) {
    await ctx.tx.disbursement.update({ where: { id: disbursement(ctx).id }, data: { requestedAt: ctx.now, bankAccount: ctx.details.bankAccount ?? null } });
  },
  async recordAttestation(ctx) {
    await ctx.tx.disbursement.update({ where: { id: disbursement(ctx).id }, data: { attestedById: ctx.user.id, attestedAt: ctx.now } });
  },
  async recordPayment(ctx) {
    const d = disbursement(ctx);
    // Finance may confirm or give the account paid to (an instalment without a payment request has none on record).
    await ctx.tx.disbursement.update({
      where: { id: d.id },
      data: { paidOn: dateOnly(String(ctx.event.paidOn)), paymentReference: String(ctx.event.paymentReference), ...(ctx.details.bankAccount ? { bankAccount: ctx.details.bankAccount } : {}) },
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
      await ctx.tx.call.update({ where: { id: c.id }, data: { budgetOre: big(e.budgetOre) } });
    }
    const terms = ctx.details.callTerms;
    if (e.opensAt || e.closesAt || terms) {
      // One UPDATE, so the table's CHECKs (opens before closes, interim before final report) see the new values together.
      const { criteria, indicators, cofundingRules, paymentTerms, ...plain } = terms ?? {};
      await ctx.tx.call.update({
        where: { id: c.id },
        data: {
          ...(e.opensAt ? { opensAt: new Date(e.opensAt) } : {}),
          ...(e.closesAt ? { closesAt: new Date(e.closesAt) } : {}),
          ...plain,
          ...(cofundingRules ? { cofundingRules: cofundingRules as Prisma.InputJsonValue } : {}),
          ...(paymentTerms ? { paymentTerms: paymentTerms as Prisma.InputJsonValue } : {}),
        },
      });
      // A draft call has no applications, so no scores or results point at its criteria and indicators yet.
      if (criteria) {
        await ctx.tx.callCriterion.deleteMany({ where: { callId: c.id } });
        await ctx.tx.callCriterion.createMany({ data: criteria.map((x, i) => ({ callId: c.id, position: i + 1, name: x.name, description: x.description ?? "", weight: x.weight })) });
      }
      if (indicators) {
        await ctx.tx.callIndicator.deleteMany({ where: { callId: c.id } });
        await ctx.tx.callIndicator.createMany({ data: indicators.map((x, i) => ({ callId: c.id, position: i + 1, name: x.name, unit: x.unit })) });
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
