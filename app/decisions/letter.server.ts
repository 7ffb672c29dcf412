// Loads a stored decision as its letter, for everyone who may read the case:
// the board's staff, the coordinating board and the applicant organization.
import type { Db } from "~/db.server";
import { isUuid, notFound, requireApplication, type Principal } from "~/access/permissions.server";
import { utcMidnightToPlainDate, toPlainDate } from "~/lib/dates";
import { composeDecisionLetter, type DecisionLetterData } from "./letter";

/** The decision in force (the latest, not superseded) or the one asked for; 404 outside the user's scope. */
export async function loadDecisionLetter(db: Db, user: Principal, applicationId: string, decisionId?: string | null): Promise<DecisionLetterData> {
  await requireApplication(db, user, applicationId);
  if (decisionId != null && !isUuid(decisionId)) throw notFound();
  const decision = await db.decision.findFirst({
    where: decisionId ? { id: decisionId, applicationId } : { applicationId, supersededBy: { is: null } },
    orderBy: { decidedAt: "desc" },
    include: {
      supersedes: { select: { decidedOn: true } },
      application: {
        include: {
          applicantOrg: { select: { name: true, orgNumber: true } },
          board: { select: { name: true } },
          call: { select: { title: true, allocation: { select: { assignment: { select: { title: true, fundingReference: true } } } } } },
        },
      },
    },
  });
  if (!decision) throw notFound();
  const a = decision.application;
  const names = await userNames(db, [decision.decisionMakerId, decision.presenterId, ...decision.otherParticipants]);
  return composeDecisionLetter({
    draft: false,
    boardName: a.board.name,
    registrationNumber: a.registrationNumber ?? "–",
    decidedOn: utcMidnightToPlainDate(decision.decidedOn),
    kind: decision.kind,
    supersedes: decision.supersedes ? { decidedOn: utcMidnightToPlainDate(decision.supersedes.decidedOn) } : null,
    outcome: decision.outcome,
    requestedOre: decision.requestedOre,
    grantedOre: decision.grantedOre,
    conditions: decision.conditions,
    reasons: decision.reasons,
    appealNotice: decision.appealNotice,
    applicant: a.applicantOrg,
    projectTitle: a.title,
    projectPeriod: a.projectStart && a.projectEnd ? { start: utcMidnightToPlainDate(a.projectStart), end: utcMidnightToPlainDate(a.projectEnd) } : null,
    submittedOn: a.submittedAt ? toPlainDate(a.submittedAt) : null,
    call: { title: a.call.title },
    assignment: a.call.allocation.assignment,
    decisionMakerName: names(decision.decisionMakerId),
    presenterName: names(decision.presenterId),
    otherParticipants: decision.otherParticipants.filter((p) => p !== decision.decisionMakerId && p !== decision.presenterId).map(names),
  });
}

/** Participants are stored as user ids; older or imported decisions may carry plain names. */
async function userNames(db: Db, ids: string[]): Promise<(id: string) => string> {
  const uuids = [...new Set(ids.filter((id) => isUuid(id)))];
  const users = uuids.length ? await db.user.findMany({ where: { id: { in: uuids } }, select: { id: true, name: true } }) : [];
  const byId = new Map(users.map((u) => [u.id, u.name]));
  return (id) => byId.get(id) ?? (isUuid(id) ? "Okänd handläggare" : id);
}
