// The outbox dispatcher: turns applied workflow events (OutboxMessage rows,
// written by the engine in the event's own transaction) into in-app notices
// and e-mails. Each message is handled in one transaction that locks it
// (FOR UPDATE SKIP LOCKED, so several workers share the work), creates the
// notices and e-mails, and marks it processed: a crash leaves it unprocessed,
// and the dedupe keys make a second pass harmless.
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import { formatKronor } from "~/lib/money";
import { formatDate, utcMidnightToPlainDate } from "~/lib/dates";
import { createNotice, caseLink, usersWithRole, type Tx } from "./notices.server";
import type { NotificationTopic } from "./topics";

/** A message that failed this many times is skipped (and stays visible with its lastError). */
export const MAX_OUTBOX_ATTEMPTS = 10;

type OutboxRow = { id: bigint; topic: string; caseType: string; caseId: string; payload: unknown };

type Notice = { topic: NotificationTopic; applicationId: string; title: string; body: string };

const OUTCOME: Record<string, string> = { approved: "beviljas", partly_approved: "beviljas delvis", rejected: "avslås" };

function appLabel(a: { registrationNumber: string | null; title: string }): string {
  return a.registrationNumber ? `${a.registrationNumber} ${a.title}` : a.title;
}

async function applicationOf(tx: Tx, id: string) {
  return tx.application.findUniqueOrThrow({ where: { id }, select: { id: true, title: true, registrationNumber: true, applicantOrgId: true, boardId: true } });
}

/** Which notice an outbox message leads to, if any. */
async function noticeFor(tx: Tx, m: OutboxRow): Promise<Notice | null> {
  const payload = (m.payload ?? {}) as { toState?: string };
  const toState = payload.toState ?? "";
  switch (m.topic) {
    case "application.SUBMIT": {
      const a = await applicationOf(tx, m.caseId);
      return {
        topic: "application_registered",
        applicationId: a.id,
        title: `Ansökan registrerad: ${appLabel(a)}`,
        body: `Er ansökan ”${a.title}” har kommit in och registrerats${a.registrationNumber ? ` med diarienummer ${a.registrationNumber}` : ""}. Ange diarienumret när ni kontaktar oss om ärendet.`,
      };
    }
    case "application.REQUEST_COMPLETION": {
      const a = await applicationOf(tx, m.caseId);
      const req = await tx.completionRequest.findFirst({ where: { applicationId: a.id }, orderBy: { requestedAt: "desc" }, select: { dueOn: true } });
      return {
        topic: "completion_requested",
        applicationId: a.id,
        title: `Komplettering begärd: ${appLabel(a)}`,
        body: `Länsstyrelsen behöver fler uppgifter i ansökan ”${a.title}”.${req ? ` Komplettera senast ${formatDate(utcMidnightToPlainDate(req.dueOn))}.` : ""} Se begäran i ärendet.`,
      };
    }
    case "application.DECIDE":
    case "application.CONFIRM_DECISION":
    case "application.CORRECT_DECISION":
    case "application.RECONSIDER_DECISION": {
      // A decision that waits for a second decision maker is not yet a decision.
      if (toState === "awaitingSecondDecision" || toState === "presented") return null;
      const a = await applicationOf(tx, m.caseId);
      const d = await tx.decision.findFirst({ where: { applicationId: a.id }, orderBy: { decidedAt: "desc" }, select: { outcome: true, grantedOre: true, decidedOn: true, kind: true } });
      if (!d) return null;
      const what = d.kind === "correction" ? "Beslutet har rättats" : d.kind === "reconsideration" ? "Beslutet har omprövats" : "Beslut har fattats";
      const amount = d.outcome === "rejected" ? "" : ` Beviljat belopp: ${formatKronor(d.grantedOre)}.`;
      return {
        topic: "decision_made",
        applicationId: a.id,
        title: `Beslut i ärende ${appLabel(a)}`,
        body: `${what} ${formatDate(utcMidnightToPlainDate(d.decidedOn))}: ansökan ${OUTCOME[d.outcome] ?? d.outcome}.${amount} Läs beslutet och hur man överklagar i ärendet.`,
      };
    }
    case "disbursement.MARK_PAID": {
      const d = await tx.disbursement.findUniqueOrThrow({ where: { id: m.caseId }, select: { number: true, amountOre: true, paidOn: true, grant: { select: { applicationId: true } } } });
      const a = await applicationOf(tx, d.grant.applicationId);
      return {
        topic: "instalment_paid",
        applicationId: a.id,
        title: `Utbetalning gjord: ${appLabel(a)}`,
        body: `Utbetalning ${d.number} på ${formatKronor(d.amountOre)} har betalats ut${d.paidOn ? ` ${formatDate(utcMidnightToPlainDate(d.paidOn))}` : ""}.`,
      };
    }
    case "application.REQUEST_REPORT_COMPLETION": {
      const a = await applicationOf(tx, m.caseId);
      return {
        topic: "report_completion_requested",
        applicationId: a.id,
        title: `Komplettering av redovisning begärd: ${appLabel(a)}`,
        body: `Länsstyrelsen behöver fler uppgifter i redovisningen för ”${a.title}”. Se begäran i ärendet.`,
      };
    }
    case "application.DECIDE_RECLAIM": {
      const a = await applicationOf(tx, m.caseId);
      const r = await tx.reclaim.findFirst({ where: { grant: { applicationId: a.id }, state: { in: ["decided", "waived", "repaid"] } }, orderBy: { createdAt: "desc" }, select: { amountOre: true, dueOn: true, paymentReference: true } });
      return {
        topic: "reclaim_decided",
        applicationId: a.id,
        title: `Beslut om återkrav: ${appLabel(a)}`,
        body: r
          ? `Länsstyrelsen har beslutat att återkräva ${formatKronor(r.amountOre)}.${r.dueOn ? ` Beloppet ska vara betalt senast ${formatDate(utcMidnightToPlainDate(r.dueOn))}.` : ""} Ange ${r.paymentReference} vid betalning.`
          : `Länsstyrelsen har beslutat om återkrav. Se beslutet i ärendet.`,
      };
    }
    default:
      return null;
  }
}

export type DispatchResult = { processed: number; notices: number; emailIds: string[] };

/**
 * Handles up to `limit` unprocessed outbox messages in id order, one
 * transaction each. Returns the e-mails created, for the caller to enqueue.
 */
export async function dispatchOutbox(db: Db, opts: { limit?: number; now?: Date } = {}): Promise<DispatchResult> {
  const limit = opts.limit ?? 100;
  const result: DispatchResult = { processed: 0, notices: 0, emailIds: [] };
  for (let i = 0; i < limit; i++) {
    let failedId: bigint | undefined;
    let failure: unknown;
    const step = await db
      .$transaction(
        async (tx) => {
          const rows = await tx.$queryRaw<OutboxRow[]>`
            select id, topic, "caseType", "caseId"::text as "caseId", payload from "OutboxMessage"
            where "processedAt" is null and attempts < ${MAX_OUTBOX_ATTEMPTS}
            order by id limit 1 for update skip locked`;
          const m = rows[0];
          if (!m) return null;
          failedId = m.id;
          const notice = await noticeFor(tx, m);
          const emailIds: string[] = [];
          let notices = 0;
          if (notice) {
            const a = await applicationOf(tx, notice.applicationId);
            const users = await usersWithRole(tx, a.applicantOrgId, "applicant");
            for (const u of users) {
              const r = await createNotice(tx, {
                userId: u.id,
                topic: notice.topic,
                caseType: "application",
                caseId: a.id,
                title: notice.title,
                body: notice.body,
                link: caseLink(a.id),
                dedupeKey: `outbox:${m.id}:${u.id}`,
                now: opts.now,
              });
              if (r.created) notices++;
              if (r.emailId) emailIds.push(r.emailId);
            }
          }
          await tx.outboxMessage.update({ where: { id: m.id }, data: { processedAt: opts.now ?? new Date() } });
          return { notices, emailIds };
        },
        { timeout: 30_000, maxWait: 30_000 },
      )
      .catch((error: unknown) => {
        failure = error;
        return "failed" as const;
      });
    if (step === null) break;
    if (step === "failed") {
      // Recorded outside the rolled-back transaction; the message is tried again on the next run.
      if (failedId !== undefined) {
        await db.outboxMessage.update({ where: { id: failedId }, data: { attempts: { increment: 1 }, lastError: String(failure).slice(0, 1000) } });
        logger.error({ outboxId: String(failedId), error: String(failure) }, "outbox message failed");
      }
      throw failure;
    }
    result.processed++;
    result.notices += step.notices;
    result.emailIds.push(...step.emailIds);
  }
  return result;
}
