// The application form's fields, as the page renders them and the server reads
// them back (app/applicant/applications.server.ts). No server imports: the
// page shares these names and types.

export type BudgetRowValues = { category: string; description: string; amount: string };

/** What the user typed, exactly as typed: put back into the form after any error. */
export type ApplicationFormValues = {
  title: string;
  description: string;
  aims: string;
  targetGroup: string;
  projectStart: string;
  projectEnd: string;
  countyCodes: string[];
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  signatoryName: string;
  signatoryTitle: string;
  requested: string;
  cofunding: string;
  otherPublicFunding: string;
  declaresNoTaxDebts: boolean;
  declaresNotInLiquidation: boolean;
  budget: BudgetRowValues[];
  completionResponse: string;
  organizationId: string;
};

export const EMPTY_VALUES: ApplicationFormValues = {
  title: "",
  description: "",
  aims: "",
  targetGroup: "",
  projectStart: "",
  projectEnd: "",
  countyCodes: [],
  contactName: "",
  contactEmail: "",
  contactPhone: "",
  signatoryName: "",
  signatoryTitle: "",
  requested: "",
  cofunding: "",
  otherPublicFunding: "",
  declaresNoTaxDebts: false,
  declaresNotInLiquidation: false,
  budget: [],
  completionResponse: "",
  organizationId: "",
};

/** Empty budget rows the form always offers (no JavaScript needed); "Lägg till rad" adds more. */
export const EMPTY_BUDGET_ROWS = 3;
export const MAX_BUDGET_ROWS = 40;

/** Buttons of the form: the `intent` each sends. */
export type ApplicationIntent = "save" | "submit" | "complete" | "addRow";

/** The id of a budget row's input (also the error summary's link target). */
export const budgetFieldId = (row: number, field: keyof BudgetRowValues) => `budget-${row}-${field}`;

/** The answer to a failed POST: what to show next to each field and at the top, and what was typed. */
export type ApplicationFormError = {
  values: ApplicationFormValues;
  /** Keyed by input id ("title", "budget-0-amount", "countyCodes", "budgetTotal", "attachments"). */
  fieldErrors: Record<string, string>;
  formError?: string;
  /** Extra rows asked for with "Lägg till rad". */
  rows?: number;
  /** The draft was saved even though it could not be submitted. */
  savedAsDraft?: boolean;
  /**
   * A new application whose first "Skicka in" saved a draft: the draft's id, for the form to
   * post again (the page's own token is new at every load and would start a second draft),
   * and the files the draft now has (which the form must show, and not send again).
   */
  draft?: { formToken: string; attachments: { id: string; fileName: string; size: string; removable: boolean }[] };
};

/** Label of each field, for the error summary's order and wording. */
export const FIELD_ORDER = [
  "organizationId",
  "title",
  "description",
  "aims",
  "targetGroup",
  "projectStart",
  "projectEnd",
  "countyCodes",
  "requested",
  "budgetTotal",
  "cofunding",
  "otherPublicFunding",
  "contactName",
  "contactEmail",
  "contactPhone",
  "signatoryName",
  "signatoryTitle",
  "declarations",
  "attachments",
  "completionResponse",
] as const;

/** Summary entries in the order the fields appear on the page (budget rows after the requested amount). */
export function orderedErrors(fieldErrors: Record<string, string>): { href: string; message: string }[] {
  const rank = (id: string) => {
    if (id.startsWith("budget-")) return FIELD_ORDER.indexOf("requested") + 0.5 + Number(id.split("-")[1]) / 1000;
    const i = (FIELD_ORDER as readonly string[]).indexOf(id);
    return i < 0 ? 999 : i;
  };
  return Object.entries(fieldErrors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([id, message]) => ({ href: `#${id}`, message }));
}
