// The officers' and decision makers' world: side A and B of test/access/world.ts,
// plus, on side A, a call with weighted criteria, a second officer and a
// person with both the officer and the decision-maker role (for four-eyes
// breaches), and helpers that move applications through the real engine.
import type { Db } from "../../app/db.server";
import type { Principal } from "../../app/access/permissions.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft, createCall } from "../../app/workflow/create.server";
import { makeOrganization, makeUser } from "../support/fixtures";
import { browserRequest, responseOf, sessionCookie, type Side } from "../access/world";

export const AT = new Date("2020-03-02T09:00:00Z");
const MSEK = 100_000_000n;

export type User = Awaited<ReturnType<typeof makeUser>>;

/** A published call of side A's allocation with three weighted criteria (50/30/20). */
export async function makeScoredCall(db: Db, A: Side, opts: { title: string; budgetOre?: bigint; secondDecisionMakerAboveOre?: bigint }) {
  const allocation = await db.allocation.findFirstOrThrow({ where: { assignmentId: A.assignmentId, boardId: A.boardId } });
  const call = await createCall(
    db,
    A.users.officer,
    allocation.id,
    {
      title: opts.title,
      budgetOre: opts.budgetOre ?? MSEK / 2n,
      opensAt: new Date("2020-01-01T00:00:00Z"),
      closesAt: new Date("2099-12-31T22:59:59Z"),
      eligibleKinds: ["municipality", "nonprofit_association"],
      finalReportDueOn: new Date("2021-02-28"),
      appealNotice: "Beslutet kan överklagas hos förvaltningsrätten.",
      ...(opts.secondDecisionMakerAboveOre !== undefined ? { secondDecisionMakerAboveOre: opts.secondDecisionMakerAboveOre } : {}),
      paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
      criteria: [
        { name: "Behov", description: "Behovet är beskrivet.", weight: 50 },
        { name: "Samverkan", weight: 30 },
        { name: "Budget", weight: 20 },
      ],
    },
    AT,
  );
  await applyWorkflowEvent(db, A.users.officer, "call", call.id, { type: "PUBLISH" }, { now: AT });
  const criteria = await db.callCriterion.findMany({ where: { callId: call.id }, orderBy: { position: "asc" } });
  return { id: call.id, criteria };
}

/** A submitted application (registered, in the queue). */
export async function submitted(db: Db, applicant: Principal, applicantOrgId: string, callId: string, title: string, requestedOre: bigint, extra: { projectStart?: Date; projectEnd?: Date; description?: string } = {}, now = AT) {
  const draft = await createApplicationDraft(db, applicant, callId, applicantOrgId, { title, requestedOre, budgetLines: [{ category: "Personal", amountOre: requestedOre }], ...extra }, now);
  await applyWorkflowEvent(db, applicant, "application", draft.id, { type: "SUBMIT", requestedOre: Number(requestedOre) }, { now });
  return draft.id;
}

/** Submitted, assessed and presented by `officer` with a recommendation. */
export async function presented(db: Db, side: { applicant: Principal; applicantOrgId: string }, officer: Principal, callId: string, title: string, requestedOre: bigint, recommendation: { outcome: "approved" | "partly_approved" | "rejected"; proposedOre?: bigint }) {
  const id = await submitted(db, side.applicant, side.applicantOrgId, callId, title, requestedOre);
  await applyWorkflowEvent(db, officer, "application", id, { type: "START_ASSESSMENT" }, { now: AT });
  const proposed = recommendation.proposedOre ?? (recommendation.outcome === "approved" ? requestedOre : recommendation.outcome === "rejected" ? 0n : undefined);
  await applyWorkflowEvent(db, officer, "application", id, { type: "PRESENT", recommendation: recommendation.outcome, ...(proposed !== undefined ? { proposedGrantOre: Number(proposed) } : {}) }, { now: AT, details: { summary: `Bedömning av ${title}` } });
  return id;
}

/** The extra people of side A. */
export async function extraPeople(db: Db, A: Side) {
  const officer3 = await makeUser(db, [{ organizationId: A.boardId, role: "officer" }], "Alfa officer 3");
  const both = await makeUser(
    db,
    [
      { organizationId: A.boardId, role: "officer" },
      { organizationId: A.boardId, role: "decision_maker" },
    ],
    "Alfa officer och beslutsfattare",
  );
  const decisionMaker2 = await makeUser(db, [{ organizationId: A.boardId, role: "decision_maker" }], "Alfa beslutsfattare 2");
  const otherMunicipalityOrg = await makeOrganization(db, { name: "Gamma förening", kind: "nonprofit_association", municipalityCode: "0581" });
  const otherApplicant = await makeUser(db, [{ organizationId: otherMunicipalityOrg.id, role: "applicant" }], "Gamma applicant");
  return { officer3, both, decisionMaker2, otherMunicipalityOrg, otherApplicant };
}

type RouteModule = { loader?: (args: never) => unknown; action?: (args: never) => unknown };

/** Calls a route module's loader as a signed-in user (GET). */
export async function get(db: Db, mod: RouteModule, userId: string, path: string, params: Record<string, string> = {}) {
  const cookie = await sessionCookie(db, userId);
  const loader = mod.loader as (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
  return responseOf(() => loader({ request: browserRequest(path, { cookie }), params, context: {} }));
}

/** Posts a form to a route module's action as a signed-in user (repeated keys as arrays). */
export async function post(db: Db, mod: RouteModule, userId: string, path: string, form: Record<string, string | string[]>, params: Record<string, string> = {}) {
  const cookie = await sessionCookie(db, userId);
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const headers = new Headers({ Cookie: cookie, Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded" });
  const action = mod.action as (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
  return responseOf(() => action({ request: new Request(`http://localhost${path}`, { method: "POST", headers, body }), params, context: {} }));
}

/** What a case looks like in the database: enough to prove that nothing changed. */
export async function caseState(db: Db, id: string) {
  const a = await db.application.findUniqueOrThrow({ where: { id }, select: { state: true, version: true, officerId: true, callId: true } });
  return {
    state: a.state,
    version: a.version,
    officerId: a.officerId,
    audit: await db.auditEvent.count({ where: { caseType: "application", caseId: id } }),
    decisions: await db.decision.count({ where: { applicationId: id } }),
    granted: (await db.call.findUniqueOrThrow({ where: { id: a.callId } })).grantedOre,
  };
}
