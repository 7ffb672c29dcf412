// What the case page's forms send: parsed and checked here (one zod schema per
// event type, Swedish messages), turned into the statechart's event (amounts in
// öre as numbers, dates as ISO strings) plus the details the effects write, and
// applied with the workflow engine. The rules themselves stay in the statecharts:
// a refusal comes back with the machine's own Swedish message.
import { z } from "zod";
import type { Db } from "~/db.server";
import { requireDisbursementOf, notFound, type Principal } from "~/access/permissions.server";
import { applyWorkflowEvent, type EventBody } from "~/workflow/engine.server";
import type { EventDetails } from "~/workflow/effects.server";
import { WorkflowRefused } from "~/workflow/errors";
import { oreToKronorInput } from "~/lib/money";
import { formValues, kronor as sharedKronor, text } from "~/finance/form-fields";
import { parseDateInput, stockholmDateTimeToUtc, todayInStockholm } from "~/lib/dates";
import { EVENT_FIELDS, formKeyOf, type CaseEventKind } from "./event-fields";
import { workflows } from "../../workflows";
import { criteriaOf, parseScores, type Criterion } from "~/assessment/assessment.server";
import { REJECTION_CATEGORIES } from "~/decisions/labels";
import { parseMarkPaid, type MarkPaidFacts } from "~/finance/mark-paid";

export type CaseActionError = {
  formKey: string;
  /** What the user typed, to put back into the form. */
  values: Record<string, string>;
  fieldErrors: Record<string, string>;
  formError?: string;
};

export type CaseActionResult = { ok: true; kind: CaseEventKind; type: string } | { ok: false; status: number; data: CaseActionError };

type Parsed = { body: EventBody; details: EventDetails };
type ParseContext = { requestedOre: bigint; criteria?: Criterion[]; requireRejectionCategory?: boolean; payment?: MarkPaidFacts; now?: Date };

// ---------------------------------------------------------------------------
// Field parsers (Swedish messages)

/** Kronor as typed ("1 500 000", "1 500 000,50") → öre as a bigint, by the shared form parser. Empty gives undefined. */
function kronor(required: string | null) {
  return sharedKronor(required).transform((ore) => ore ?? undefined);
}

/** A calendar date typed or picked as YYYY-MM-DD. */
function date(required: string) {
  return z
    .string()
    .optional()
    .default("")
    .transform((value, ctx): string => {
      if (value.trim() === "") {
        ctx.addIssue({ code: "custom", message: required });
        return z.NEVER;
      }
      const r = parseDateInput(value);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: r.message });
        return z.NEVER;
      }
      return r.date;
    });
}

function choice<T extends string>(values: readonly [T, ...T[]], message: string) {
  return z.enum(values, { error: () => message });
}

const OUTCOMES = ["approved", "partly_approved", "rejected"] as const;
const REPORT_KINDS = ["interim", "final"] as const;
const GROUNDS = ["wrong_information", "paid_wrongly_or_too_much", "not_used_for_purpose", "conditions_not_followed", "no_report"] as const;

const n = (ore: bigint) => Number(ore);
/** The last moment of a day in Stockholm, so that "by 31 March" includes the whole of 31 March. */
const endOfDay = (day: string) => stockholmDateTimeToUtc(day, "23:59:59").toISOString();

// ---------------------------------------------------------------------------
// One schema per event type

function decisionSchema(type: "DECIDE" | "CORRECT_DECISION" | "RECONSIDER_DECISION", ctx: ParseContext) {
  return z
    .object({
      outcome: choice(OUTCOMES, "Välj bifall, delvis bifall eller avslag."),
      granted: kronor(null),
      reasons: text("Skriv en motivering till beslutet."),
      conditions: text(null),
      rejectionCategory: z.union([z.literal(""), z.enum(REJECTION_CATEGORIES)], { error: () => "Välj ett skäl i listan." }).optional().default(""),
    })
    .superRefine((v, issue) => {
      if (ctx.requireRejectionCategory && v.outcome !== "approved" && v.rejectionCategory === "") {
        issue.addIssue({ code: "custom", path: ["rejectionCategory"], message: "Välj skäl till avslaget eller det delvisa bifallet." });
      }
    })
    .transform((v): Parsed => {
      // An empty amount means 0 for a rejection and the whole requested amount for an approval.
      const granted = v.granted ?? (v.outcome === "approved" ? ctx.requestedOre : 0n);
      // A full approval has no rejection category (a CHECK constraint says so too).
      const category = v.outcome !== "approved" && v.rejectionCategory !== "" ? v.rejectionCategory : undefined;
      return {
        body: { type, outcome: v.outcome, grantedOre: n(granted), reasons: v.reasons },
        details: { ...(v.conditions ? { conditions: v.conditions } : {}), ...(category ? { rejectionCategory: category } : {}) },
      };
    });
}

function schemaFor(kind: CaseEventKind, type: string, ctx: ParseContext): z.ZodType<Parsed> | null {
  const none = z.object({}).transform((): Parsed => ({ body: { type }, details: {} }));
  if (kind === "disbursement") {
    switch (type) {
      case "REQUEST_PAYMENT":
        return z
          .object({ bankAccount: text("Ange bankgiro, plusgiro eller kontonummer.", 100) })
          .transform((v): Parsed => ({ body: { type }, details: { bankAccount: v.bankAccount } }));
      case "ATTEST":
        return none;
      case "CANCEL":
        return z.object({ reasons: text("Skriv varför utbetalningen stoppas.") }).transform((v): Parsed => ({ body: { type, reasons: v.reasons }, details: {} }));
      default:
        return null;
    }
  }
  switch (type) {
    case "SUBMIT":
      return z.object({ requested: kronor("Ange sökt belopp.") }).transform((v): Parsed => ({ body: { type, requestedOre: n(v.requested ?? 0n) }, details: {} }));
    case "START_ASSESSMENT":
    case "RESUME_ASSESSMENT":
    case "CONFIRM_DECISION":
    case "CLOSE_CASE":
      return none;
    case "REQUEST_COMPLETION":
      return z
        .object({ message: text("Skriv vad som ska kompletteras."), deadline: date("Ange sista dag för komplettering.") })
        .transform((v): Parsed => ({ body: { type, message: v.message, deadline: endOfDay(v.deadline) }, details: {} }));
    case "COMPLETE":
      return z.object({ message: text(null), requested: kronor(null) }).transform((v): Parsed => ({
        body: { type, ...(v.message ? { message: v.message } : {}), ...(v.requested !== undefined ? { requestedOre: n(v.requested) } : {}) },
        details: {},
      }));
    case "PRESENT":
      return z
        .object({
          recommendation: choice(OUTCOMES, "Välj förslag till beslut: bifall, delvis bifall eller avslag."),
          proposedGrant: kronor(null),
          summary: text("Skriv en sammanfattning av bedömningen."),
        })
        .transform((v): Parsed => {
          const proposed = v.proposedGrant ?? (v.recommendation === "approved" ? ctx.requestedOre : v.recommendation === "rejected" ? 0n : undefined);
          return { body: { type, recommendation: v.recommendation, ...(proposed !== undefined ? { proposedGrantOre: n(proposed) } : {}) }, details: { summary: v.summary } };
        });
    case "RETURN_TO_ASSESSMENT":
    case "RETURN_DECISION":
    case "REJECT_RECLAIM":
      return z.object({ reasons: text("Skriv skälen.") }).transform((v): Parsed => ({ body: { type, reasons: v.reasons }, details: {} }));
    case "DECIDE":
    case "CORRECT_DECISION":
    case "RECONSIDER_DECISION":
      return decisionSchema(type, ctx);
    case "DECLARE_CONFLICT_OF_INTEREST":
      return z.object({ reason: text("Skriv skälet till jävet.", 2000) }).transform((v): Parsed => ({ body: { type }, details: { conflictReason: v.reason } }));
    case "WITHDRAW":
      return z.object({ reasons: text(null) }).transform((v): Parsed => ({ body: { type, ...(v.reasons ? { reasons: v.reasons } : {}) }, details: {} }));
    case "SUBMIT_REPORT":
      return z
        .object({
          reportKind: choice(REPORT_KINDS, "Okänd typ av redovisning."),
          used: kronor("Ange använt belopp."),
          unused: kronor("Ange outnyttjat belopp (0 om allt har använts)."),
          activitySummary: text("Beskriv vad som har gjorts."),
        })
        .transform((v): Parsed => ({
          body: { type, kind: v.reportKind, unusedOre: n(v.unused ?? 0n) },
          details: { usedOre: v.used ?? 0n, activitySummary: v.activitySummary },
        }));
    case "REQUEST_REPORT_COMPLETION":
      return z
        .object({ reportKind: choice(REPORT_KINDS, "Okänd typ av redovisning."), message: text("Skriv vad som ska kompletteras.") })
        .transform((v): Parsed => ({ body: { type, kind: v.reportKind, message: v.message }, details: {} }));
    case "APPROVE_REPORT":
      // No amount: the statechart approves the unused amount the recipient reported.
      return z.object({ reportKind: choice(REPORT_KINDS, "Okänd typ av redovisning.") }).transform((v): Parsed => ({ body: { type, kind: v.reportKind }, details: {} }));
    case "PROPOSE_RECLAIM":
      return z
        .object({ ground: choice(GROUNDS, "Välj grund för återkravet."), amount: kronor("Ange belopp att återkräva."), reasons: text("Skriv en motivering.") })
        .transform((v): Parsed => ({ body: { type, ground: v.ground, amountOre: n(v.amount ?? 0n), reasons: v.reasons }, details: {} }));
    case "DECIDE_RECLAIM":
      return z
        .object({ amount: kronor("Ange belopp att återbetala."), dueDate: date("Ange förfallodag."), reasons: text("Skriv en motivering.") })
        .transform((v): Parsed => ({ body: { type, amountOre: n(v.amount ?? 0n), dueDate: endOfDay(v.dueDate), reasons: v.reasons }, details: {} }));
    case "WAIVE":
      return z
        .object({ waived: kronor("Ange belopp att efterge."), reasons: text("Skriv skälen för eftergiften.") })
        .transform((v): Parsed => ({ body: { type, waivedOre: n(v.waived ?? 0n), reasons: v.reasons }, details: {} }));
    case "MARK_REPAID":
      return z
        .object({
          amount: kronor("Ange återbetalt belopp."),
          // Money is registered once it has come in: not on a day that has not come (Stockholm days).
          paidOn: date("Ange betalningsdag.").refine((day) => day <= todayInStockholm(ctx.now), "Betalningsdagen kan inte ligga i framtiden."),
          paymentReference: text("Ange betalningsreferens.", 200),
        })
        .transform((v): Parsed => ({ body: { type, amountOre: n(v.amount ?? 0n), paidOn: v.paidOn, paymentReference: v.paymentReference }, details: {} }));
    default:
      return null;
  }
}

/** Parses one event form's fields. Unknown fields are dropped: only what the schema names reaches the statechart. */
export function parseEventForm(kind: CaseEventKind, type: string, values: Record<string, string>, ctx: ParseContext): { ok: true; parsed: Parsed } | { ok: false; fieldErrors: Record<string, string> } {
  if (kind === "disbursement" && type === "MARK_PAID") {
    // The same parser as /ekonomi: the account paid to is checked here too.
    const r = parseMarkPaid(values, ctx.payment ?? { attestedAt: null, now: new Date() });
    return r.ok ? { ok: true, parsed: { body: { type, paymentReference: r.data.paymentReference, paidOn: r.data.paidOn }, details: { bankAccount: r.data.bankAccount } } } : r;
  }
  const schema = schemaFor(kind, type, ctx);
  if (schema === null) return { ok: false, fieldErrors: { _form: "Åtgärden finns inte för den här typen av ärende." } };
  const result = schema.safeParse(values);
  const fieldErrors: Record<string, string> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? "_form");
      fieldErrors[field] ??= issue.message;
    }
  }
  // Presenting scores the case against every criterion of the call.
  let scores: { criterionId: string; score: number; comment?: string }[] | undefined;
  if (kind === "application" && type === "PRESENT" && ctx.criteria?.length) {
    const parsedScores = parseScores(values, ctx.criteria);
    if (parsedScores.ok) scores = parsedScores.scores;
    else Object.assign(fieldErrors, parsedScores.fieldErrors);
  }
  if (!result.success || Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  const parsed = result.data;
  return { ok: true, parsed: scores ? { ...parsed, details: { ...parsed.details, scores } } : parsed };
}

/** Event types a person may send from a form (background jobs' events are never accepted from a browser). */
export function isFormEvent(kind: CaseEventKind, type: string): boolean {
  const system = workflows[kind].systemEventTypes as readonly string[];
  return Object.hasOwn(EVENT_FIELDS[kind], type) && !system.includes(type);
}

// ---------------------------------------------------------------------------
// The action

const envelopeSchema = z.object({
  intent: z.literal("event"),
  kind: z.enum(["application", "disbursement"]),
  caseId: z.string().min(1),
  eventType: z.string().regex(/^[A-Z_]{1,40}$/),
  version: z.coerce.number().int().min(0).max(2_147_483_647),
});

/**
 * Handles a POST from the case page for an application the user may read
 * (the route has already called `requireApplication`). A disbursement must
 * belong to this application's grant, else 404.
 */
export async function handleCaseAction(
  db: Db,
  user: Principal,
  application: { id: string; requestedOre: bigint; callId: string },
  form: FormData,
  opts: { requireRejectionCategory?: boolean } = {},
): Promise<CaseActionResult> {
  const values = formValues(form);
  const envelope = envelopeSchema.safeParse(values);
  if (!envelope.success) {
    throw new Response("Begäran är ofullständig. Ladda om sidan och försök igen.", { status: 400 });
  }
  const { kind, caseId, eventType, version } = envelope.data;
  if (kind === "application" && caseId !== application.id) throw notFound();
  if (kind === "disbursement") await requireDisbursementOf(db, application.id, caseId);

  const formKey = formKeyOf({ kind, caseId, type: eventType });
  const fail = (status: number, fieldErrors: Record<string, string>, formError?: string): CaseActionResult => ({
    ok: false,
    status,
    data: { formKey, values: echo(values), fieldErrors, ...(formError ? { formError } : {}) },
  });

  if (!isFormEvent(kind, eventType)) return fail(400, {}, "Åtgärden finns inte för den här typen av ärende.");
  const criteria = kind === "application" && eventType === "PRESENT" ? await criteriaOf(db, application.callId) : undefined;
  const payment = kind === "disbursement" && eventType === "MARK_PAID" ? { attestedAt: (await db.disbursement.findUniqueOrThrow({ where: { id: caseId }, select: { attestedAt: true } })).attestedAt, now: new Date() } : undefined;
  const parsed = parseEventForm(kind, eventType, values, { requestedOre: application.requestedOre, criteria, requireRejectionCategory: opts.requireRejectionCategory, payment });
  if (!parsed.ok) {
    const { _form, ...fieldErrors } = parsed.fieldErrors;
    return fail(400, fieldErrors, _form);
  }

  try {
    await applyWorkflowEvent(db, user, kind, caseId, parsed.parsed.body, { expectedVersion: version, details: parsed.parsed.details });
  } catch (error) {
    if (error instanceof WorkflowRefused) return fail(error.status, {}, error.userMessage);
    throw error;
  }
  return { ok: true, kind, type: eventType };
}

/** The typed values to give back, without the form's own bookkeeping fields. */
function echo(values: Record<string, string>): Record<string, string> {
  const { intent: _i, kind: _k, caseId: _c, eventType: _e, version: _v, ...rest } = values;
  return rest;
}

/** Öre as the text a kronor field starts from. */
export function kronorDefault(ore: bigint | null | undefined): string {
  return ore === null || ore === undefined ? "" : oreToKronorInput(ore);
}
