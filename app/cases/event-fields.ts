// The fields of each event form on the case page. Shared by the page (which
// renders them) and app/cases/case-actions.server.ts (whose zod schema per
// event reads exactly these names). Rules stay in the statecharts: these only
// describe what a person types.
import { OUTCOME_LABELS, RECLAIM_GROUND_LABELS } from "~/lib/state-labels";
import { REJECTION_CATEGORY_LABELS } from "~/decisions/labels";
import { ACCOUNT_KIND_OPTIONS } from "~/finance/mark-paid";

export type CaseEventKind = "application" | "disbursement";

export type FieldSpec = {
  name: string;
  label: string;
  type: "text" | "textarea" | "kronor" | "date" | "radio" | "select" | "hidden";
  required?: boolean;
  hint?: string;
  options?: { value: string; label: string }[];
};

const outcomeOptions = Object.entries(OUTCOME_LABELS).map(([value, label]) => ({ value, label }));
const groundOptions = Object.entries(RECLAIM_GROUND_LABELS).map(([value, label]) => ({ value, label }));
const rejectionCategoryOptions = Object.entries(REJECTION_CATEGORY_LABELS).map(([value, label]) => ({ value, label }));

/** Why less than the requested amount was granted; required on the decision screen (/beslut/:id). */
export const rejectionCategoryField = (required: boolean): FieldSpec => ({
  name: "rejectionCategory",
  label: "Skäl till avslag eller delvis bifall",
  type: "select",
  required,
  options: rejectionCategoryOptions,
  hint: "Krävs vid avslag och delvis bifall. Används i redovisningen till regeringen.",
});

const reasons = (label = "Motivering", required = true): FieldSpec => ({ name: "reasons", label, type: "textarea", required });
const decisionFields: FieldSpec[] = [
  { name: "outcome", label: "Beslut", type: "radio", required: true, options: outcomeOptions },
  { name: "granted", label: "Beviljat belopp (kronor)", type: "kronor", hint: "Lämna tomt eller skriv 0 vid avslag. Bifall avser hela det sökta beloppet." },
  reasons("Motivering (skäl för beslutet)"),
  { name: "conditions", label: "Villkor för bidraget", type: "textarea", hint: "Skrivs in i beslutet." },
  rejectionCategoryField(true),
];

export const EVENT_FIELDS: Record<CaseEventKind, Record<string, FieldSpec[]>> = {
  application: {
    SUBMIT: [{ name: "requested", label: "Sökt belopp (kronor)", type: "kronor", required: true }],
    START_ASSESSMENT: [],
    REQUEST_COMPLETION: [
      { name: "message", label: "Vad ska kompletteras?", type: "textarea", required: true },
      { name: "deadline", label: "Sista dag för komplettering", type: "date", required: true, hint: "Till exempel 2026-03-31." },
    ],
    COMPLETE: [
      { name: "message", label: "Meddelande till handläggaren", type: "textarea" },
      { name: "requested", label: "Nytt sökt belopp (kronor)", type: "kronor", hint: "Fyll bara i om det sökta beloppet ändras." },
    ],
    RESUME_ASSESSMENT: [],
    PRESENT: [
      { name: "recommendation", label: "Förslag till beslut", type: "radio", required: true, options: outcomeOptions },
      { name: "proposedGrant", label: "Föreslaget belopp (kronor)", type: "kronor", hint: "Vid delvis bifall: ett lägre belopp än det sökta. Lämna tomt vid bifall (hela det sökta beloppet) och vid avslag." },
      { name: "summary", label: "Sammanfattning av bedömningen", type: "textarea", required: true },
    ],
    RETURN_TO_ASSESSMENT: [reasons("Skäl för återförvisning")],
    DECIDE: decisionFields,
    CONFIRM_DECISION: [],
    RETURN_DECISION: [reasons("Skäl för att inte bekräfta beslutet")],
    CORRECT_DECISION: decisionFields,
    RECONSIDER_DECISION: decisionFields,
    DECLARE_CONFLICT_OF_INTEREST: [{ name: "reason", label: "Skäl för jäv", type: "textarea", required: true, hint: "Du kan inte längre delta i ärendet när du har anmält jäv." }],
    WITHDRAW: [reasons("Skäl (frivilligt)", false)],
    SUBMIT_REPORT: [
      { name: "reportKind", label: "Redovisning", type: "hidden", required: true },
      { name: "used", label: "Använt belopp (kronor)", type: "kronor", required: true },
      { name: "unused", label: "Outnyttjat belopp (kronor)", type: "kronor", required: true, hint: "Skriv 0 om allt har använts." },
      { name: "activitySummary", label: "Vad har gjorts och vad har det lett till?", type: "textarea", required: true },
    ],
    REQUEST_REPORT_COMPLETION: [
      { name: "reportKind", label: "Redovisning", type: "hidden", required: true },
      { name: "message", label: "Vad ska kompletteras?", type: "textarea", required: true },
    ],
    // The unused amount is the one the recipient reported (shown beside the button), not typed here.
    APPROVE_REPORT: [{ name: "reportKind", label: "Redovisning", type: "hidden", required: true }],
    PROPOSE_RECLAIM: [
      { name: "ground", label: "Grund för återkrav", type: "select", required: true, options: groundOptions },
      { name: "amount", label: "Belopp att återkräva (kronor)", type: "kronor", required: true },
      reasons("Motivering"),
    ],
    DECIDE_RECLAIM: [
      { name: "amount", label: "Belopp att återbetala (kronor)", type: "kronor", required: true },
      { name: "dueDate", label: "Förfallodag", type: "date", required: true },
      reasons("Motivering"),
    ],
    REJECT_RECLAIM: [reasons("Skäl för att avslå förslaget")],
    WAIVE: [
      { name: "waived", label: "Belopp att efterge (kronor)", type: "kronor", required: true },
      reasons("Skäl för eftergift"),
    ],
    MARK_REPAID: [
      { name: "amount", label: "Återbetalt belopp (kronor)", type: "kronor", required: true },
      { name: "paidOn", label: "Betalningsdag", type: "date", required: true },
      { name: "paymentReference", label: "Betalningsreferens", type: "text", required: true },
    ],
    CLOSE_CASE: [],
  },
  disbursement: {
    REQUEST_PAYMENT: [{ name: "bankAccount", label: "Bankgiro, plusgiro eller kontonummer", type: "text", required: true }],
    ATTEST: [],
    // Parsed by app/finance/mark-paid.ts, the same parser as /ekonomi's.
    MARK_PAID: [
      { name: "paymentReference", label: "Betalningsreferens", type: "text", required: true },
      { name: "paidOn", label: "Utbetalningsdag", type: "date", required: true },
      { name: "accountKind", label: "Betalas till", type: "select", required: true, options: ACCOUNT_KIND_OPTIONS },
      { name: "accountNumber", label: "Bankgiro-, plusgiro- eller kontonummer", type: "text", required: true },
    ],
    // LAPSE is sent by a background job when the time to request has passed, never from a form.
    CANCEL: [reasons("Skäl för att stoppa utbetalningen")],
  },
};

/** One form on the page: an event a user may send now on one case. */
export type EventFormSpec = {
  kind: CaseEventKind;
  caseId: string;
  version: number;
  type: string;
  label: string;
  /** Values to start from (amounts as kronor text, dates as YYYY-MM-DD). */
  defaults: Record<string, string>;
  /** Fields that depend on the case (the call's criteria to score when presenting), after the event's own. */
  extraFields?: FieldSpec[];
};

/** The id of a form and the key that ties an action's answer to it. */
export function formKeyOf(spec: { kind: CaseEventKind; caseId: string; type: string }): string {
  return `${spec.kind}-${spec.caseId}-${spec.type}`;
}
