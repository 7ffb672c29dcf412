// The applicant's application form: start a draft from a call, save it at any
// time, submit it through the workflow engine, and answer a completion request
// (komplettering) by editing the application and resubmitting.
//
// - Format errors (an amount or date that cannot be read) save nothing and give
//   back exactly what was typed, with a message next to each field.
// - "Skicka in" checks that the application is complete (every field the
//   board needs, budget lines that add up to the requested amount, both
//   declarations), then the call's own rules as the statechart states them
//   (eligible kind, co-funding share, maximum amount, length, counties), all
//   at once so the applicant sees every problem. The data and the SUBMIT event
//   are written in ONE transaction; if the rules refuse, the typed data is
//   still kept as the draft.
// - A replayed or double-clicked POST carries the version the user saw; the
//   second one finds the case already moved on and answers "already done".
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { applicantOrgIds, isUuid, notFound, requireApplication, type Principal } from "~/access/permissions.server";
import { actorFor, applyInTransaction } from "~/workflow/engine.server";
import { loadCase } from "~/workflow/cases.server";
import { createApplicationDraft, type NewApplication } from "~/workflow/create.server";
import { WorkflowConflict, WorkflowRefused } from "~/workflow/errors";
import { formatKronor, oreToKronorInput, parseKronor } from "~/lib/money";
import { formatDate, formatDateTime, parseDateInput, plainDateToUtcMidnight, utcMidnightToPlainDate } from "~/lib/dates";
import { ORGANIZATION_KIND_LABELS } from "~/lib/state-labels";
import { applicationRules, restore } from "../../workflows";
import { ACCEPT_ATTRIBUTE } from "~/storage/file-types";
import {
  EMPTY_BUDGET_ROWS,
  EMPTY_VALUES,
  MAX_BUDGET_ROWS,
  budgetFieldId,
  type ApplicationFormError,
  type ApplicationFormValues,
  type ApplicationIntent,
} from "./application-form";
import { assertUploadSize, checkFiles, discard, filesOf, formatBytes, recordUploads, storeFiles, type Upload } from "./attachments.server";
import { tooLong } from "~/finance/form-fields";

type Tx = Prisma.TransactionClient;

/** An amount anyone could mean in a grant application stays far below this (10 000 000 000 kr). */
const ABSURD_ORE = 1_000_000_000_000n;
const MAX_TEXT = 10_000;

/** The statechart's submission rules that a person can fix in the form, and the field each concerns. */
const SUBMISSION_RULE_FIELDS: Record<string, string> = {
  callIsOpen: "_form",
  beforeCallCloses: "_form",
  applicantKindEligible: "_form",
  requestedIsPositive: "requested",
  requestedWithinMaxAmount: "requested",
  projectWithinMaxLength: "projectEnd",
  coversSeveralCounties: "countyCodes",
  cofundingShareRespected: "cofunding",
};

// ---------------------------------------------------------------------------
// Reading the form

type ParsedApplication = {
  title: string;
  description: string;
  aims: string;
  targetGroup: string;
  projectStart: Date | null;
  projectEnd: Date | null;
  countyCodes: string[];
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  signatoryName: string;
  signatoryTitle: string;
  requestedOre: bigint | null;
  cofundingOre: bigint;
  otherPublicFunding: string;
  declaresNoTaxDebts: boolean;
  declaresNotInLiquidation: boolean;
  budget: { category: string; description: string; amountOre: bigint }[];
};

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, MAX_TEXT + 1) : "";
};
const strs = (form: FormData, name: string) => form.getAll(name).map((v) => (typeof v === "string" ? v.slice(0, 500) : ""));

export function valuesOf(form: FormData): ApplicationFormValues {
  const categories = strs(form, "budgetCategory");
  const descriptions = strs(form, "budgetDescription");
  const amounts = strs(form, "budgetAmount");
  const rows = Math.min(MAX_BUDGET_ROWS, Math.max(categories.length, descriptions.length, amounts.length));
  const budget = Array.from({ length: rows }, (_, i) => ({ category: categories[i] ?? "", description: descriptions[i] ?? "", amount: amounts[i] ?? "" }));
  return {
    title: str(form, "title"),
    description: str(form, "description"),
    aims: str(form, "aims"),
    targetGroup: str(form, "targetGroup"),
    projectStart: str(form, "projectStart"),
    projectEnd: str(form, "projectEnd"),
    countyCodes: [...new Set(strs(form, "countyCodes"))],
    contactName: str(form, "contactName"),
    contactEmail: str(form, "contactEmail"),
    contactPhone: str(form, "contactPhone"),
    signatoryName: str(form, "signatoryName"),
    signatoryTitle: str(form, "signatoryTitle"),
    requested: str(form, "requested"),
    cofunding: str(form, "cofunding"),
    otherPublicFunding: str(form, "otherPublicFunding"),
    declaresNoTaxDebts: form.get("declaresNoTaxDebts") === "on",
    declaresNotInLiquidation: form.get("declaresNotInLiquidation") === "on",
    budget,
    completionResponse: str(form, "completionResponse"),
    organizationId: str(form, "organizationId"),
  };
}

function amount(text: string, field: string, errors: Record<string, string>): bigint | null {
  if (text.trim() === "") return null;
  const r = parseKronor(text);
  if (!r.ok) {
    errors[field] = r.message;
    return null;
  }
  if (r.ore >= ABSURD_ORE) {
    errors[field] = "Beloppet är orimligt stort. Kontrollera att du inte har skrivit för många siffror.";
    return null;
  }
  return r.ore;
}

function date(text: string, field: string, errors: Record<string, string>): Date | null {
  if (text.trim() === "") return null;
  const r = parseDateInput(text);
  if (!r.ok) {
    errors[field] = r.message;
    return null;
  }
  return plainDateToUtcMidnight(r.date);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Format checks only: what could not be read. An incomplete draft is fine. */
export function parseValues(v: ApplicationFormValues, countyCodes: Set<string>): { parsed: ParsedApplication; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = (value: string, field: string, max = MAX_TEXT) => {
    const t = value.trim();
    if (t.length > max) errors[field] = tooLong(max);
    return t.slice(0, max);
  };
  const title = text(v.title, "title", 300);
  if (!title) errors.title = "Ge projektet en titel. Titeln behövs också för att spara ett utkast.";
  const contactEmail = text(v.contactEmail, "contactEmail", 254);
  if (contactEmail && !EMAIL.test(contactEmail)) errors.contactEmail = "Ange e-postadressen i rätt format, till exempel namn@kommun.se.";
  const projectStart = date(v.projectStart, "projectStart", errors);
  const projectEnd = date(v.projectEnd, "projectEnd", errors);
  if (projectStart && projectEnd && projectEnd < projectStart) errors.projectEnd = "Projektets slutdatum kan inte vara före startdatumet.";
  const unknownCounty = v.countyCodes.find((c) => !countyCodes.has(c));
  if (unknownCounty !== undefined) errors.countyCodes = "Välj län i listan.";

  const budget: ParsedApplication["budget"] = [];
  v.budget.forEach((row, i) => {
    if (!row.category.trim() && !row.description.trim() && !row.amount.trim()) return;
    if (!row.category.trim()) errors[budgetFieldId(i, "category")] = `Budgetrad ${i + 1}: ange kostnadsslag, till exempel Personal eller Lokaler.`;
    if (row.category.trim().length > 200) errors[budgetFieldId(i, "category")] = `Budgetrad ${i + 1}: kostnadsslaget får vara högst 200 tecken.`;
    const ore = amount(row.amount, budgetFieldId(i, "amount"), errors);
    if (ore === null && !errors[budgetFieldId(i, "amount")]) errors[budgetFieldId(i, "amount")] = `Budgetrad ${i + 1}: ange belopp i kronor.`;
    else if (errors[budgetFieldId(i, "amount")] && !errors[budgetFieldId(i, "amount")].startsWith("Budgetrad")) errors[budgetFieldId(i, "amount")] = `Budgetrad ${i + 1}: ${errors[budgetFieldId(i, "amount")]}`;
    budget.push({ category: row.category.trim().slice(0, 200), description: row.description.trim().slice(0, 500), amountOre: ore ?? 0n });
  });

  return {
    parsed: {
      title,
      description: text(v.description, "description"),
      aims: text(v.aims, "aims"),
      targetGroup: text(v.targetGroup, "targetGroup"),
      projectStart,
      projectEnd,
      countyCodes: v.countyCodes.filter((c) => countyCodes.has(c)).sort(),
      contactName: text(v.contactName, "contactName", 200),
      contactEmail,
      contactPhone: text(v.contactPhone, "contactPhone", 50),
      signatoryName: text(v.signatoryName, "signatoryName", 200),
      signatoryTitle: text(v.signatoryTitle, "signatoryTitle", 200),
      requestedOre: amount(v.requested, "requested", errors),
      cofundingOre: amount(v.cofunding, "cofunding", errors) ?? 0n,
      otherPublicFunding: text(v.otherPublicFunding, "otherPublicFunding", 2000),
      declaresNoTaxDebts: v.declaresNoTaxDebts,
      declaresNotInLiquidation: v.declaresNotInLiquidation,
      budget,
    },
    errors,
  };
}

/** What the board needs before it can register the application. */
export function completenessErrors(p: ParsedApplication, call: { budgetOre: bigint }, hasAttachments: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  const need = (value: string, field: string, message: string) => {
    if (!value) errors[field] = message;
  };
  need(p.description, "description", "Beskriv projektet.");
  need(p.aims, "aims", "Beskriv projektets mål.");
  need(p.targetGroup, "targetGroup", "Beskriv målgruppen.");
  if (!p.projectStart) errors.projectStart = "Ange när projektet börjar.";
  if (!p.projectEnd) errors.projectEnd = "Ange när projektet slutar.";
  if (p.countyCodes.length === 0) errors.countyCodes = "Välj minst ett län som projektet omfattar.";
  need(p.contactName, "contactName", "Ange kontaktperson.");
  need(p.contactEmail, "contactEmail", "Ange kontaktpersonens e-postadress.");
  need(p.signatoryName, "signatoryName", "Ange vem som är firmatecknare.");
  need(p.signatoryTitle, "signatoryTitle", "Ange firmatecknarens befattning.");
  if (p.requestedOre === null || p.requestedOre <= 0n) errors.requested = "Ange sökt belopp i kronor (mer än 0 kr).";
  else if (p.requestedOre > call.budgetOre) errors.requested = `Sökt belopp är större än utlysningens hela budget (${formatKronor(call.budgetOre)}).`;
  if (p.budget.length === 0) errors[budgetFieldId(0, "category")] = "Fyll i minst en budgetrad med kostnadsslag och belopp.";
  else if (p.requestedOre !== null && p.requestedOre > 0n) {
    const sum = p.budget.reduce((s, l) => s + l.amountOre, 0n);
    if (sum !== p.requestedOre) {
      errors.budgetTotal = `Budgetraderna summerar till ${formatKronor(sum)} men sökt belopp är ${formatKronor(p.requestedOre)}. Summan ska vara lika med det sökta beloppet.`;
    }
  }
  if (!p.declaresNoTaxDebts || !p.declaresNotInLiquidation) errors.declarations = "Bekräfta båda försäkringarna: inga skulder för skatter och avgifter, och att organisationen inte är i likvidation eller konkurs.";
  if (!hasAttachments) errors.attachments = "Bifoga minst en fil, till exempel projektplan eller budget (PDF, Word, Excel eller OpenDocument).";
  return errors;
}

// ---------------------------------------------------------------------------
// Loading the form

async function countyList(db: Db | Tx) {
  return db.county.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true } });
}

function callTerms(call: {
  id: string;
  title: string;
  closesAt: Date;
  budgetOre: bigint;
  maxAmountOre: bigint | null;
  maxProjectMonths: number | null;
  requiresMultipleCounties: boolean;
  eligibleKinds: string[];
  cofundingRules: unknown;
  board: { name: string };
}) {
  return {
    id: call.id,
    title: call.title,
    board: call.board.name,
    closesAt: formatDateTime(call.closesAt),
    budget: formatKronor(call.budgetOre),
    maxAmount: call.maxAmountOre === null ? null : formatKronor(call.maxAmountOre),
    maxProjectMonths: call.maxProjectMonths,
    requiresMultipleCounties: call.requiresMultipleCounties,
    eligible: call.eligibleKinds.map((k) => ORGANIZATION_KIND_LABELS[k] ?? k),
    cofunding: Object.entries((call.cofundingRules ?? {}) as Record<string, number>).map(([k, p]) => `${ORGANIZATION_KIND_LABELS[k] ?? k}: högst ${p} % av kostnaden`),
  };
}

const callSelect = {
  id: true,
  title: true,
  state: true,
  closesAt: true,
  budgetOre: true,
  maxAmountOre: true,
  maxProjectMonths: true,
  requiresMultipleCounties: true,
  eligibleKinds: true,
  cofundingRules: true,
  board: { select: { name: true } },
} as const;

function valuesFromApplication(a: Prisma.ApplicationGetPayload<{ include: { budgetLines: true } }>): ApplicationFormValues {
  const day = (d: Date | null) => (d ? formatDate(utcMidnightToPlainDate(d)) : "");
  return {
    ...EMPTY_VALUES,
    title: a.title,
    description: a.description,
    aims: a.aims,
    targetGroup: a.targetGroup,
    projectStart: day(a.projectStart),
    projectEnd: day(a.projectEnd),
    countyCodes: a.countyCodes,
    contactName: a.contactName,
    contactEmail: a.contactEmail,
    contactPhone: a.contactPhone,
    signatoryName: a.signatoryName,
    signatoryTitle: a.signatoryTitle,
    requested: a.requestedOre > 0n ? oreToKronorInput(a.requestedOre) : "",
    cofunding: a.cofundingOre > 0n ? oreToKronorInput(a.cofundingOre) : "",
    otherPublicFunding: a.otherPublicFunding,
    declaresNoTaxDebts: a.declaresNoTaxDebts,
    declaresNotInLiquidation: a.declaresNotInLiquidation,
    budget: a.budgetLines.map((l) => ({ category: l.category, description: l.description, amount: oreToKronorInput(l.amountOre) })),
    organizationId: a.applicantOrgId,
  };
}

export type ApplicationFormView = Awaited<ReturnType<typeof loadApplicationForm>>;

/**
 * The form for a new application to `callId`, or for the user's application `applicationId`
 * (a draft, or one whose completion has been requested). Anything else: 404.
 */
export async function loadApplicationForm(db: Db, user: Principal, target: { applicationId?: string; callId?: string }, now = new Date()) {
  const counties = await countyList(db);
  if (target.applicationId) {
    const found = await requireApplication(db, user, target.applicationId);
    if (!applicantOrgIds(user).includes(found.applicantOrgId)) throw notFound();
    const a = await db.application.findUniqueOrThrow({
      where: { id: found.id },
      include: { budgetLines: { orderBy: { position: "asc" } }, attachments: { where: { reportId: null }, orderBy: { createdAt: "asc" } }, call: { select: callSelect } },
    });
    const completion = a.state === "completionRequested" ? await db.completionRequest.findFirst({ where: { applicationId: a.id, completedAt: null }, orderBy: { requestedAt: "desc" } }) : null;
    return {
      mode: a.state === "completionRequested" ? ("completion" as const) : a.state === "draft" ? ("draft" as const) : ("locked" as const),
      applicationId: a.id,
      registrationNumber: a.registrationNumber,
      version: a.version,
      // When the draft was last saved: a save from a page older than that would overwrite a colleague's work.
      savedAt: a.updatedAt.toISOString(),
      state: a.state,
      formToken: a.id,
      call: callTerms(a.call),
      callOpen: a.call.state === "published" && now < a.call.closesAt,
      organizations: [] as { id: string; name: string; kind: string; eligible: boolean }[],
      values: valuesFromApplication(a),
      attachments: a.attachments.map((f) => ({ id: f.id, fileName: f.fileName, size: formatBytes(f.sizeBytes), removable: a.state === "draft" })),
      completion: completion ? { message: completion.message, dueOn: formatDate(utcMidnightToPlainDate(completion.dueOn)) } : null,
      counties,
      accept: ACCEPT_ATTRIBUTE,
    };
  }
  const call = isUuid(target.callId) ? await db.call.findFirst({ where: { id: target.callId, state: { not: "draft" } }, select: callSelect }) : null;
  if (!call) throw notFound();
  const orgIds = applicantOrgIds(user);
  const organizations = await db.organization.findMany({ where: { id: { in: orgIds } }, orderBy: { name: "asc" }, select: { id: true, name: true, kind: true } });
  return {
    mode: "new" as const,
    applicationId: null,
    registrationNumber: null,
    version: 0,
    savedAt: "",
    state: "draft",
    // The new draft's id: a replayed first POST finds the draft it already made.
    formToken: crypto.randomUUID(),
    call: callTerms(call),
    callOpen: call.state === "published" && now < call.closesAt,
    organizations: organizations.map((o) => ({ id: o.id, name: o.name, kind: ORGANIZATION_KIND_LABELS[o.kind] ?? o.kind, eligible: call.eligibleKinds.includes(o.kind) })),
    values: { ...EMPTY_VALUES, organizationId: organizations.length === 1 ? organizations[0].id : "" },
    attachments: [] as { id: string; fileName: string; size: string; removable: boolean }[],
    completion: null as { message: string; dueOn: string } | null,
    counties,
    accept: ACCEPT_ATTRIBUTE,
  };
}

// ---------------------------------------------------------------------------
// Saving and submitting

export type ApplicationFormResult = { ok: true; redirectTo: string } | { ok: false; status: number; data: ApplicationFormError };

/** The draft was saved by someone else (a colleague, another tab) after this form was opened. */
class DraftChanged extends Error {
  constructor() {
    super("draft saved since the form was opened");
  }
}

class RulesRefused extends Error {
  constructor(readonly fieldErrors: Record<string, string>, readonly formError: string | undefined) {
    super("submission rules refused");
  }
}

async function writeContent(tx: Tx, applicationId: string, p: ParsedApplication, uploads: Upload[], removeIds: string[], userId: string, now: Date) {
  await tx.application.update({
    where: { id: applicationId },
    data: {
      title: p.title,
      description: p.description,
      aims: p.aims,
      targetGroup: p.targetGroup,
      projectStart: p.projectStart,
      projectEnd: p.projectEnd,
      countyCodes: p.countyCodes,
      contactName: p.contactName,
      contactEmail: p.contactEmail,
      contactPhone: p.contactPhone,
      signatoryName: p.signatoryName,
      signatoryTitle: p.signatoryTitle,
      requestedOre: p.requestedOre ?? 0n,
      cofundingOre: p.cofundingOre,
      otherPublicFunding: p.otherPublicFunding,
      declaresNoTaxDebts: p.declaresNoTaxDebts,
      declaresNotInLiquidation: p.declaresNotInLiquidation,
      updatedAt: now,
    },
  });
  await tx.budgetLine.deleteMany({ where: { applicationId } });
  if (p.budget.length) {
    await tx.budgetLine.createMany({ data: p.budget.map((l, i) => ({ applicationId, position: i + 1, category: l.category, description: l.description, amountOre: l.amountOre })) });
  }
  // Only a draft's files may be removed: once submitted they are case documents.
  if (removeIds.length) await tx.attachment.deleteMany({ where: { id: { in: removeIds }, applicationId, reportId: null } });
  await recordUploads(tx, uploads, { applicationId }, "application", userId, now);
}

/** Does the stored draft already hold exactly this content (a replayed save)? */
function sameContent(row: Prisma.ApplicationGetPayload<{ include: { budgetLines: true } }>, p: ParsedApplication): boolean {
  const day = (d: Date | null) => (d ? d.toISOString() : null);
  const stored = [row.title, row.description, row.aims, row.targetGroup, day(row.projectStart), day(row.projectEnd), row.countyCodes.join(","), row.contactName, row.contactEmail, row.contactPhone, row.signatoryName, row.signatoryTitle, String(row.requestedOre), String(row.cofundingOre), row.otherPublicFunding, row.declaresNoTaxDebts, row.declaresNotInLiquidation, row.budgetLines.map((l) => [l.category, l.description, String(l.amountOre)])];
  const typed = [p.title, p.description, p.aims, p.targetGroup, day(p.projectStart), day(p.projectEnd), p.countyCodes.join(","), p.contactName, p.contactEmail, p.contactPhone, p.signatoryName, p.signatoryTitle, String(p.requestedOre ?? 0n), String(p.cofundingOre), p.otherPublicFunding, p.declaresNoTaxDebts, p.declaresNotInLiquidation, p.budget.map((l) => [l.category, l.description, String(l.amountOre)])];
  return JSON.stringify(stored) === JSON.stringify(typed);
}

/** Locks the case and checks it is still the one the user saw, in a state the applicant may edit. */
async function lockEditable(tx: Tx, user: Principal, applicationId: string, version: number, allowed: readonly string[]) {
  const c = await loadCase(tx, "application", applicationId, { lock: true });
  if (c.version !== version || !allowed.includes(c.state)) throw new WorkflowConflict("application", applicationId, version, c.version);
  if (!actorFor(user, c).roles.includes("applicant")) throw notFound();
  return c;
}

/** Every submission rule of the statechart that this application breaks now (data already written in `tx`). */
async function brokenSubmissionRules(tx: Tx, user: Principal, applicationId: string, requestedOre: bigint, now: Date) {
  const c = await loadCase(tx, "application", applicationId, { lock: false });
  const snapshot = restore("application", c.snapshot);
  const body = { type: "SUBMIT", requestedOre: Number(requestedOre) };
  const event = { ...body, ...(await c.facts(tx, "SUBMIT", body)), actor: actorFor(user, c), at: now.toISOString() };
  const fieldErrors: Record<string, string> = {};
  const formErrors: string[] = [];
  for (const [rule, field] of Object.entries(SUBMISSION_RULE_FIELDS)) {
    const r = applicationRules[rule as keyof typeof applicationRules];
    if (r.check({ context: snapshot.context, event } as never)) continue;
    if (field === "_form") formErrors.push(r.sv);
    else fieldErrors[field] ??= r.sv;
  }
  return { fieldErrors, formError: formErrors.length ? [...new Set(formErrors)].join(" ") : undefined };
}

/** What a replay finds: where the case went after the first POST. */
async function alreadyDone(db: Db, applicationId: string, intent: ApplicationIntent): Promise<ApplicationFormResult> {
  const a = await db.application.findUniqueOrThrow({ where: { id: applicationId }, select: { state: true } });
  if (intent === "submit" && a.state !== "draft") return { ok: true, redirectTo: `/ansokan/${applicationId}/kvitto?redan=1` };
  if (intent === "complete" && a.state !== "completionRequested") return { ok: true, redirectTo: `/ansokningar/${applicationId}?klart=redan-kompletterad` };
  return { ok: true, redirectTo: `/ansokningar/${applicationId}?klart=andrad` };
}

/**
 * Handles a POST of the application form. `target.applicationId` for an existing draft or
 * completion; `target.callId` for a new application (the draft is created on the first save).
 */
export async function handleApplicationForm(db: Db, user: Principal, request: Request, target: { applicationId?: string; callId?: string }, now = new Date()): Promise<ApplicationFormResult> {
  assertUploadSize(request);
  const form = await request.formData();
  const intentValue = str(form, "intent");
  const intent: ApplicationIntent = intentValue === "submit" || intentValue === "complete" || intentValue === "addRow" ? intentValue : "save";
  const values = valuesOf(form);
  const version = Number(str(form, "version"));
  const fail = (status: number, fieldErrors: Record<string, string>, formError?: string, extra: Partial<ApplicationFormError> = {}): ApplicationFormResult => ({
    ok: false,
    status,
    data: { values, fieldErrors, ...(formError ? { formError } : {}), ...extra },
  });

  // "Lägg till rad" without JavaScript: the same form back, with more empty rows. Nothing saved.
  if (intent === "addRow") return fail(200, {}, undefined, { rows: Math.min(MAX_BUDGET_ROWS, values.budget.length + EMPTY_BUDGET_ROWS) });

  // Which application: an existing one the user may edit, or a new draft under the call.
  let applicationId = target.applicationId ?? null;
  let call: { id: string; budgetOre: bigint };
  if (applicationId) {
    const found = await requireApplication(db, user, applicationId);
    if (!applicantOrgIds(user).includes(found.applicantOrgId)) throw notFound();
    call = await db.call.findUniqueOrThrow({ where: { id: found.callId }, select: { id: true, budgetOre: true } });
  } else {
    const c = isUuid(target.callId) ? await db.call.findFirst({ where: { id: target.callId, state: { not: "draft" } }, select: { id: true, budgetOre: true } }) : null;
    if (!c) throw notFound();
    call = c;
  }

  const counties = new Set((await countyList(db)).map((c) => c.code));
  const { parsed, errors } = parseValues(values, counties);
  const files = filesOf(form, "attachments");
  const checkedFiles = await checkFiles(files);
  if (!checkedFiles.ok) errors.attachments = checkedFiles.message;
  if (!applicationId && !applicantOrgIds(user).includes(values.organizationId)) errors.organizationId = "Välj vilken organisation som ansöker.";
  if (intent === "complete" && values.completionResponse.trim().length > MAX_TEXT) errors.completionResponse = tooLong(MAX_TEXT);
  const filesNote = files.length ? " Filer du valde har inte sparats: välj dem igen." : "";
  if (Object.keys(errors).length) return fail(400, errors, `Ingenting har sparats. Rätta felen nedan.${filesNote}`);

  // A new application: the draft is created (with its first audit event) under the form's token.
  if (!applicationId) {
    const token = str(form, "formToken");
    if (!/^[0-9a-f-]{36}$/i.test(token)) throw new Response("Begäran är ofullständig. Ladda om sidan och försök igen.", { status: 400 });
    const existing = await db.application.findUnique({ where: { id: token }, select: { applicantOrgId: true } });
    if (existing) {
      // The same form posted again (a second click, a replay): continue with the draft it made.
      if (!applicantOrgIds(user).includes(existing.applicantOrgId)) throw notFound();
    } else {
      try {
        await createApplicationDraft(db, user, call.id, values.organizationId, { id: token, title: parsed.title } as NewApplication, now);
      } catch (error) {
        if (error instanceof WorkflowRefused) return fail(422, {}, error.userMessage);
        if ((error as { code?: string }).code !== "P2002") throw error;
      }
    }
    applicationId = token;
  }
  const id = applicationId;

  const removeIds = strs(form, "removeAttachment");
  const uploads = checkedFiles.ok ? await storeFiles(checkedFiles.files, now) : [];
  const savedAt = str(form, "savedAt");
  // Two people (or tabs) on one draft: the second save from an older page is refused, not written over the first.
  // A second click on the same form sends the same content again: that is no conflict.
  const assertUnchanged = async (tx: Tx) => {
    if (!savedAt) return;
    const row = await tx.application.findUniqueOrThrow({ where: { id }, include: { budgetLines: { orderBy: { position: "asc" } } } });
    if (row.updatedAt.toISOString() === savedAt || sameContent(row, parsed)) return;
    throw new DraftChanged();
  };
  const saveDraft = () => db.$transaction(async (tx) => {
    await lockEditable(tx, user, id, version === 0 ? 1 : version, ["draft"]);
    await assertUnchanged(tx);
    await writeContent(tx, id, parsed, uploads, removeIds, user.id, now);
  });

  try {
    if (intent === "save") {
      await saveDraft();
      return { ok: true, redirectTo: `/ansokan/${id}?sparad=1` };
    }

    const attachmentCount = await db.attachment.count({ where: { applicationId: id, reportId: null, id: { notIn: removeIds } } });
    const incomplete = completenessErrors(parsed, call, attachmentCount + uploads.length > 0);
    if (intent === "complete") {
      if (Object.keys(incomplete).length) {
        await discard(uploads);
        return fail(400, incomplete, `Kompletteringen är inte inskickad. Rätta felen nedan.${filesNote}`);
      }
      await db.$transaction(async (tx) => {
        await lockEditable(tx, user, id, version, ["completionRequested"]);
        await writeContent(tx, id, parsed, uploads, [], user.id, now);
        const response = values.completionResponse.trim();
        await applyInTransaction(tx, user, "application", id, { type: "COMPLETE", requestedOre: Number(parsed.requestedOre ?? 0n), ...(response ? { message: response } : {}) }, { expectedVersion: version, now });
        const answered = await tx.completionRequest.findFirst({ where: { applicationId: id, completedAt: { not: null } }, orderBy: { completedAt: "desc" } });
        if (answered) await tx.completionRequest.update({ where: { id: answered.id }, data: { response } });
      }, { timeout: 20_000, maxWait: 20_000 });
      return { ok: true, redirectTo: `/ansokningar/${id}?klart=kompletterad` };
    }

    // intent === "submit"
    // A new application's form keeps posting to the draft this POST made (see ApplicationFormError.draft).
    const draftInfo = async (): Promise<Partial<ApplicationFormError>> => {
      if (target.applicationId) return { savedAsDraft: true };
      const files = await db.attachment.findMany({ where: { applicationId: id, reportId: null }, orderBy: { createdAt: "asc" } });
      return { savedAsDraft: true, draft: { formToken: id, attachments: files.map((f) => ({ id: f.id, fileName: f.fileName, size: formatBytes(f.sizeBytes), removable: true })) } };
    };
    if (Object.keys(incomplete).length) {
      await saveDraft();
      return fail(400, incomplete, "Ansökan är sparad som utkast men inte inskickad. Rätta felen nedan och skicka in igen.", await draftInfo());
    }
    try {
      await db.$transaction(async (tx) => {
        await lockEditable(tx, user, id, version === 0 ? 1 : version, ["draft"]);
        await assertUnchanged(tx);
        await writeContent(tx, id, parsed, uploads, removeIds, user.id, now);
        const broken = await brokenSubmissionRules(tx, user, id, parsed.requestedOre ?? 0n, now);
        if (Object.keys(broken.fieldErrors).length || broken.formError) throw new RulesRefused(broken.fieldErrors, broken.formError);
        await applyInTransaction(tx, user, "application", id, { type: "SUBMIT", requestedOre: Number(parsed.requestedOre ?? 0n) }, { expectedVersion: version === 0 ? 1 : version, now });
      }, { timeout: 20_000, maxWait: 20_000 });
    } catch (error) {
      if (!(error instanceof RulesRefused)) throw error;
      await saveDraft();
      return fail(422, error.fieldErrors, `Ansökan uppfyller inte utlysningens villkor och är inte inskickad. Den är sparad som utkast.${error.formError ? ` ${error.formError}` : ""}`, await draftInfo());
    }
    return { ok: true, redirectTo: `/ansokan/${id}/kvitto` };
  } catch (error) {
    await discard(uploads);
    if (error instanceof WorkflowConflict) return alreadyDone(db, id, intent);
    if (error instanceof DraftChanged) {
      return fail(
        409,
        {},
        `Ansökan har sparats av någon annan sedan du öppnade sidan, så det du skrev nu har inte sparats. Ladda om sidan för att se den sparade versionen, eller spara igen för att ersätta den med det du har skrivit.${filesNote}`,
      );
    }
    if (error instanceof WorkflowRefused) return fail(error.status, {}, error.userMessage);
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Receipt

/** The receipt after submission: what was registered, when, and what happens next. */
export async function loadReceipt(db: Db, user: Principal, applicationId: string) {
  const found = await requireApplication(db, user, applicationId);
  if (!applicantOrgIds(user).includes(found.applicantOrgId)) throw notFound();
  const a = await db.application.findUniqueOrThrow({
    where: { id: found.id },
    include: {
      call: { select: { title: true, board: { select: { name: true } } } },
      applicantOrg: { select: { name: true, orgNumber: true } },
      budgetLines: { orderBy: { position: "asc" } },
      attachments: { where: { reportId: null }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!a.registrationNumber || !a.submittedAt) return null;
  // The receipt shows the application as it was submitted (revision 1), not as a later completion changed it.
  const revisions = await db.applicationRevision.findMany({ where: { applicationId: a.id }, orderBy: { number: "asc" }, select: { number: true, createdAt: true, data: true } });
  const submitted = (revisions[0]?.data ?? null) as { title?: string; requestedOre?: string; cofundingOre?: string; budgetLines?: { category: string; amountOre: string }[] } | null;
  const latest = revisions.length > 1 ? revisions[revisions.length - 1] : null;
  const submittedAt = a.submittedAt;
  return {
    id: a.id,
    title: submitted?.title ?? a.title,
    registrationNumber: a.registrationNumber,
    submittedAt: formatDateTime(submittedAt),
    completedAt: latest ? formatDateTime(latest.createdAt) : null,
    call: a.call.title,
    board: a.call.board.name,
    applicant: `${a.applicantOrg.name} (${a.applicantOrg.orgNumber})`,
    requested: formatKronor(submitted?.requestedOre !== undefined ? BigInt(submitted.requestedOre) : a.requestedOre),
    cofunding: formatKronor(submitted?.cofundingOre !== undefined ? BigInt(submitted.cofundingOre) : a.cofundingOre),
    budgetLines: submitted?.budgetLines
      ? submitted.budgetLines.map((l) => ({ category: l.category, amount: formatKronor(BigInt(l.amountOre)) }))
      : a.budgetLines.map((l) => ({ category: l.category, amount: formatKronor(l.amountOre) })),
    attachments: a.attachments.filter((f) => f.createdAt <= submittedAt).map((f) => ({ id: f.id, fileName: f.fileName })),
    state: a.state,
  };
}
