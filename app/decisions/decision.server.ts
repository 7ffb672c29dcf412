// The decision screen (/beslut/:id): the officer's recommendation with scores
// and weighted total, the call's budget left now and after this decision, the
// decision form when the statechart lets this user decide (else why not), and
// a preview of the decision letter composed from what the decision maker has
// typed, exactly as app/decisions/letter.ts will compose the real one.
import type { Db } from "~/db.server";
import { requireApplication, notFound, orgIdsWithRole, type Principal } from "~/access/permissions.server";
import { allowedEvents } from "~/workflow/engine.server";
import { formatKronor, parseKronor, oreToKronorInput } from "~/lib/money";
import { formatDate, formatDateTime, toPlainDate, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { OUTCOME_LABELS, stateLabel } from "~/lib/state-labels";
import { scoresOfAssessments } from "~/assessment/assessment.server";
import { composeDecisionLetter, type DecisionLetterData, type LetterOutcome } from "./letter";
import { whyNotDecider } from "./queue.server";

const kr = (ore: bigint) => formatKronor(ore);
const day = (d: Date | null) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);

export type DecisionDraft = { outcome: string; granted: string; reasons: string; conditions: string; rejectionCategory: string };

/** The amount a draft decision grants: typed, else the whole requested amount for approval, 0 for rejection. */
function draftGrantedOre(draft: DecisionDraft, requestedOre: bigint): bigint | null {
  if (draft.outcome === "rejected") return 0n;
  if (draft.granted.trim() !== "") {
    const r = parseKronor(draft.granted);
    return r.ok ? r.ore : null;
  }
  return draft.outcome === "approved" ? requestedOre : null;
}

export async function loadDecisionScreen(db: Db, user: Principal, applicationId: string, preview: DecisionDraft | null, now = new Date()) {
  const found = await requireApplication(db, user, applicationId);
  // The decision screen is the decision makers' own: other readers use the case page.
  if (!orgIdsWithRole(user, ["decision_maker"]).includes(found.boardId)) throw notFound();
  const a = await db.application.findUniqueOrThrow({
    where: { id: applicationId },
    include: {
      applicantOrg: { select: { name: true, orgNumber: true } },
      board: { select: { name: true } },
      call: { select: { id: true, title: true, budgetOre: true, grantedOre: true, appealNotice: true, allocation: { select: { assignment: { select: { title: true, fundingReference: true } } } } } },
      assessments: { orderBy: { createdAt: "desc" }, take: 1 },
      conflicts: { select: { userId: true } },
    },
  });
  const assessment = a.assessments[0] ?? null;
  const scores = assessment ? (await scoresOfAssessments(db, a.callId, [assessment.id])).get(assessment.id) : undefined;
  const names = new Map((await db.user.findMany({ where: { id: { in: [user.id, ...(assessment ? [assessment.officerId] : [])] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const events = await allowedEvents(db, user, "application", a.id, now);
  const mayDecide = events.includes("DECIDE");
  const cannot = whyNotDecider(user.id, assessment?.officerId ?? null, a.conflicts.some((c) => c.userId === user.id));

  const leftOre = a.call.budgetOre - a.call.grantedOre;
  const proposedOre = assessment?.recommendedOre ?? null;
  const defaults: DecisionDraft = {
    outcome: assessment?.recommendation ?? "",
    granted: proposedOre !== null && assessment?.recommendation !== "rejected" ? oreToKronorInput(proposedOre) : "",
    reasons: "",
    conditions: "",
    rejectionCategory: "",
  };
  const draft = preview ?? defaults;
  const afterOre = draftGrantedOre(draft, a.requestedOre);
  // What is left after this decision means something only before it is made: once decided (or
  // waiting for a second decision maker) the amount is already counted in what is granted.
  const afterLeftOre = a.state === "presented" ? afterOre : null;

  let letter: DecisionLetterData | null = null;
  if (preview && (preview.outcome === "approved" || preview.outcome === "partly_approved" || preview.outcome === "rejected") && afterOre !== null) {
    letter = composeDecisionLetter({
      draft: true,
      boardName: a.board.name,
      registrationNumber: a.registrationNumber ?? "–",
      decidedOn: todayInStockholm(now),
      kind: "original",
      supersedes: null,
      outcome: preview.outcome as LetterOutcome,
      requestedOre: a.requestedOre,
      grantedOre: afterOre,
      conditions: preview.conditions,
      reasons: preview.reasons || "(Motivering saknas.)",
      appealNotice: a.call.appealNotice,
      applicant: a.applicantOrg,
      projectTitle: a.title,
      projectPeriod: a.projectStart && a.projectEnd ? { start: utcMidnightToPlainDate(a.projectStart), end: utcMidnightToPlainDate(a.projectEnd) } : null,
      submittedOn: a.submittedAt ? toPlainDate(a.submittedAt) : null,
      call: { title: a.call.title },
      assignment: a.call.allocation.assignment,
      decisionMakerName: names.get(user.id) ?? "–",
      presenterName: assessment ? (names.get(assessment.officerId) ?? "–") : "–",
      otherParticipants: [],
    });
  }

  return {
    id: a.id,
    version: a.version,
    title: a.title,
    registrationNumber: a.registrationNumber,
    state: a.state,
    stateLabel: stateLabel("application", a.state),
    applicant: `${a.applicantOrg.name} (org.nr ${a.applicantOrg.orgNumber})`,
    call: { id: a.call.id, title: a.call.title },
    projectPeriod: a.projectStart || a.projectEnd ? `${day(a.projectStart) ?? "?"} – ${day(a.projectEnd) ?? "?"}` : null,
    submittedAt: a.submittedAt ? formatDateTime(a.submittedAt) : null,
    requested: kr(a.requestedOre),
    recommendation: assessment
      ? {
          outcome: assessment.recommendation ? OUTCOME_LABELS[assessment.recommendation] : "–",
          amount: proposedOre !== null ? kr(proposedOre) : null,
          summary: assessment.summary,
          presenter: names.get(assessment.officerId) ?? "Okänd användare",
          presentedAt: formatDateTime(assessment.createdAt),
          scores: scores?.criteria ?? [],
          total: scores?.totalText ?? null,
        }
      : null,
    budget: {
      total: kr(a.call.budgetOre),
      granted: kr(a.call.grantedOre),
      left: kr(leftOre),
      after: afterLeftOre !== null ? kr(leftOre - afterLeftOre) : null,
      afterIsNegative: afterLeftOre !== null && leftOre - afterLeftOre < 0n,
      afterBasis: preview ? "det belopp du har angett" : proposedOre !== null ? "föredragandens förslag" : "det sökta beloppet",
    },
    mayDecide,
    /** Why the form is not offered: the four-eyes and jäv rules in words, or the case's state. */
    cannotDecide: mayDecide ? null : (cannot ?? (a.state === "presented" ? "Du kan inte besluta i ärendet." : a.state === "awaitingSecondDecision" ? "Beslutet är fattat och väntar på att en andra beslutsfattare bekräftar det. Det görs på ärendets sida." : `Ärendet är inte föredraget för beslut (${stateLabel("application", a.state)}).`)),
    draft,
    letter,
  };
}

export type DecisionScreen = Awaited<ReturnType<typeof loadDecisionScreen>>;

/** The draft decision in a preview request's query string, or null when no preview was asked for. */
export function previewFrom(params: URLSearchParams): DecisionDraft | null {
  if (params.get("forhandsgranska") !== "1") return null;
  const get = (k: string) => (params.get(k) ?? "").slice(0, 10_000);
  return { outcome: get("outcome"), granted: get("granted"), reasons: get("reasons"), conditions: get("conditions"), rejectionCategory: get("rejectionCategory") };
}
