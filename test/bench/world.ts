// Builders for the benchmark and the concurrency/property tests: a board with
// its staff, an assignment and an allocation, published calls, and
// applications brought to "presented" through the real engine. No vitest
// imports here, so the benchmark (plain tsx) can use it too.
import { createDb, type Db } from "../../app/db.server";
import type { DisbursementTrigger } from "../../app/generated/prisma/enums";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { allocate, createApplicationDraft, createAssignment, createCall } from "../../app/workflow/create.server";
import { WorkflowRefused } from "../../app/workflow/errors";
import { boardOf, makeOrganization, makeUser } from "../support/fixtures";

export const MSEK = 100_000_000n; // 1 000 000 kr in öre

/** Times used by every world: the call is open in March 2020, decisions come in April. */
export const T = {
  created: new Date("2020-02-01T09:00:00Z"),
  opens: new Date("2020-02-01T00:00:00Z"),
  submitted: new Date("2020-03-01T10:00:00Z"),
  closes: new Date("2020-03-31T21:59:59Z"),
  assessed: new Date("2020-04-02T10:00:00Z"),
};

export type User = Awaited<ReturnType<typeof makeUser>>;

export type World = {
  boardId: string;
  countyCode: string;
  applicantOrgId: string;
  officer: User;
  officer2: User;
  decider: User;
  decider2: User;
  finance: User;
  applicant: User;
  /** Officer and decision maker at once: four-eyes must stop them deciding what they presented. */
  officerDecider: User;
  assignmentId: string;
  allocationId: string;
};

let worlds = 0;

/** A Prisma client with its own pool of `max` connections (a separate "app server"). */
export function prismaClient(url: string, max: number): Db {
  return createDb(url, { max });
}

export async function makeWorld(db: Db, opts: { countyCode?: string; totalOre?: bigint; allocationOre?: bigint } = {}): Promise<World> {
  const countyCode = opts.countyCode ?? "05";
  const board = await boardOf(db, countyCode);
  const org = await makeOrganization(db, { name: `Sökande kommun ${++worlds}`, municipalityCode: "0580" });
  const staff = (role: "officer" | "decision_maker" | "finance", name: string) => makeUser(db, [{ organizationId: board.id, role }], name);
  const officer = await staff("officer", "Handläggare");
  const officer2 = await staff("officer", "Handläggare 2");
  const decider = await staff("decision_maker", "Beslutsfattare");
  const decider2 = await staff("decision_maker", "Beslutsfattare 2");
  const finance = await staff("finance", "Ekonomi");
  const applicant = await makeUser(db, [{ organizationId: org.id, role: "applicant" }], "Sökande");
  const officerDecider = await makeUser(db, [{ organizationId: board.id, role: "officer" }, { organizationId: board.id, role: "decision_maker" }], "Handläggare och beslutsfattare");
  const stockholm = await boardOf(db, "01");
  const total = opts.totalOre ?? 1000n * MSEK;
  const assignment = await createAssignment(
    db,
    officer,
    {
      reference: `A2020/W${process.pid}-${worlds}-${Date.now()}`,
      title: "Utvecklingsmedel mot mäns våld mot kvinnor 2020",
      issuer: "Regeringen",
      fundingReference: "Regleringsbrev 2020",
      appropriation: "3:1",
      periodStart: new Date("2020-01-01"),
      periodEnd: new Date("2020-12-31"),
      totalOre: total,
      responsibleBoardId: board.id,
      coordinatingBoardId: stockholm.id,
      reportDueOn: new Date("2021-03-31"),
    },
    T.created,
  );
  const allocation = await allocate(db, officer, assignment.id, board.id, opts.allocationOre ?? total, T.created);
  return {
    boardId: board.id,
    countyCode,
    applicantOrgId: org.id,
    officer,
    officer2,
    decider,
    decider2,
    finance,
    applicant,
    officerDecider,
    assignmentId: assignment.id,
    allocationId: allocation.id,
  };
}

export type CallOptions = {
  budgetOre: bigint;
  interimReportRequired?: boolean;
  paymentRequestRequired?: boolean;
  secondDecisionMakerAboveOre?: bigint | null;
  instalments?: { sharePercent: number; trigger: DisbursementTrigger }[];
};

/** A published call under the world's allocation. */
export async function openCall(db: Db, w: World, o: CallOptions): Promise<string> {
  const call = await createCall(
    db,
    w.officer,
    w.allocationId,
    {
      title: "Utvecklingsmedel 2020",
      budgetOre: o.budgetOre,
      opensAt: T.opens,
      closesAt: T.closes,
      eligibleKinds: ["municipality"],
      interimReportRequired: o.interimReportRequired ?? false,
      interimReportDueOn: o.interimReportRequired ? new Date("2020-10-31") : null,
      finalReportDueOn: new Date("2021-02-28"),
      paymentRequestRequired: o.paymentRequestRequired ?? false,
      paymentRequestDays: o.paymentRequestRequired ? 30 : null,
      secondDecisionMakerAboveOre: o.secondDecisionMakerAboveOre ?? null,
      appealNotice: "Beslutet kan inte överklagas.",
      paymentTerms: { instalments: o.instalments ?? [{ sharePercent: 50, trigger: "at_start" }, { sharePercent: 50, trigger: "after_final_report" }] },
    },
    T.created,
  );
  await applyWorkflowEvent(db, w.officer, "call", call.id, { type: "PUBLISH" }, { now: T.created });
  return call.id;
}

export async function draftApplication(db: Db, w: World, callId: string, requestedOre: bigint, title = "Kompetenslyft i skolan"): Promise<string> {
  const draft = await createApplicationDraft(db, w.applicant, callId, w.applicantOrgId, { title, requestedOre }, T.submitted);
  return draft.id;
}

export async function submittedApplication(db: Db, w: World, callId: string, requestedOre: bigint): Promise<string> {
  const id = await draftApplication(db, w, callId, requestedOre);
  await applyWorkflowEvent(db, w.applicant, "application", id, { type: "SUBMIT", requestedOre: Number(requestedOre) }, { now: T.submitted });
  return id;
}

/** draft → submitted (registered) → inAssessment → presented with an approving recommendation. */
export async function presentedApplication(db: Db, w: World, callId: string, requestedOre: bigint, presenter: User = w.officer): Promise<string> {
  const id = await submittedApplication(db, w, callId, requestedOre);
  await applyWorkflowEvent(db, presenter, "application", id, { type: "START_ASSESSMENT" }, { now: T.assessed });
  await applyWorkflowEvent(db, presenter, "application", id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: Number(requestedOre) }, { now: T.assessed });
  return id;
}

export function approve(requestedOre: bigint | number) {
  return { type: "DECIDE", outcome: "approved", grantedOre: Number(requestedOre), reasons: "Ansökan uppfyller utlysningens kriterier." };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Outcome of one attempt: the value, a named refusal, or some other error. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; refused: WorkflowRefused } | { ok: false; error: unknown };

export async function attempt<T>(p: Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (e instanceof WorkflowRefused) return { ok: false, refused: e };
    return { ok: false, error: e };
  }
}

/** A promise and its resolver: lets several transactions line up before they race. */
export function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return () => {
    waiting++;
    if (waiting >= parties) release();
    return all;
  };
}
