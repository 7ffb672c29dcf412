// The call form's shape, shared by the page (which renders it) and
// app/calls/admin.server.ts (which parses exactly these names).
import type { DisbursementTrigger, OrganizationKind } from "~/generated/prisma/enums";
import { ORGANIZATION_KIND_LABELS, TRIGGER_LABELS } from "~/lib/state-labels";

/** Kinds of organization a call can be open to (county boards do not apply to each other). */
export const APPLICANT_KINDS: OrganizationKind[] = ["municipality", "region", "municipal_federation", "nonprofit_association", "foundation", "government_agency", "other"];
export const TRIGGERS: DisbursementTrigger[] = ["at_start", "after_interim_report", "after_final_report"];

/** Rows the form offers for criteria, indicators and instalments (blank rows are ignored). */
export const CRITERIA_ROWS = 6;
export const INDICATOR_ROWS = 5;
export const TERM_ROWS = 4;

export const kindOptions = APPLICANT_KINDS.map((k) => ({ value: k, label: ORGANIZATION_KIND_LABELS[k] ?? k }));
export const triggerOptions = TRIGGERS.map((t) => ({ value: t, label: TRIGGER_LABELS[t] ?? t }));
