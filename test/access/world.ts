// Two boards, each with its own applicant organization, users for every role,
// an assignment it runs and coordinates, a published and a draft call, and
// cases in several states (built through the real workflow engine), for the
// permission matrix and the case-page tests.
import type { Db } from "../../app/db.server";
import type { Role } from "../../app/generated/prisma/enums";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { allocate, createApplicationDraft, createAssignment, createCall } from "../../app/workflow/create.server";
import { cookiePair } from "../support/http";
import { createSession } from "../../app/auth/session.server";
import { boardOf, makeOrganization, makeUser } from "../support/fixtures";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";

/**
 * useTestDatabase(), retrying while the template database is briefly in use (the migration
 * engine's last pooled connection after global set-up, or another file cloning it at the same
 * moment: PostgreSQL then refuses `create database ... template` with "being accessed by other users").
 */
export function useWorldDatabase(): TestDatabase {
  const ref = {} as TestDatabase;
  beforeAll(async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        Object.assign(ref, await createTestDatabase());
        return;
      } catch (error) {
        if (attempt >= 150 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  }, 60_000);
  afterAll(async () => {
    await ref.db?.$disconnect();
  });
  return ref;
}

export const ROLES: Role[] = ["applicant", "officer", "decision_maker", "finance", "coordinator", "admin"];
export const ORIGIN = "http://localhost";
const MSEK = 100_000_000n;

type User = Awaited<ReturnType<typeof makeUser>>;

export type Side = {
  key: "A" | "B";
  boardId: string;
  applicantOrgId: string;
  users: Record<Role, User>;
  /** A second officer, for steps that need another person than the first. */
  officer2: User;
  assignmentId: string;
  assignmentTitle: string;
  callId: string;
  callTitle: string;
  draftCallId: string;
  draftCallTitle: string;
  /** grantActive, with two instalments (at start, after the final report). */
  grantedId: string;
  /** presented: waiting for a decision. */
  presentedId: string;
  /** submitted: in the officers' queue. */
  submittedId: string;
  /** still a draft. */
  draftId: string;
  disbursementIds: string[];
  /** Every case title and registration number of this side: must never appear in the other side's responses. */
  secrets: string[];
  secretDocument: string;
};

const NAMES = {
  A: { county: "05", municipality: "0580", org: "Alfa kommun", word: "Alfa" },
  B: { county: "01", municipality: "0180", org: "Beta kommun", word: "Beta" },
} as const;

export async function buildSide(db: Db, key: "A" | "B"): Promise<Side> {
  const n = NAMES[key];
  const board = await boardOf(db, n.county);
  const org = await makeOrganization(db, { name: n.org, municipalityCode: n.municipality });
  const users = {} as Record<Role, User>;
  for (const role of ROLES) {
    users[role] = await makeUser(db, [{ organizationId: role === "applicant" ? org.id : board.id, role }], `${n.word} ${role}`);
  }
  const officer2 = await makeUser(db, [{ organizationId: board.id, role: "officer" }], `${n.word} officer 2`);

  const t0 = new Date("2020-02-01T09:00:00Z");
  const assignmentTitle = `${n.word}uppdraget om våld i nära relationer`;
  const assignment = await createAssignment(
    db,
    users.officer,
    {
      reference: `REG-${key}-2020`,
      title: assignmentTitle,
      issuer: "Regeringen",
      fundingReference: "Regleringsbrev 2020",
      appropriation: "3:1",
      periodStart: new Date("2020-01-01"),
      periodEnd: new Date("2020-12-31"),
      totalOre: 20n * MSEK,
      responsibleBoardId: board.id,
      coordinatingBoardId: board.id,
      reportDueOn: new Date("2021-03-31"),
    },
    t0,
  );
  await applyWorkflowEvent(db, users.officer, "assignment", assignment.id, { type: "ACTIVATE" }, { now: t0 });
  const allocation = await allocate(db, users.officer, assignment.id, board.id, 5n * MSEK, t0);
  const callTitle = `${n.word}utlysningen 2020`;
  const terms = {
    budgetOre: 2n * MSEK,
    opensAt: new Date("2020-01-01T00:00:00Z"),
    closesAt: new Date("2099-12-31T22:59:59Z"),
    eligibleKinds: ["municipality" as const],
    finalReportDueOn: new Date("2021-02-28"),
    appealNotice: "Beslutet kan överklagas hos förvaltningsrätten.",
    paymentTerms: { instalments: [{ sharePercent: 50, trigger: "at_start" as const }, { sharePercent: 50, trigger: "after_final_report" as const }] },
  };
  const call = await createCall(db, users.officer, allocation.id, { ...terms, title: callTitle }, t0);
  await applyWorkflowEvent(db, users.officer, "call", call.id, { type: "PUBLISH" }, { now: t0 });
  const draftCallTitle = `${n.word}s opublicerade utlysning`;
  const draftCall = await createCall(db, users.officer, allocation.id, { ...terms, budgetOre: 1n * MSEK, title: draftCallTitle }, t0);

  const at = new Date("2020-03-01T10:00:00Z");
  const later = new Date("2020-04-01T10:00:00Z");
  const draft = async (title: string, requestedOre: bigint) =>
    createApplicationDraft(db, users.applicant, call.id, org.id, { title, requestedOre, budgetLines: [{ category: "Personal", amountOre: requestedOre }], contactName: `Kontakt ${n.word}` }, at);
  const submit = async (id: string, requestedOre: bigint) => applyWorkflowEvent(db, users.applicant, "application", id, { type: "SUBMIT", requestedOre: Number(requestedOre) }, { now: at });

  const granted = await draft(`${n.word}projektet Trygg skola`, 40_000_000n);
  await submit(granted.id, 40_000_000n);
  await applyWorkflowEvent(db, users.officer, "application", granted.id, { type: "START_ASSESSMENT" }, { now: later });
  await applyWorkflowEvent(db, users.officer, "application", granted.id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: 40_000_000 }, { now: later, details: { summary: `Bedömning ${n.word}` } });
  await applyWorkflowEvent(db, users.decision_maker, "application", granted.id, { type: "DECIDE", outcome: "approved", grantedOre: 40_000_000, reasons: "Uppfyller kriterierna." }, { now: later });

  const presented = await draft(`${n.word}projektet Stödgrupper`, 10_000_000n);
  await submit(presented.id, 10_000_000n);
  await applyWorkflowEvent(db, users.officer, "application", presented.id, { type: "START_ASSESSMENT" }, { now: later });
  await applyWorkflowEvent(db, users.officer, "application", presented.id, { type: "PRESENT", recommendation: "partly_approved", proposedGrantOre: 5_000_000 }, { now: later, details: { summary: "Delvis." } });

  const submitted = await draft(`${n.word}projektet Kunskapslyft`, 5_000_000n);
  await submit(submitted.id, 5_000_000n);

  const drafted = await draft(`${n.word}projektet Utkast`, 1_000_000n);

  const grantedRow = await db.application.findUniqueOrThrow({ where: { id: granted.id }, include: { grant: { include: { disbursements: { orderBy: { number: "asc" } } } } } });
  const secretDocument = `Sekretessbelagd polisanmälan ${n.word}`;
  await db.caseDocument.create({
    data: { boardId: board.id, applicationId: granted.id, registrationNumber: grantedRow.registrationNumber!, registeredOn: new Date("2020-04-02"), direction: "incoming", counterpart: "Polismyndigheten", description: secretDocument, secrecy: true, secrecyReason: "OSL 18 kap. 1 §" },
  });

  const apps = await db.application.findMany({ where: { applicantOrgId: org.id }, select: { title: true, registrationNumber: true } });
  const secrets = apps.flatMap((a) => [a.title, ...(a.registrationNumber ? [a.registrationNumber] : [])]);

  return {
    key,
    boardId: board.id,
    applicantOrgId: org.id,
    users,
    officer2,
    assignmentId: assignment.id,
    assignmentTitle,
    callId: call.id,
    callTitle,
    draftCallId: draftCall.id,
    draftCallTitle,
    grantedId: granted.id,
    presentedId: presented.id,
    submittedId: submitted.id,
    draftId: drafted.id,
    disbursementIds: grantedRow.grant!.disbursements.map((d) => d.id),
    secrets,
    secretDocument,
  };
}

/** A session cookie ("__session=…") for a user, made the way sign-in makes it. */
export async function sessionCookie(db: Db, userId: string): Promise<string> {
  const setCookie = await createSession(db, userId, new Request(`${ORIGIN}/logga-in`));
  return cookiePair(setCookie);
}

/** A request as a same-origin browser form or navigation sends it. */
export function browserRequest(path: string, init: { cookie?: string; form?: Record<string, string> } = {}): Request {
  const headers = new Headers();
  if (init.cookie) headers.set("Cookie", init.cookie);
  if (init.form) {
    headers.set("Origin", ORIGIN);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(ORIGIN + path, { method: init.form ? "POST" : "GET", headers, body: init.form ? new URLSearchParams(init.form) : undefined });
}


/** An unread in-app notice for a user (its text names no case), as the dispatcher writes one. Returns its id. */
export async function makeNotice(db: Db, userId: string, dedupeKey: string, link = "/"): Promise<string> {
  const notice = await db.notification.create({
    data: { userId, topic: "decision_made", title: "Beslut fattat", body: "Ett beslut har fattats i ett ärende.", link, dedupeKey },
  });
  return notice.id;
}

export { cookiePair, responseOf } from "../support/http";
