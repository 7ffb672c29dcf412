// A small world for the notification tests: a board with staff, an applicant
// organization with two applicant users, a published call, and helpers that
// move applications through the real workflow engine (which writes the outbox).
import type { Db } from "../../app/db.server";
import { boardOf, makeOrganization, makePublishedCall, makeUser } from "../support/fixtures";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { startCaptureSmtp, type CaptureSmtp } from "../../app/notifications/smtp-capture.server";
import type { ParsedMail } from "../../app/notifications/mime";

const MSEK = 100_000_000n;

export type World = Awaited<ReturnType<typeof makeWorld>>;

export async function makeWorld(db: Db, opts: { closesAt?: Date } = {}) {
  const board = await boardOf(db, "05");
  const stockholm = await boardOf(db, "01");
  const org = await makeOrganization(db, { name: "Linköpings kommun", municipalityCode: "0580" });
  const officer = await makeUser(db, [{ organizationId: board.id, role: "officer" }], "Handläggare");
  const decider = await makeUser(db, [{ organizationId: board.id, role: "decision_maker" }], "Beslutsfattare");
  const finance = await makeUser(db, [{ organizationId: board.id, role: "finance" }], "Ekonomi");
  const applicant = await makeUser(db, [{ organizationId: org.id, role: "applicant" }], "Sökande");
  const applicant2 = await makeUser(db, [{ organizationId: org.id, role: "applicant" }], "Sökande 2");
  const { call } = await makePublishedCall(db, officer, board.id, {
    coordinatingBoardId: stockholm.id,
    totalOre: 20n * MSEK,
    allocationOre: 5n * MSEK,
    call: { budgetOre: 1n * MSEK, ...(opts.closesAt ? { closesAt: opts.closesAt } : {}) },
  });

  async function submit(title: string, requestedOre = 10_000_000n): Promise<string> {
    const at = new Date("2020-03-01T10:00:00Z");
    const draft = await createApplicationDraft(db, applicant, call.id, org.id, { title, requestedOre }, at);
    await applyWorkflowEvent(db, applicant, "application", draft.id, { type: "SUBMIT", requestedOre: Number(requestedOre) }, { now: at });
    return draft.id;
  }

  async function approve(id: string, grantedOre = 10_000_000): Promise<void> {
    const at = new Date("2020-04-02T10:00:00Z");
    await applyWorkflowEvent(db, officer, "application", id, { type: "START_ASSESSMENT" }, { now: at });
    await applyWorkflowEvent(db, officer, "application", id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: grantedOre }, { now: at });
    await applyWorkflowEvent(db, decider, "application", id, { type: "DECIDE", outcome: "approved", grantedOre, reasons: "Ansökan uppfyller kriterierna." }, { now: at });
  }

  return { board, org, officer, decider, finance, applicant, applicant2, call, submit, approve };
}

export type Received = ParsedMail & { envelopeFrom: string; envelopeTo: string[] };

/** A real SMTP server on a free port that records what it accepts; hooks for failing and delaying. */
export async function mailSink(hooks: { beforeAccept?: (raw: string) => Promise<Error | void> | Error | void; onRcptTo?: () => Promise<void> } = {}) {
  const received: Received[] = [];
  const server: CaptureSmtp = await startCaptureSmtp({
    onMessage: (m) => received.push(m),
    beforeAccept: hooks.beforeAccept,
    serverOptions: hooks.onRcptTo
      ? {
          onRcptTo(_address, _session, callback) {
            void hooks.onRcptTo!().then(() => callback(), () => callback());
          },
        }
      : {},
  });
  return { ...server, received };
}

export function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
