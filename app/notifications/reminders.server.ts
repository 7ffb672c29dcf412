// The daily reminders: what is due, found in the database and turned into
// notices (and e-mails). Each reminder has a dedupe key per reminder, case and
// user, so running the job twice on a day, or on every day, creates each once.
import type { Db } from "~/db.server";
import {
  addDays,
  applySundayRule,
  daysBetween,
  formatDate,
  formatDateTime,
  isoWeekday,
  plainDateToUtcMidnight,
  todayInStockholm,
  utcMidnightToPlainDate,
  type PlainDate,
} from "~/lib/dates";
import { formatKronor } from "~/lib/money";
import { caseLink, createNotice, usersWithRole, type NoticeInput } from "./notices.server";

export type ReminderResult = { created: number; emailIds: string[] };

/** States in which a case waits for the board. */
const WAITING_STATES = ["submitted", "inAssessment", "presented"];
/** Instalments not yet paid and not given up. */
const OPEN_INSTALMENT_STATES = ["planned", "attested"];

export function caseWaitDays(): number {
  const n = Number(process.env.CASE_WAIT_DAYS ?? 14);
  return Number.isFinite(n) && n > 0 ? n : 14;
}

/**
 * The last day on which a report is in time: its due date, moved to the next
 * weekday that is not a holiday, midsommarafton, julafton or nyårsafton when
 * it falls on one (lag 1930:173, 2 §).
 */
export function reportLastDay(dueOn: PlainDate): PlainDate {
  return applySundayRule(dueOn);
}

type Reminder = Omit<NoticeInput, "now">;

export async function runDailyReminders(db: Db, now: Date = new Date(), opts: { caseWaitDays?: number } = {}): Promise<ReminderResult> {
  const today = todayInStockholm(now);
  const reminders: Reminder[] = [];
  const waitDays = opts.caseWaitDays ?? caseWaitDays();

  // Reports not yet submitted: 30 and 7 days before the last day, and overdue.
  const reports = await db.report.findMany({
    where: { state: "due", submittedAt: null, grant: { state: "active" } },
    select: { id: true, kind: true, dueOn: true, grant: { select: { application: { select: { id: true, title: true, registrationNumber: true, applicantOrgId: true, boardId: true, callId: true } } } } },
  });
  for (const r of reports) {
    const a = r.grant.application;
    const lastDay = reportLastDay(utcMidnightToPlainDate(r.dueOn));
    const left = daysBetween(today, lastDay);
    const what = r.kind === "interim" ? "delredovisning" : "slutredovisning";
    const label = a.registrationNumber ? `${a.registrationNumber} ${a.title}` : a.title;
    const applicants = await usersWithRole(db, a.applicantOrgId, "applicant");
    let key: string | null = null;
    let title = "";
    let body = "";
    if (left < 0) {
      key = "report_overdue";
      title = `Försenad ${what}: ${label}`;
      body = `Er ${what} för ”${a.title}” skulle ha lämnats senast ${formatDate(lastDay)}. Lämna den så snart som möjligt; annars kan bidraget krävas tillbaka.`;
    } else if (left <= 7) {
      key = "report_due_7";
    } else if (left <= 30) {
      key = "report_due_30";
    }
    if (key === "report_due_7" || key === "report_due_30") {
      title = `Påminnelse: ${what} ska lämnas senast ${formatDate(lastDay)}`;
      body = `Er ${what} för ”${label}” ska lämnas senast ${formatDate(lastDay)} (om ${left} ${left === 1 ? "dag" : "dagar"}).`;
    }
    if (key) {
      for (const u of applicants) {
        reminders.push({ userId: u.id, topic: key === "report_overdue" ? "report_overdue" : "report_due", caseType: "application", caseId: a.id, title, body, link: caseLink(a.id), dedupeKey: `${key}:${r.id}:${u.id}` });
      }
    }
    if (left < 0) {
      for (const u of await usersWithRole(db, a.boardId, "officer")) {
        reminders.push({
          userId: u.id,
          topic: "reports_overdue_in_calls",
          caseType: "application",
          caseId: a.id,
          title: `Försenad ${what}: ${label}`,
          body: `${what[0].toUpperCase()}${what.slice(1)} för ${label} skulle ha lämnats senast ${formatDate(lastDay)} och har inte kommit in.`,
          link: caseLink(a.id),
          dedupeKey: `report_overdue_officer:${r.id}:${u.id}`,
        });
      }
    }
  }

  // Calls closing within 7 days: the board's officers.
  const calls = await db.call.findMany({
    where: { state: "published", closesAt: { gt: now, lte: new Date(now.getTime() + 7 * 86_400_000) } },
    select: { id: true, title: true, boardId: true, closesAt: true },
  });
  for (const c of calls) {
    for (const u of await usersWithRole(db, c.boardId, "officer")) {
      reminders.push({
        userId: u.id,
        topic: "call_closing",
        caseType: "call",
        caseId: c.id,
        title: `Utlysningen stänger snart: ${c.title}`,
        body: `Utlysningen ”${c.title}” stänger ${formatDateTime(c.closesAt)}.`,
        link: `/utlysningar/${c.id}`,
        dedupeKey: `call_closing:${c.id}:${u.id}`,
      });
    }
  }

  // Cases waiting for the board longer than CASE_WAIT_DAYS since their last change.
  const waiting = await db.application.findMany({
    where: { state: { in: WAITING_STATES }, updatedAt: { lt: new Date(now.getTime() - waitDays * 86_400_000) } },
    select: { id: true, title: true, registrationNumber: true, boardId: true, state: true, version: true, updatedAt: true },
  });
  for (const a of waiting) {
    const label = a.registrationNumber ? `${a.registrationNumber} ${a.title}` : a.title;
    for (const u of await usersWithRole(db, a.boardId, "officer")) {
      reminders.push({
        userId: u.id,
        topic: "case_waiting",
        caseType: "application",
        caseId: a.id,
        title: `Ärende har väntat länge: ${label}`,
        body: `Ärendet ${label} har inte ändrats sedan ${formatDate(a.updatedAt)} (mer än ${waitDays} dagar).`,
        link: caseLink(a.id),
        // Once per case and stay in a state: a case that moves and stalls again is reminded again.
        dedupeKey: `case_waiting:${a.id}:v${a.version}:${u.id}`,
      });
    }
  }

  // Instalments planned for this ISO week (Monday–Sunday): the board's finance staff.
  const monday = addDays(today, 1 - isoWeekday(today));
  const sunday = addDays(monday, 6);
  const instalments = await db.disbursement.findMany({
    where: { state: { in: OPEN_INSTALMENT_STATES }, plannedOn: { gte: plainDateToUtcMidnight(monday), lte: plainDateToUtcMidnight(sunday) } },
    select: { id: true, number: true, amountOre: true, plannedOn: true, grant: { select: { application: { select: { id: true, title: true, registrationNumber: true, boardId: true } } } } },
  });
  for (const d of instalments) {
    const a = d.grant.application;
    const label = a.registrationNumber ? `${a.registrationNumber} ${a.title}` : a.title;
    for (const u of await usersWithRole(db, a.boardId, "finance")) {
      reminders.push({
        userId: u.id,
        topic: "instalments_due",
        caseType: "disbursement",
        caseId: d.id,
        title: `Utbetalning denna vecka: ${label}`,
        body: `Utbetalning ${d.number} på ${formatKronor(d.amountOre)} är planerad till ${formatDate(utcMidnightToPlainDate(d.plannedOn))}.`,
        link: caseLink(a.id),
        dedupeKey: `instalment_due:${d.id}:${u.id}`,
      });
    }
  }

  // Instalments the recipient must request (rekvirera) and has not: 7 days before the last day. A
  // request not made in time lapses and the money is not paid, so this one reminder matters.
  const unrequested = await db.disbursement.findMany({
    where: { state: "planned", requestDeadline: { gte: plainDateToUtcMidnight(today), lte: plainDateToUtcMidnight(addDays(today, 7)) }, grant: { state: "active" } },
    select: { id: true, number: true, amountOre: true, requestDeadline: true, grant: { select: { application: { select: { id: true, title: true, registrationNumber: true, applicantOrgId: true } } } } },
  });
  for (const d of unrequested) {
    const a = d.grant.application;
    const label = a.registrationNumber ? `${a.registrationNumber} ${a.title}` : a.title;
    const lastDay = utcMidnightToPlainDate(d.requestDeadline!);
    const left = daysBetween(today, lastDay);
    const when = left === 0 ? "i dag" : `om ${left} ${left === 1 ? "dag" : "dagar"}`;
    for (const u of await usersWithRole(db, a.applicantOrgId, "applicant")) {
      reminders.push({
        userId: u.id,
        topic: "payment_request_due",
        caseType: "application",
        caseId: a.id,
        title: `Påminnelse: rekvirera senast ${formatDate(lastDay)}`,
        body: `Utbetalning ${d.number} på ${formatKronor(d.amountOre)} för ”${label}” ska rekvireras senast ${formatDate(lastDay)} (${when}). Pengar som inte rekvireras i tid betalas inte ut.`,
        link: caseLink(a.id),
        dedupeKey: `payment_request_due_7:${d.id}:${u.id}`,
      });
    }
  }

  // Reclaims decided and not fully settled: the recipient is reminded 7 days before the due date and when overdue.
  const reclaims = await db.reclaim.findMany({
    where: { state: "decided", dueOn: { not: null } },
    select: { id: true, amountOre: true, waivedOre: true, repaidOre: true, dueOn: true, paymentReference: true, grant: { select: { application: { select: { id: true, title: true, applicantOrgId: true } } } } },
  });
  for (const rc of reclaims) {
    const a = rc.grant.application;
    const lastDay = applySundayRule(utcMidnightToPlainDate(rc.dueOn!));
    const left = daysBetween(today, lastDay);
    const key = left < 0 ? "reclaim_overdue" : left <= 7 ? "reclaim_due_7" : null;
    if (!key) continue;
    const owed = rc.amountOre - rc.waivedOre - rc.repaidOre;
    const title = left < 0 ? `Återbetalningen är försenad: ${a.title}` : `Påminnelse: återbetalning senast ${formatDate(lastDay)}`;
    const body = `${formatKronor(owed)} ska betalas tillbaka senast ${formatDate(lastDay)}. Ange ${rc.paymentReference} som referens.`;
    for (const u of await usersWithRole(db, a.applicantOrgId, "applicant")) {
      reminders.push({ userId: u.id, topic: "reclaim_decided", caseType: "application", caseId: a.id, title, body, link: caseLink(a.id), dedupeKey: `${key}:${rc.id}:${u.id}` });
    }
  }

  const result: ReminderResult = { created: 0, emailIds: [] };
  for (const r of reminders) {
    // One short transaction per notice: the notice and its e-mail together.
    const out = await db.$transaction((tx) => createNotice(tx, { ...r, now }));
    if (out.created) result.created++;
    if (out.emailId) result.emailIds.push(out.emailId);
  }
  return result;
}
