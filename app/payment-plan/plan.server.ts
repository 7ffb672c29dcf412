// The payment plan of a grant (utbetalningsplan): after the decision the
// officer sets the instalments (amount, planned day, trigger). The decision
// already planned instalments from the call's payment terms; this replaces the
// ones nobody has acted on yet. Instalments already requested, attested or
// paid stay as they are, and the new ones plus those must add up to exactly the
// grant. One transaction: the application is locked, each replaced instalment
// is cancelled through its own statechart (audited), the new ones are created
// as disbursement cases (audited, planned on the grant by the conditional
// UPDATE of the budget chain). A plan that does not add up saves nothing.
import type { Db } from "~/db.server";
import type { DisbursementTrigger } from "~/generated/prisma/enums";
import { hasRole, type Principal } from "~/access/permissions.server";
import { applyInTransaction } from "~/workflow/engine.server";
import { createInstalment } from "~/workflow/effects.server";
import { WorkflowRefused } from "~/workflow/errors";
import { formatKronor, oreToKronorInput, parseKronor } from "~/lib/money";
import { formatDate, parseDateInput, plainDateToUtcMidnight, toPlainDate, utcMidnightToPlainDate, type PlainDate } from "~/lib/dates";
import { TRIGGER_LABELS, stateLabel } from "~/lib/state-labels";
import { failure, type FormFailure } from "~/finance/form-fields";
import { TRIGGERS } from "~/finance/call-form";
import { PLAN_ROWS } from "./plan-form";

/** Instalments someone has acted on: they stay in any new plan. */
const KEPT_STATES = ["requested", "attested", "paid"];
const REPLACEABLE_STATES = ["planned"];
export const REPLACED_REASON = "Utbetalningsplanen har ändrats av handläggaren.";

type Instalment = { id: string; number: number; state: string; amountOre: bigint };

/**
 * Money the recipient has lost: instalments that lapsed (no payment request in
 * time) and instalments someone cancelled on purpose (CANCEL from the case or
 * finance pages). They are off Grant.plannedOre, but a new plan must not pay
 * them out again (docs/decisions/0006). Not forfeited: the plan page's own
 * replacements (REPLACED_REASON), and anything before the last SUPERSEDE: a
 * changed decision re-plans all that is not paid, settling earlier losses.
 */
async function forfeitedOre(db: Pick<Db, "auditEvent">, instalments: Instalment[]): Promise<bigint> {
  return (await endedInstalments(db, instalments)).forfeited;
}

/** Forfeited money (above), and which cancelled instalments were only replaced by a new plan or a changed decision. */
async function endedInstalments(db: Pick<Db, "auditEvent">, instalments: Instalment[]): Promise<{ forfeited: bigint; replaced: Set<string>; superseded: Set<string> }> {
  const ended = instalments.filter((d) => d.state === "cancelled" || d.state === "lapsed");
  if (ended.length === 0) return { forfeited: 0n, replaced: new Set(), superseded: new Set() };
  const events = await db.auditEvent.findMany({ where: { caseType: "disbursement", caseId: { in: ended.map((d) => d.id) }, eventType: { in: ["CANCEL", "SUPERSEDE"] } }, select: { caseId: true, eventType: true, payload: true } });
  const superseded = new Set(events.filter((e) => e.eventType === "SUPERSEDE").map((e) => e.caseId));
  const settledUpTo = ended.filter((d) => superseded.has(d.id)).reduce((m, d) => Math.max(m, d.number), 0);
  const deliberate = new Set(events.filter((e) => e.eventType === "CANCEL" && (e.payload as { event?: { reasons?: unknown } } | null)?.event?.reasons !== REPLACED_REASON).map((e) => e.caseId));
  const replaced = new Set(ended.filter((d) => d.state === "cancelled" && !deliberate.has(d.id)).map((d) => d.id));
  return { forfeited: ended.filter((d) => d.number > settledUpTo && (d.state === "lapsed" || deliberate.has(d.id))).reduce((s, d) => s + d.amountOre, 0n), replaced, superseded };
}

const kr = (ore: bigint) => formatKronor(ore);
const day = (d: Date | null) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);

/** Officers of the board plan payments (the attester must be someone else: four eyes in the disbursement statechart). */
export function mayPlanPayments(user: Principal, application: { boardId: string }): boolean {
  return hasRole(user, "officer", application.boardId);
}

/** Why the rows add up to less than the grant: "(beviljat X, varav Y redan … , varav Z förverkat)", or null. */
function toPlanNote(grantOre: bigint, keptOre: bigint, forfeited: bigint): string | null {
  const parts = [keptOre > 0n ? `varav ${kr(keptOre)} redan rekvirerat, attesterat eller utbetalt` : null, forfeited > 0n ? `varav ${kr(forfeited)} förverkat` : null].filter(Boolean);
  return parts.length ? `(beviljat ${kr(grantOre)}, ${parts.join(", ")})` : null;
}

type PlanRow = { amountOre: bigint; trigger: DisbursementTrigger; plannedOn: PlainDate };

/** The plan page. `applicationId` must come from `requireApplication` and the user must be the board's staff. */
export async function loadPaymentPlan(db: Db, user: Principal, applicationId: string) {
  const a = await db.application.findUniqueOrThrow({ where: { id: applicationId }, select: { id: true, title: true, registrationNumber: true, state: true, boardId: true, callId: true, applicantOrg: { select: { name: true } } } });
  const grant = await db.grant.findUnique({ where: { applicationId } });
  const call = await db.call.findUniqueOrThrow({ where: { id: a.callId }, select: { paymentRequestRequired: true, paymentRequestDays: true, interimReportRequired: true, title: true } });
  const disbursements = grant ? await db.disbursement.findMany({ where: { grantId: grant.id }, orderBy: { number: "asc" } }) : [];
  const conflicts = await db.conflictOfInterest.count({ where: { applicationId, userId: user.id } });
  const kept = disbursements.filter((d) => KEPT_STATES.includes(d.state));
  const replaceable = disbursements.filter((d) => REPLACEABLE_STATES.includes(d.state));
  const keptOre = kept.reduce((s, d) => s + d.amountOre, 0n);
  const { forfeited, replaced, superseded } = await endedInstalments(db, disbursements);
  const open = grant !== null && grant.state === "active" && a.state.startsWith("grantActive");
  const values: Record<string, string> = {};
  replaceable.forEach((d, i) => Object.assign(values, { [`rows.${i}.amount`]: oreToKronorInput(d.amountOre), [`rows.${i}.trigger`]: d.trigger, [`rows.${i}.plannedOn`]: utcMidnightToPlainDate(d.plannedOn) }));
  return {
    id: a.id,
    title: a.title,
    registrationNumber: a.registrationNumber,
    recipient: a.applicantOrg.name,
    callTitle: call.title,
    grant: grant
      ? { amount: kr(grant.amountOre), planned: kr(grant.plannedOre), paid: kr(grant.paidOre), kept: kr(keptOre), forfeited: forfeited > 0n ? kr(forfeited) : null, toPlanNote: toPlanNote(grant.amountOre, keptOre, forfeited), toPlan: kr(grant.amountOre - keptOre - forfeited), state: grant.state }
      : null,
    paymentRequest: call.paymentRequestRequired ? `Mottagaren ska rekvirera varje utbetalning inom ${call.paymentRequestDays ?? 0} dagar från den planerade dagen.` : null,
    interimReportRequired: call.interimReportRequired,
    disbursements: disbursements.map((d) => ({
      id: d.id,
      number: d.number,
      amount: kr(d.amountOre),
      trigger: TRIGGER_LABELS[d.trigger] ?? d.trigger,
      plannedOn: day(d.plannedOn),
      requestDeadline: day(d.requestDeadline),
      state: d.state,
      // "Stoppad" would say the money is not paid; a replaced instalment's money is in the new plan.
      stateLabel: superseded.has(d.id) ? "Ersatt efter ändrat beslut" : replaced.has(d.id) ? "Ersatt av ny plan" : stateLabel("disbursement", d.state),
      kept: KEPT_STATES.includes(d.state),
    })),
    mayEdit: open && mayPlanPayments(user, a) && conflicts === 0,
    whyNot: !grant ? "Ärendet har inget beviljat bidrag." : !open ? "Bidraget är inte längre pågående; planen kan inte ändras." : conflicts > 0 ? "Du har anmält jäv i ärendet." : !mayPlanPayments(user, a) ? "Bara handläggare vid länsstyrelsen kan ändra utbetalningsplanen." : null,
    values,
  };
}

/**
 * The rows as typed → instalments, or a message per field. A planned day before `today` is
 * refused unless an instalment the plan replaces already has that day (a plan sent back as it
 * was): a new instalment planned in the past would be due at once, and where payment requests
 * are required its time to request would already have run out and the money be forfeited.
 */
export function parsePlanRows(
  values: Record<string, string>,
  interimReportRequired: boolean,
  past: { today: PlainDate; plannedDays: ReadonlySet<PlainDate> } | null = null,
): { ok: true; rows: PlanRow[] } | { ok: false; fieldErrors: Record<string, string> } {
  const rows: PlanRow[] = [];
  const fieldErrors: Record<string, string> = {};
  for (let i = 0; i < PLAN_ROWS; i++) {
    const amount = (values[`rows.${i}.amount`] ?? "").trim();
    const trigger = (values[`rows.${i}.trigger`] ?? "").trim();
    const plannedOn = (values[`rows.${i}.plannedOn`] ?? "").trim();
    if (!amount && !trigger && !plannedOn) continue;
    const n = i + 1;
    const parsedAmount = parseKronor(amount);
    if (!amount) fieldErrors[`rows.${i}.amount`] = `Ange belopp för utbetalning ${n}.`;
    else if (!parsedAmount.ok) fieldErrors[`rows.${i}.amount`] = parsedAmount.message;
    else if (parsedAmount.ore <= 0n) fieldErrors[`rows.${i}.amount`] = `Beloppet för utbetalning ${n} måste vara större än 0 kr.`;
    else if (parsedAmount.ore > BigInt(Number.MAX_SAFE_INTEGER)) fieldErrors[`rows.${i}.amount`] = "Beloppet är för stort.";
    if (!TRIGGERS.includes(trigger as DisbursementTrigger)) fieldErrors[`rows.${i}.trigger`] = `Välj när utbetalning ${n} får göras.`;
    else if (trigger === "after_interim_report" && !interimReportRequired) fieldErrors[`rows.${i}.trigger`] = "Bidraget har ingen delredovisning. Välj ett annat villkor.";
    const date = parseDateInput(plannedOn);
    if (!plannedOn) fieldErrors[`rows.${i}.plannedOn`] = `Ange planerad utbetalningsdag för utbetalning ${n}.`;
    else if (!date.ok) fieldErrors[`rows.${i}.plannedOn`] = date.message;
    else if (past && date.date < past.today && !past.plannedDays.has(date.date)) fieldErrors[`rows.${i}.plannedOn`] = `Planerad utbetalningsdag för utbetalning ${n} har redan passerat. Ange i dag (${formatDate(past.today)}) eller en senare dag.`;
    if (!fieldErrors[`rows.${i}.amount`] && !fieldErrors[`rows.${i}.trigger`] && !fieldErrors[`rows.${i}.plannedOn`] && parsedAmount.ok && date.ok) {
      rows.push({ amountOre: parsedAmount.ore, trigger: trigger as DisbursementTrigger, plannedOn: date.date });
    }
  }
  if (Object.keys(fieldErrors).length === 0 && rows.length === 0) fieldErrors["rows.0.amount"] = "Ange minst en utbetalning.";
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : { ok: true, rows };
}

export type SavePlanResult = { ok: true; changed: boolean } | { ok: false; status: number; failure: FormFailure };

const sameRows = (a: PlanRow[], b: PlanRow[]) =>
  a.length === b.length && a.every((r, i) => r.amountOre === b[i].amountOre && r.trigger === b[i].trigger && r.plannedOn === b[i].plannedOn);

/**
 * Replaces the grant's instalments that nobody has acted on with `values`' rows.
 * Refused, with nothing saved, unless the new rows plus the kept instalments add
 * up to exactly the grant.
 */
export async function savePaymentPlan(db: Db, user: Principal, applicationId: string, values: Record<string, string>, now = new Date()): Promise<SavePlanResult> {
  const application = await db.application.findUniqueOrThrow({ where: { id: applicationId }, select: { boardId: true, callId: true } });
  const call = await db.call.findUniqueOrThrow({ where: { id: application.callId }, select: { paymentRequestRequired: true, paymentRequestDays: true, interimReportRequired: true } });
  const replaceable = await db.disbursement.findMany({ where: { grant: { applicationId }, state: { in: REPLACEABLE_STATES } }, select: { plannedOn: true } });
  const parsed = parsePlanRows(values, call.interimReportRequired, { today: toPlainDate(now), plannedDays: new Set(replaceable.map((d) => utcMidnightToPlainDate(d.plannedOn))) });
  if (!parsed.ok) return { ok: false, status: 400, failure: failure(values, parsed.fieldErrors) };
  const rows = parsed.rows;
  try {
    const changed = await db.$transaction(
      async (tx) => {
        // Same lock order as every event on this case: the application first.
        await tx.$queryRaw`select id from "Application" where id = ${applicationId}::uuid for update`;
        const a = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { state: true, boardId: true } });
        if (!mayPlanPayments(user, a)) throw new WorkflowRefused("isOfficer", "Bara handläggare vid länsstyrelsen kan ändra utbetalningsplanen.", `user ${user.id} is not officer at ${a.boardId}`);
        if (await tx.conflictOfInterest.count({ where: { applicationId, userId: user.id } })) throw new WorkflowRefused("hasNoConflictOfInterest", "Du har anmält jäv i ärendet och får inte delta i handläggningen.", `user ${user.id} has jäv on ${applicationId}`);
        const grant = await tx.grant.findUnique({ where: { applicationId } });
        if (!grant || grant.state !== "active" || !a.state.startsWith("grantActive")) throw new WorkflowRefused("grantIsActive", "Bidraget är inte pågående; utbetalningsplanen kan inte ändras.", `application ${applicationId} is ${a.state}`);
        const current = await tx.disbursement.findMany({ where: { grantId: grant.id }, orderBy: { number: "asc" } });
        const keptOre = current.filter((d) => KEPT_STATES.includes(d.state)).reduce((s, d) => s + d.amountOre, 0n);
        // Lapsed and deliberately cancelled money counts as spent: the plan may not pay it out again.
        const forfeited = await forfeitedOre(tx, current);
        const total = rows.reduce((s, r) => s + r.amountOre, 0n) + keptOre + forfeited;
        if (total !== grant.amountOre) {
          const kept = keptOre > 0n ? ` Av det är ${kr(keptOre)} redan rekvirerat, attesterat eller utbetalt och ligger kvar.` : "";
          const lost = forfeited > 0n ? ` ${kr(forfeited)} är förverkat (rekvirerades inte i tid eller har makulerats) och kan inte planeras igen.` : "";
          throw new WorkflowRefused(
            "instalmentsAddUpToGrant",
            `Utbetalningarna ska tillsammans bli det beviljade beloppet, ${kr(grant.amountOre)}. Nu blir de ${kr(total)}.${kept}${lost}`,
            `plan for grant ${grant.id} sums to ${total}, grant is ${grant.amountOre}`,
          );
        }
        const replaceable = current.filter((d) => REPLACEABLE_STATES.includes(d.state));
        const before = replaceable.map((d) => ({ amountOre: d.amountOre, trigger: d.trigger, plannedOn: utcMidnightToPlainDate(d.plannedOn) }));
        if (sameRows(before, rows)) return false;
        // Each replaced instalment is cancelled through its own statechart (who may, jäv, reasons), with its audit event.
        for (const d of replaceable) await applyInTransaction(tx, user, "disbursement", d.id, { type: "CANCEL", reasons: REPLACED_REASON }, { now });
        let number = current.reduce((m, d) => Math.max(m, d.number), 0);
        for (const r of rows) {
          number++;
          await createInstalment(tx, {
            grantId: grant.id,
            boardId: a.boardId,
            number,
            amountOre: r.amountOre,
            trigger: r.trigger,
            plannedOn: plainDateToUtcMidnight(r.plannedOn),
            plannedAt: plainDateToUtcMidnight(r.plannedOn).toISOString(),
            paymentRequestRequired: call.paymentRequestRequired,
            paymentRequestDays: call.paymentRequestDays,
            plannedById: user.id,
            now,
          });
        }
        return true;
      },
      { timeout: 20_000, maxWait: 20_000 },
    );
    return { ok: true, changed };
  } catch (error) {
    if (error instanceof WorkflowRefused) return { ok: false, status: error.rule === "instalmentsAddUpToGrant" ? 400 : error.status, failure: failure(values, {}, error.userMessage) };
    throw error;
  }
}
