// Redovisning: the recipient's interim or final report. A financial part (what
// was used per budget line of the application; the unused amount computed
// from the grant; a ledger extract attached) and an activity part (what was
// done, a result for each indicator the call asked for). It is submitted
// through the engine (SUBMIT_REPORT) in one transaction with its attachment,
// so the unused amount is what the officer's approval and the reclaim flow use.
import type { Db } from "~/db.server";
import { applicantOrgIds, notFound, requireApplication, type Principal } from "~/access/permissions.server";
import { allowedEvents, applyInTransaction } from "~/workflow/engine.server";
import { WorkflowConflict, WorkflowRefused } from "~/workflow/errors";
import { formatKronor, oreToKronorInput, parseKronor } from "~/lib/money";
import { daysBetween, formatDate, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { REPORT_KIND_LABELS } from "~/lib/state-labels";
import { ACCEPT_ATTRIBUTE } from "~/storage/file-types";
import { assertUploadSize, checkFiles, discard, filesOf, recordUploads, storeFiles } from "./attachments.server";
import { daysLeftText } from "./guidance";
import { tooLong } from "~/finance/form-fields";
import { restore } from "../../workflows";

const MAX_TEXT = 10_000;
const ABSURD_ORE = 1_000_000_000_000n;

export type ReportFormValues = {
  used: Record<string, string>;
  results: Record<string, string>;
  comments: Record<string, string>;
  activitySummary: string;
};

export type ReportFormError = { values: ReportFormValues; fieldErrors: Record<string, string>; formError?: string; preview?: { used: string; unused: string } };

async function reportContext(db: Db, user: Principal, applicationId: string) {
  const found = await requireApplication(db, user, applicationId);
  if (!applicantOrgIds(user).includes(found.applicantOrgId)) throw notFound();
  const kind: "interim" | "final" | null = found.state.startsWith("grantActive.interimReport") ? "interim" : found.state.startsWith("grantActive.finalReport") ? "final" : null;
  const events = await allowedEvents(db, user, "application", found.id);
  if (!kind || !events.includes("SUBMIT_REPORT")) return null;
  const grant = await db.grant.findUniqueOrThrow({ where: { applicationId: found.id } });
  const report = await db.report.findUniqueOrThrow({ where: { grantId_kind: { grantId: grant.id, kind } }, include: { lines: true, results: true } });
  const lines = await db.budgetLine.findMany({ where: { applicationId: found.id }, orderBy: { position: "asc" } });
  const indicators = await db.callIndicator.findMany({ where: { callId: found.callId }, orderBy: { position: "asc" } });
  return { application: found, kind, grant, report, lines, indicators };
}

export async function loadReportForm(db: Db, user: Principal, applicationId: string, now = new Date()) {
  const context = await reportContext(db, user, applicationId);
  if (!context) throw notFound();
  const { application, kind, grant, report, lines, indicators } = context;
  const left = daysBetween(todayInStockholm(now), utcMidnightToPlainDate(report.dueOn));
  const previous = new Map(report.lines.map((l) => [l.budgetLineId, l.usedOre]));
  const results = new Map(report.results.map((r) => [r.indicatorId, r]));
  return {
    applicationId: application.id,
    title: application.title,
    registrationNumber: application.registrationNumber,
    version: application.version,
    kind,
    kindLabel: REPORT_KIND_LABELS[kind],
    dueOn: formatDate(utcMidnightToPlainDate(report.dueOn)),
    dueText: daysLeftText(left),
    overdue: left < 0,
    completionRequested: report.state === "completion_requested",
    // The officer's question is kept in the case's statechart (its report log).
    completionMessage: report.state === "completion_requested" ? lastReportQuestion(application.snapshot, kind) : null,
    granted: formatKronor(grant.amountOre),
    grantedOre: grant.amountOre.toString(),
    paid: formatKronor(grant.paidOre),
    lines: lines.map((l) => ({ id: l.id, category: l.category, description: l.description, budgeted: formatKronor(l.amountOre) })),
    indicators: indicators.map((x) => ({ id: x.id, name: x.name, unit: x.unit })),
    values: {
      used: Object.fromEntries(lines.map((l) => [l.id, previous.has(l.id) ? oreToKronorInput(previous.get(l.id)!) : ""])),
      results: Object.fromEntries(indicators.map((x) => [x.id, results.has(x.id) ? results.get(x.id)!.value.toString().replace(".", ",") : ""])),
      comments: Object.fromEntries(indicators.map((x) => [x.id, results.get(x.id)?.comment ?? ""])),
      activitySummary: report.activitySummary,
    } satisfies ReportFormValues,
    accept: ACCEPT_ATTRIBUTE,
  };
}

function lastReportQuestion(snapshot: unknown, kind: "interim" | "final"): string | null {
  const log = restore("application", snapshot).context.reportLog;
  return [...log].reverse().find((step) => step.kind === kind && step.step === "completion_requested")?.message ?? null;
}

/** A result figure as typed ("12", "12,5", "1 200"): a decimal with at most two decimals, as text for Prisma's Decimal. */
function parseResult(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const t = input.trim().replace(/[\s\u00a0]/g, "");
  const m = /^(\d{1,12})(?:,(\d{1,2}))?$/.exec(t);
  if (!m) return { ok: false, message: "Ange ett tal, till exempel 12 eller 12,5." };
  return { ok: true, value: m[2] ? `${m[1]}.${m[2]}` : m[1] };
}

export type ReportResult = { ok: true; redirectTo: string } | { ok: false; status: number; data: ReportFormError };

export async function handleReportForm(db: Db, user: Principal, applicationId: string, request: Request, now = new Date()): Promise<ReportResult> {
  assertUploadSize(request);
  const form = await request.formData();
  const context = await reportContext(db, user, applicationId);
  if (!context) {
    // A replayed report form: the report went in with the first POST.
    const submitted = await db.report.count({ where: { grant: { applicationId }, submittedAt: { not: null } } });
    if (submitted > 0) return { ok: true, redirectTo: `/ansokningar/${applicationId}?klart=redan-redovisad` };
    throw notFound();
  }
  const { application, kind, grant, report, lines, indicators } = context;
  const get = (name: string, max = MAX_TEXT) => {
    const v = form.get(name);
    return typeof v === "string" ? v.slice(0, max + 1) : "";
  };
  const values: ReportFormValues = {
    used: Object.fromEntries(lines.map((l) => [l.id, get(`used-${l.id}`, 100)])),
    results: Object.fromEntries(indicators.map((x) => [x.id, get(`result-${x.id}`, 100)])),
    comments: Object.fromEntries(indicators.map((x) => [x.id, get(`comment-${x.id}`, 2000)])),
    activitySummary: get("activitySummary"),
  };
  const errors: Record<string, string> = {};
  const used: { budgetLineId: string; category: string; usedOre: bigint }[] = [];
  for (const l of lines) {
    const typed = values.used[l.id] ?? "";
    if (!typed.trim()) {
      errors[`used-${l.id}`] = `${l.category}: ange använt belopp (0 om inget har använts).`;
      continue;
    }
    const r = parseKronor(typed);
    if (!r.ok) errors[`used-${l.id}`] = `${l.category}: ${r.message}`;
    else if (r.ore >= ABSURD_ORE) errors[`used-${l.id}`] = `${l.category}: beloppet är orimligt stort.`;
    else used.push({ budgetLineId: l.id, category: l.category, usedOre: r.ore });
  }
  const usedOre = used.reduce((s, l) => s + l.usedOre, 0n);
  const unusedOre = grant.amountOre > usedOre ? grant.amountOre - usedOre : 0n;
  const results: { indicatorId: string; value: string; comment: string }[] = [];
  for (const x of indicators) {
    const r = parseResult(values.results[x.id] ?? "");
    if (!r.ok) errors[`result-${x.id}`] = `${x.name}: ${(values.results[x.id] ?? "").trim() ? r.message : "ange resultatet (0 om inget)."}`;
    else results.push({ indicatorId: x.id, value: r.value, comment: (values.comments[x.id] ?? "").trim().slice(0, 2000) });
  }
  const activitySummary = values.activitySummary.trim();
  if (!activitySummary) errors.activitySummary = "Beskriv vad som har gjorts och vad det har lett till.";
  else if (activitySummary.length > MAX_TEXT) errors.activitySummary = tooLong(MAX_TEXT);
  const files = filesOf(form, "ledger");
  const checked = await checkFiles(files);
  if (!checked.ok) errors.ledger = checked.message;
  else if (files.length === 0) errors.ledger = "Bifoga ett utdrag ur bokföringen för projektet (PDF, Excel eller OpenDocument).";

  const preview = { used: formatKronor(usedOre), unused: formatKronor(unusedOre) };
  const intent = get("intent", 20);
  if (intent === "calculate") return { ok: false, status: 200, data: { values, fieldErrors: {}, preview } };
  if (Object.keys(errors).length) {
    return { ok: false, status: 400, data: { values, fieldErrors: errors, formError: `Redovisningen är inte inskickad. Rätta felen nedan.${files.length ? " Välj bokföringsutdraget igen." : ""}`, preview } };
  }

  const version = Number(get("version", 12));
  const uploads = checked.ok ? await storeFiles(checked.files, now) : [];
  try {
    await db.$transaction(async (tx) => {
      await applyInTransaction(tx, user, "application", application.id, { type: "SUBMIT_REPORT", kind, unusedOre: Number(unusedOre) }, {
        expectedVersion: version,
        now,
        details: { usedOre, activitySummary, reportLines: used, results },
      });
      await recordUploads(tx, uploads, { reportId: report.id }, "ledger_extract", user.id, now);
    }, { timeout: 20_000, maxWait: 20_000 });
  } catch (error) {
    await discard(uploads);
    if (error instanceof WorkflowConflict) return { ok: true, redirectTo: `/ansokningar/${application.id}?klart=redan-redovisad` };
    if (error instanceof WorkflowRefused) return { ok: false, status: error.status, data: { values, fieldErrors: {}, formError: error.userMessage, preview } };
    throw error;
  }
  return { ok: true, redirectTo: `/ansokningar/${application.id}?klart=redovisad` };
}
