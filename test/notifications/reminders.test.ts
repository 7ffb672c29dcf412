// Daily reminders (once per reminder, case and user, across runs; due dates
// moved by the Swedish holiday rule) and the daily digest, sent to a real SMTP server.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { useTestDatabase } from "../support/db";
import { runDailyReminders } from "../../app/notifications/reminders.server";
import { dispatchOutbox } from "../../app/notifications/dispatcher.server";
import { buildDigests, closeSmtpTransport, sendEmail } from "../../app/notifications/mail.server";
import { plainDate, plainDateToUtcMidnight } from "../../app/lib/dates";
import { makeWorld, mailSink, type World } from "./world";

const t = useTestDatabase();

describe("reminders and digest", () => {
  let world: World;
  let sink: Awaited<ReturnType<typeof mailSink>>;
  let appId: string;
  let reportId: string;

  beforeAll(async () => {
    sink = await mailSink();
    process.env.SMTP_URL = sink.url;
    world = await makeWorld(t.db, { closesAt: new Date("2026-12-30T22:59:59Z") });
    appId = await world.submit("Stöd till brottsutsatta");
    await world.approve(appId);
    await dispatchOutbox(t.db);
    const report = await t.db.report.findFirstOrThrow({ where: { grant: { applicationId: appId } } });
    reportId = report.id;
  });

  afterAll(async () => {
    closeSmtpTransport();
    await sink?.close();
  });

  const keys = async (prefix: string) => (await t.db.notification.findMany({ where: { dedupeKey: { startsWith: prefix } }, orderBy: { dedupeKey: "asc" } })).map((n) => n.dedupeKey);

  it("reminds once per reminder and case, with due dates moved past julafton and Easter", async () => {
    // Due on julafton 2026: the last day is Monday 28 December (25–27 are holidays and a Sunday).
    await t.db.report.update({ where: { id: reportId }, data: { dueOn: plainDateToUtcMidnight(plainDate("2026-12-24")) } });
    // An instalment planned in the same ISO week (Monday 21 – Sunday 27 December), and a case that has waited.
    const disb = await t.db.disbursement.findFirstOrThrow({ where: { grant: { applicationId: appId }, state: "planned" } });
    await t.db.disbursement.update({ where: { id: disb.id }, data: { plannedOn: plainDateToUtcMidnight(plainDate("2026-12-22")) } });
    const waiting = await world.submit("Väntande ärende");
    await t.db.application.update({ where: { id: waiting }, data: { updatedAt: new Date("2026-11-01T10:00:00Z") } });

    const day1 = new Date("2026-12-27T07:00:00Z"); // Sunday 27 December, 08:00 in Stockholm
    const first = await runDailyReminders(t.db, day1);
    const again = await runDailyReminders(t.db, day1);
    expect(first.created).toBeGreaterThan(0);
    expect(again.created).toBe(0);
    expect(await keys("report_due_7:")).toEqual([`report_due_7:${reportId}:${world.applicant.id}`, `report_due_7:${reportId}:${world.applicant2.id}`].sort());
    expect(await keys("report_overdue")).toEqual([]); // 24 December has passed, but the last day is the 28th
    const notice = await t.db.notification.findFirstOrThrow({ where: { dedupeKey: `report_due_7:${reportId}:${world.applicant.id}` } });
    expect(notice.title).toBe("Påminnelse: slutredovisning ska lämnas senast 2026-12-28");
    expect(await keys("call_closing:")).toEqual([`call_closing:${world.call.id}:${world.officer.id}`]);
    expect(await keys("instalment_due:")).toEqual([`instalment_due:${disb.id}:${world.finance.id}`]);
    expect(await keys(`case_waiting:${waiting}:`)).toHaveLength(1);

    // Tuesday 29 December: overdue, for the applicants and the board's officers; still once.
    const day2 = new Date("2026-12-29T07:00:00Z");
    await runDailyReminders(t.db, day2);
    expect((await runDailyReminders(t.db, day2)).created).toBe(0);
    expect(await keys("report_overdue:")).toHaveLength(2);
    expect(await keys("report_overdue_officer:")).toEqual([`report_overdue_officer:${reportId}:${world.officer.id}`]);
    expect(await keys("report_due_30:")).toEqual([]);

    // Due on Good Friday 2027 (26 March): last day Tuesday 30 March, after Easter Monday.
    await t.db.report.update({ where: { id: reportId }, data: { dueOn: plainDateToUtcMidnight(plainDate("2027-03-26")) } });
    await t.db.notification.deleteMany({ where: { dedupeKey: { startsWith: "report_" } } });
    await runDailyReminders(t.db, new Date("2027-03-29T08:00:00Z")); // Easter Monday
    expect(await keys("report_overdue")).toEqual([]);
    const easter = await t.db.notification.findFirstOrThrow({ where: { dedupeKey: `report_due_7:${reportId}:${world.applicant.id}` } });
    expect(easter.body).toContain("senast 2027-03-30 (om 1 dag)");
    await runDailyReminders(t.db, new Date("2027-03-31T08:00:00Z"));
    expect(await keys("report_overdue:")).toHaveLength(2);
  });

  it("sends one digest e-mail a day to a user who chose the digest", async () => {
    await t.db.notificationPreference.create({ data: { userId: world.applicant.id, topic: "application_registered", email: "digest" } });
    const before = await t.db.emailMessage.count({ where: { userId: world.applicant.id } });
    const a = await world.submit("Första ansökan");
    const b = await world.submit("Andra ansökan");
    await dispatchOutbox(t.db);
    // Notices in the app, but no immediate e-mail for the digest user (the other applicant gets theirs).
    expect(await t.db.notification.count({ where: { userId: world.applicant.id, caseId: { in: [a, b] } } })).toBe(2);
    expect(await t.db.emailMessage.count({ where: { userId: world.applicant.id } })).toBe(before);
    expect(await t.db.emailMessage.count({ where: { userId: world.applicant2.id, notification: { caseId: { in: [a, b] } } } })).toBe(2);

    const created = await t.db.notification.findFirstOrThrow({ where: { userId: world.applicant.id, caseId: a } });
    const day = plainDate(new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(created.createdAt));
    const ids = await buildDigests(t.db, day);
    expect(await buildDigests(t.db, day)).toEqual(ids);
    const mine = await t.db.emailMessage.findMany({ where: { userId: world.applicant.id, dedupeKey: `digest:${world.applicant.id}:${day}` } });
    expect(mine).toHaveLength(1);
    for (const id of ids) await sendEmail(t.db, id);
    for (const id of ids) expect(await sendEmail(t.db, id)).toBe("already-sent");
    const digests = sink.received.filter((m) => m.subject.startsWith("Sammanfattning"));
    expect(digests).toHaveLength(1);
    expect(digests[0].envelopeTo).toEqual([world.applicant.email]);
    expect(digests[0].subject).toMatch(/^Sammanfattning \d{4}-\d{2}-\d{2}: \d+ nya meddelanden$/);
    expect(digests[0].text).toContain("Första ansökan");
    expect(digests[0].text).toContain("Andra ansökan");
    expect(digests[0].text).toContain(`/arenden/${a}`);
  });
  it("reminds the recipient of a decided reclaim a week before its due date and when overdue, once each", async () => {
    const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: appId } });
    // Due Saturday 2027-01-30: the last day moves to Monday 1 February.
    const reclaim = await t.db.reclaim.create({
      data: { grantId: grant.id, ground: "not_used_for_purpose", amountOre: 5_000_000n, waivedOre: 1_000_000n, waiverReasons: "Delvis eftergift.", reasons: "Outnyttjade medel.", paymentReference: "05-2026-0001", dueOn: plainDateToUtcMidnight(plainDate("2027-01-30")), proposedById: world.officer.id, state: "decided", snapshot: {} },
    });
    await runDailyReminders(t.db, new Date("2027-01-20T07:00:00Z"));
    expect(await keys("reclaim_")).toEqual([]); // eleven days before the last day: nothing yet
    await runDailyReminders(t.db, new Date("2027-01-26T07:00:00Z"));
    await runDailyReminders(t.db, new Date("2027-01-27T07:00:00Z"));
    expect(await keys("reclaim_due_7:")).toEqual([`reclaim_due_7:${reclaim.id}:${world.applicant.id}`, `reclaim_due_7:${reclaim.id}:${world.applicant2.id}`].sort());
    const notice = await t.db.notification.findFirstOrThrow({ where: { dedupeKey: `reclaim_due_7:${reclaim.id}:${world.applicant.id}` } });
    expect(notice.body).toMatch(/40\s000\skr/);
    expect(notice.body).toContain("2027-02-01");
    expect(await keys("reclaim_overdue:")).toEqual([]);
    await runDailyReminders(t.db, new Date("2027-02-02T07:00:00Z"));
    expect(await keys("reclaim_overdue:")).toHaveLength(2);
  });

  it("reminds the recipient a week before an instalment's last day to request it (rekvisition), once, and not after it is requested", async () => {
    const id = await world.submit("Rekvireras i tid");
    await world.approve(id);
    const [first, second] = await t.db.disbursement.findMany({ where: { grant: { applicationId: id } }, orderBy: { number: "asc" } });
    await t.db.disbursement.update({ where: { id: first.id }, data: { requestDeadline: plainDateToUtcMidnight(plainDate("2027-03-10")) } });
    expect(second, "the world's plan has two instalments").toBeDefined();
    await t.db.disbursement.update({ where: { id: second!.id }, data: { requestDeadline: plainDateToUtcMidnight(plainDate("2027-03-10")), state: "requested" } });
    await runDailyReminders(t.db, new Date("2027-03-02T07:00:00Z"));
    expect(await keys("payment_request_due_7:")).toEqual([]); // eight days before: nothing yet
    await runDailyReminders(t.db, new Date("2027-03-03T07:00:00Z"));
    await runDailyReminders(t.db, new Date("2027-03-04T07:00:00Z"));
    // Only the instalment not yet requested, for each applicant of the organization, once.
    expect(await keys("payment_request_due_7:")).toEqual([`payment_request_due_7:${first.id}:${world.applicant.id}`, `payment_request_due_7:${first.id}:${world.applicant2.id}`].sort());
    const notice = await t.db.notification.findFirstOrThrow({ where: { dedupeKey: `payment_request_due_7:${first.id}:${world.applicant.id}` } });
    expect(notice).toMatchObject({ topic: "payment_request_due", title: "Påminnelse: rekvirera senast 2027-03-10" });
    expect(notice.body).toContain(`Utbetalning ${first.number} på`);
    expect(notice.body).toContain("(om 7 dagar). Pengar som inte rekvireras i tid betalas inte ut.");
    expect(notice.link).toBe(`/arenden/${id}`);
  });
});
