// Administering calls (utlysningar): create one under an allocation, edit it
// while it is a draft, publish it, close it. Creation goes through
// createCall (the call budget is committed on the allocation by a conditional
// UPDATE); edits, publishing and closing go through the call's statechart
// (EDIT_TERMS, PUBLISH, CLOSE), so the rules and the audit trail are the
// engine's. This module only turns the form into those calls.
import { z } from "zod";
import type { Db } from "~/db.server";
import type { OrganizationKind, DisbursementTrigger } from "~/generated/prisma/enums";
import { hasRole, isUuid, orgIdsWithRole, type Principal } from "~/access/permissions.server";
import { createCall, type NewCall } from "~/workflow/create.server";
import { allowedEvents, applyWorkflowEvent } from "~/workflow/engine.server";
import { WorkflowRefused } from "~/workflow/errors";
import { formatKronor, oreToKronorInput } from "~/lib/money";
import { formatDateTime, plainDateToUtcMidnight, stockholmDateTimeToUtc, toPlainDate, utcMidnightToPlainDate } from "~/lib/dates";
import { ORGANIZATION_KIND_LABELS, stateLabel } from "~/lib/state-labels";
import { APPLICANT_KINDS, CRITERIA_ROWS, INDICATOR_ROWS, TERM_ROWS, TRIGGERS } from "~/finance/call-form";
import { checkbox, date, failure, kronor, parseWith, text, timeOfDay, wholeNumber, type FormFailure } from "~/finance/form-fields";
import { ALLOCATION_STATES } from "~/assignments/admin.server";
import { callStateNext, closedEarlyAt, closingDayNote } from "./calls.server";

/** Officers and admins of a board may start calls there (ADR 0006); editing and publishing is the officers' (the call statechart). */
export function mayCreateCalls(user: Principal): boolean {
  return orgIdsWithRole(user, ["officer", "admin"]).length > 0;
}

/** Allocations the user may start a call under: their boards', under assignments that are not yet reporting. */
export async function allocationOptions(db: Db, user: Principal) {
  const boards = orgIdsWithRole(user, ["officer", "admin"]);
  const rows = await db.allocation.findMany({
    where: { boardId: { in: boards }, assignment: { state: { in: ALLOCATION_STATES } } },
    include: { assignment: { select: { title: true, reference: true } }, board: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }],
  });
  return rows.map((a) => ({ value: a.id, label: `${a.assignment.title} (${a.assignment.reference}), ${a.board.name}: kvar att utlysa ${formatKronor(a.amountOre - a.committedOre)}` }));
}

// ---------------------------------------------------------------------------
// The form

type Rows<T> = { ok: T[]; errors: Record<string, string> };

function rowIndexes(count: number) {
  return Array.from({ length: count }, (_, i) => i);
}

function parseCriteria(values: Record<string, string>): Rows<{ name: string; description: string; weight: number }> {
  const ok: { name: string; description: string; weight: number }[] = [];
  const errors: Record<string, string> = {};
  for (const i of rowIndexes(CRITERIA_ROWS)) {
    const name = (values[`criteria.${i}.name`] ?? "").trim();
    const description = (values[`criteria.${i}.description`] ?? "").trim();
    const weight = (values[`criteria.${i}.weight`] ?? "").trim();
    if (!name && !description && !weight) continue;
    if (!name) errors[`criteria.${i}.name`] = `Skriv namnet på kriterium ${i + 1}.`;
    if (!/^\d{1,3}$/.test(weight) || Number(weight) < 1 || Number(weight) > 100) errors[`criteria.${i}.weight`] = `Ange vikten för kriterium ${i + 1} som ett heltal 1–100.`;
    if (name.length > 300) errors[`criteria.${i}.name`] = "Namnet får vara högst 300 tecken.";
    if (!errors[`criteria.${i}.name`] && !errors[`criteria.${i}.weight`]) ok.push({ name, description: description.slice(0, 2000), weight: Number(weight) });
  }
  const sum = ok.reduce((s, c) => s + c.weight, 0);
  if (ok.length > 0 && Object.keys(errors).length === 0 && sum !== 100) errors["criteria.0.weight"] = `Kriteriernas vikter ska tillsammans bli 100. Nu blir de ${sum}.`;
  return { ok, errors };
}

function parseIndicators(values: Record<string, string>): Rows<{ name: string; unit: string }> {
  const ok: { name: string; unit: string }[] = [];
  const errors: Record<string, string> = {};
  for (const i of rowIndexes(INDICATOR_ROWS)) {
    const name = (values[`indicators.${i}.name`] ?? "").trim().slice(0, 300);
    const unit = (values[`indicators.${i}.unit`] ?? "").trim().slice(0, 50);
    if (!name && !unit) continue;
    if (!name) errors[`indicators.${i}.name`] = `Skriv vad indikator ${i + 1} mäter.`;
    else if (!unit) errors[`indicators.${i}.unit`] = `Ange enheten för indikator ${i + 1}, till exempel personer.`;
    else ok.push({ name, unit });
  }
  return { ok, errors };
}

function parseTerms(values: Record<string, string>, interimReportRequired: boolean): Rows<{ sharePercent: number; trigger: DisbursementTrigger }> {
  const ok: { sharePercent: number; trigger: DisbursementTrigger }[] = [];
  const errors: Record<string, string> = {};
  for (const i of rowIndexes(TERM_ROWS)) {
    const share = (values[`terms.${i}.share`] ?? "").trim();
    const trigger = (values[`terms.${i}.trigger`] ?? "").trim();
    if (!share && !trigger) continue;
    if (!/^\d{1,3}$/.test(share) || Number(share) < 1 || Number(share) > 100) errors[`terms.${i}.share`] = `Ange andelen för utbetalning ${i + 1} i procent, 1–100.`;
    if (!TRIGGERS.includes(trigger as DisbursementTrigger)) errors[`terms.${i}.trigger`] = `Välj när utbetalning ${i + 1} görs.`;
    else if (trigger === "after_interim_report" && !interimReportRequired) errors[`terms.${i}.trigger`] = "En utbetalning efter delredovisningen kräver att utlysningen har en delredovisning.";
    if (!errors[`terms.${i}.share`] && !errors[`terms.${i}.trigger`]) ok.push({ sharePercent: Number(share), trigger: trigger as DisbursementTrigger });
  }
  const sum = ok.reduce((s, t) => s + t.sharePercent, 0);
  if (Object.keys(errors).length === 0 && ok.length === 0) errors["terms.0.share"] = "Ange minst en utbetalning, till exempel 100 % vid projektstart.";
  else if (Object.keys(errors).length === 0 && sum !== 100) errors["terms.0.share"] = `Utbetalningarnas andelar ska tillsammans bli 100 %. Nu blir de ${sum} %.`;
  return { ok, errors };
}

const termsSchema = z.object({
  title: text("Skriv utlysningens rubrik.", 300),
  description: text("Beskriv utlysningen."),
  priorities: text(null),
  budget: kronor("Ange utlysningens budget.", { positive: "Budgeten måste vara större än 0 kr." }),
  opensOn: date("Ange dag då utlysningen öppnar."),
  opensTime: timeOfDay("Ange klockslag då utlysningen öppnar."),
  closesOn: date("Ange sista ansökningsdag."),
  closesTime: timeOfDay("Ange klockslag då utlysningen stänger."),
  maxAmount: kronor(null, { positive: "Högsta belopp måste vara större än 0 kr." }),
  maxProjectMonths: wholeNumber(null, 1, 120, "Ange längsta projekttid som 1–120 månader."),
  requiresMultipleCounties: checkbox,
  interimReportRequired: checkbox,
  interimReportDueOn: date(null),
  finalReportDueOn: date("Ange sista dag för slutredovisning."),
  paymentRequestRequired: checkbox,
  paymentRequestDays: wholeNumber(null, 1, 3650, "Ange antal dagar som 1–3650."),
  secondDecisionMakerAbove: kronor(null),
  appealNotice: text("Skriv texten om hur man överklagar (eller att beslutet inte kan överklagas)."),
});

export type ParsedCall = Omit<NewCall, "budgetOre" | "opensAt" | "closesAt"> & { budgetOre: bigint; opensAt: Date; closesAt: Date };

/** The whole call form → the call's terms, or every error at once. */
export function parseCallForm(values: Record<string, string>): { ok: true; call: ParsedCall } | { ok: false; failure: FormFailure } {
  const parsed = parseWith(termsSchema, values, values);
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.failure.fieldErrors };
  const kinds = APPLICANT_KINDS.filter((k) => values[`kind.${k}`] === "on");
  if (kinds.length === 0) errors["kind.municipality"] = "Välj minst en typ av organisation som får söka.";
  const cofunding: Partial<Record<OrganizationKind, number>> = {};
  for (const k of kinds) {
    const raw = (values[`cofunding.${k}`] ?? "").trim();
    if (raw === "") continue;
    if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) errors[`cofunding.${k}`] = `Ange största andel för ${ORGANIZATION_KIND_LABELS[k]?.toLowerCase() ?? k} som 1–100 %.`;
    else cofunding[k] = Number(raw);
  }
  const interim = values.interimReportRequired === "on";
  const criteria = parseCriteria(values);
  const indicators = parseIndicators(values);
  const terms = parseTerms(values, interim);
  Object.assign(errors, criteria.errors, indicators.errors, terms.errors);
  // Checks between fields run on whatever parsed, so the user sees every problem at once.
  const one = <K extends keyof typeof termsSchema.shape>(name: K) => {
    const r = termsSchema.shape[name].safeParse(values[name]);
    return r.success ? (r.data as z.output<(typeof termsSchema.shape)[K]>) : null;
  };
  const [opensOn, opensTime, closesOn, closesTime] = [one("opensOn"), one("opensTime"), one("closesOn"), one("closesTime")];
  const opensAt = opensOn && opensTime ? stockholmDateTimeToUtc(opensOn, opensTime) : null;
  const closesAt = closesOn && closesTime ? stockholmDateTimeToUtc(closesOn, closesTime) : null;
  const interimDue = one("interimReportDueOn");
  const finalDue = one("finalReportDueOn");
  const budget = one("budget");
  const maxAmount = one("maxAmount");
  if (opensAt && closesAt && opensAt >= closesAt) errors.closesOn ??= "Utlysningen måste stänga efter att den öppnar.";
  if (interim && !interimDue) errors.interimReportDueOn ??= "Ange sista dag för delredovisning.";
  if (interim && interimDue && finalDue && interimDue > finalDue) errors.interimReportDueOn ??= "Delredovisningen ska lämnas före slutredovisningen.";
  if (closesAt && finalDue && finalDue < toPlainDate(closesAt)) errors.finalReportDueOn ??= "Slutredovisningen kan inte ligga före sista ansökningsdag.";
  if (values.paymentRequestRequired === "on" && (values.paymentRequestDays ?? "").trim() === "") errors.paymentRequestDays ??= "Ange inom hur många dagar pengarna ska rekvireras.";
  if (maxAmount && budget && maxAmount > budget) errors.maxAmount ??= "Högsta belopp per ansökan kan inte vara större än budgeten.";
  if (!parsed.ok || Object.keys(errors).length > 0 || !opensAt || !closesAt) return { ok: false, failure: failure(values, errors, parsed.ok ? undefined : parsed.failure.formError) };
  const v = parsed.data;

  return {
    ok: true,
    call: {
      title: v.title,
      description: v.description,
      priorities: v.priorities,
      budgetOre: v.budget!,
      opensAt,
      closesAt,
      eligibleKinds: kinds,
      cofundingRules: cofunding,
      maxAmountOre: v.maxAmount,
      maxProjectMonths: v.maxProjectMonths,
      requiresMultipleCounties: v.requiresMultipleCounties,
      interimReportRequired: interim,
      interimReportDueOn: interim && v.interimReportDueOn ? plainDateToUtcMidnight(v.interimReportDueOn) : null,
      finalReportDueOn: plainDateToUtcMidnight(v.finalReportDueOn!),
      paymentTerms: { instalments: terms.ok },
      paymentRequestRequired: v.paymentRequestRequired,
      paymentRequestDays: v.paymentRequestRequired ? v.paymentRequestDays : null,
      secondDecisionMakerAboveOre: v.secondDecisionMakerAbove,
      appealNotice: v.appealNotice,
      criteria: criteria.ok,
      indicators: indicators.ok,
    },
  };
}

/** Where a budget refusal belongs on the form. */
function refusal(values: Record<string, string>, error: WorkflowRefused): FormFailure {
  if (error.rule === "callBudgetsWithinAllocation" || error.rule === "budgetIsPositive") return failure(values, { budget: error.userMessage });
  if (error.rule === "opensBeforeCloses" || error.rule === "publishedBeforeCloses") return failure(values, { closesOn: error.userMessage });
  return failure(values, {}, error.userMessage);
}

export type CallFormResult = { ok: true; id: string } | { ok: false; status: number; failure: FormFailure };

export async function createCallFromForm(db: Db, user: Principal, values: Record<string, string>, now = new Date()): Promise<CallFormResult> {
  const parsed = parseCallForm(values);
  const allocationId = (values.allocationId ?? "").trim();
  const options = await allocationOptions(db, user);
  const allocationOk = isUuid(allocationId) && options.some((o) => o.value === allocationId);
  if (!parsed.ok) {
    if (!allocationOk) parsed.failure.fieldErrors = { allocationId: "Välj vilken tilldelning utlysningen ska finansieras av.", ...parsed.failure.fieldErrors };
    return { ok: false, status: 400, failure: parsed.failure };
  }
  if (!allocationOk) return { ok: false, status: 400, failure: failure(values, { allocationId: "Välj vilken tilldelning utlysningen ska finansieras av." }) };
  try {
    const row = await createCall(db, user, allocationId, parsed.call, now);
    return { ok: true, id: row.id };
  } catch (error) {
    if (error instanceof WorkflowRefused) return { ok: false, status: error.status, failure: refusal(values, error) };
    throw error;
  }
}

/** EDIT_TERMS through the call's statechart: budget and dates in the event, the other terms as details written by its effect. */
export async function editCallFromForm(db: Db, user: Principal, callId: string, values: Record<string, string>, now = new Date()): Promise<CallFormResult> {
  const parsed = parseCallForm(values);
  if (!parsed.ok) return { ok: false, status: 400, failure: parsed.failure };
  const version = Number(values.version);
  const { budgetOre, opensAt, closesAt, ...terms } = parsed.call;
  try {
    await applyWorkflowEvent(
      db,
      user,
      "call",
      callId,
      { type: "EDIT_TERMS", budgetOre: Number(budgetOre), opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() },
      { expectedVersion: Number.isSafeInteger(version) ? version : -1, details: { callTerms: terms }, now },
    );
    return { ok: true, id: callId };
  } catch (error) {
    if (error instanceof WorkflowRefused) return { ok: false, status: error.status, failure: refusal(values, error) };
    throw error;
  }
}

export type CallStateEvent = "PUBLISH" | "CLOSE";

export async function sendCallEvent(db: Db, user: Principal, callId: string, type: CallStateEvent, version: number, now = new Date()): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
  try {
    await applyWorkflowEvent(db, user, "call", callId, { type }, { expectedVersion: version, now });
    return { ok: true };
  } catch (error) {
    if (error instanceof WorkflowRefused) return { ok: false, status: error.status, message: error.userMessage };
    throw error;
  }
}

// ---------------------------------------------------------------------------
// The edit page

function timeOf(d: Date): string {
  return formatDateTime(d).slice(11, 16);
}

/** The stored call as the form's text values. */
export function callFormValues(c: {
  title: string;
  description: string;
  priorities: string;
  budgetOre: bigint;
  opensAt: Date;
  closesAt: Date;
  eligibleKinds: OrganizationKind[];
  cofundingRules: unknown;
  maxAmountOre: bigint | null;
  maxProjectMonths: number | null;
  requiresMultipleCounties: boolean;
  interimReportRequired: boolean;
  interimReportDueOn: Date | null;
  finalReportDueOn: Date;
  paymentTerms: unknown;
  paymentRequestRequired: boolean;
  paymentRequestDays: number | null;
  secondDecisionMakerAboveOre: bigint | null;
  appealNotice: string;
  criteria: { name: string; description: string; weight: number }[];
  indicators: { name: string; unit: string }[];
}): Record<string, string> {
  const v: Record<string, string> = {
    title: c.title,
    description: c.description,
    priorities: c.priorities,
    budget: oreToKronorInput(c.budgetOre),
    opensOn: toPlainDate(c.opensAt),
    opensTime: timeOf(c.opensAt),
    closesOn: toPlainDate(c.closesAt),
    closesTime: timeOf(c.closesAt),
    maxAmount: c.maxAmountOre === null ? "" : oreToKronorInput(c.maxAmountOre),
    maxProjectMonths: c.maxProjectMonths === null ? "" : String(c.maxProjectMonths),
    interimReportDueOn: c.interimReportDueOn ? utcMidnightToPlainDate(c.interimReportDueOn) : "",
    finalReportDueOn: utcMidnightToPlainDate(c.finalReportDueOn),
    paymentRequestDays: c.paymentRequestDays === null ? "" : String(c.paymentRequestDays),
    secondDecisionMakerAbove: c.secondDecisionMakerAboveOre === null ? "" : oreToKronorInput(c.secondDecisionMakerAboveOre),
    appealNotice: c.appealNotice,
  };
  if (c.requiresMultipleCounties) v.requiresMultipleCounties = "on";
  if (c.interimReportRequired) v.interimReportRequired = "on";
  if (c.paymentRequestRequired) v.paymentRequestRequired = "on";
  for (const k of c.eligibleKinds) v[`kind.${k}`] = "on";
  for (const [k, p] of Object.entries((c.cofundingRules ?? {}) as Record<string, number>)) v[`cofunding.${k}`] = String(p);
  c.criteria.forEach((x, i) => Object.assign(v, { [`criteria.${i}.name`]: x.name, [`criteria.${i}.description`]: x.description, [`criteria.${i}.weight`]: String(x.weight) }));
  c.indicators.forEach((x, i) => Object.assign(v, { [`indicators.${i}.name`]: x.name, [`indicators.${i}.unit`]: x.unit }));
  const instalments = ((c.paymentTerms ?? {}) as { instalments?: { sharePercent: number; trigger: string }[] }).instalments ?? [];
  instalments.forEach((t, i) => Object.assign(v, { [`terms.${i}.share`]: String(t.sharePercent), [`terms.${i}.trigger`]: t.trigger }));
  return v;
}

/** Defaults for a new call: what most calls have. */
export function newCallDefaults(): Record<string, string> {
  return { opensTime: "08:00", closesTime: "23:59", "terms.0.share": "100", "terms.0.trigger": "at_start" };
}

/** The edit page. `callId` must come from `requireCall`. */
export async function loadCallEdit(db: Db, user: Principal, callId: string) {
  const c = await db.call.findUniqueOrThrow({
    where: { id: callId },
    include: {
      criteria: { orderBy: { position: "asc" } },
      indicators: { orderBy: { position: "asc" } },
      allocation: { select: { amountOre: true, committedOre: true, assignment: { select: { title: true, reference: true } } } },
      board: { select: { name: true } },
    },
  });
  const events = await allowedEvents(db, user, "call", callId);
  const earlyAt = closedEarlyAt(c);
  return {
    id: c.id,
    title: c.title,
    board: c.board.name,
    version: c.version,
    state: c.state,
    stateLabel: stateLabel("call", c.state),
    stateNext: callStateNext(c.state, earlyAt),
    closedEarlyAt: earlyAt ? formatDateTime(earlyAt) : null,
    // Only while the day can still be changed or the call is open.
    closingDayNote: c.state === "draft" || c.state === "published" ? closingDayNote(c.closesAt) : null,
    assignment: `${c.allocation.assignment.title} (${c.allocation.assignment.reference})`,
    // What the budget may grow to: what is left of the allocation plus this call's own budget.
    allocationLeft: formatKronor(c.allocation.amountOre - c.allocation.committedOre),
    budget: formatKronor(c.budgetOre),
    opensAt: formatDateTime(c.opensAt),
    closesAt: formatDateTime(c.closesAt),
    mayEdit: events.includes("EDIT_TERMS"),
    mayPublish: events.includes("PUBLISH"),
    mayClose: events.includes("CLOSE"),
    isStaffOfBoard: hasRole(user, "officer", c.boardId) || hasRole(user, "admin", c.boardId),
    values: callFormValues(c),
  };
}

