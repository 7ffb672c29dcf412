// The decision letter (beslut) as Swedish authorities lay it out: the decision,
// background, reasons, conditions, how to appeal, and who decided and presented.
// Pure: the same composition serves the printed letter and the decision maker's
// preview before deciding, so the preview is exactly what will be sent.
import { formatKronor } from "~/lib/money";
import { formatDateLong, type PlainDate } from "~/lib/dates";

export type LetterOutcome = "approved" | "partly_approved" | "rejected";
export type LetterKind = "original" | "correction" | "reconsideration";

/** The facts a letter is made of, as stored (öre, dates). */
export type DecisionLetterFacts = {
  boardName: string;
  registrationNumber: string;
  decidedOn: PlainDate;
  kind: LetterKind;
  /** The decision this one replaces (corrections and reconsiderations). */
  supersedes: { decidedOn: PlainDate } | null;
  outcome: LetterOutcome;
  requestedOre: bigint;
  grantedOre: bigint;
  conditions: string;
  reasons: string;
  appealNotice: string;
  applicant: { name: string; orgNumber: string };
  projectTitle: string;
  projectPeriod: { start: PlainDate; end: PlainDate } | null;
  submittedOn: PlainDate | null;
  call: { title: string };
  assignment: { title: string; fundingReference: string } | null;
  decisionMakerName: string;
  presenterName: string;
  otherParticipants: string[];
  /** True for a preview: the letter is not yet decided. */
  draft: boolean;
};

/** What the page renders: plain strings and paragraphs, safe to serialise. */
export type DecisionLetterData = {
  draft: boolean;
  boardName: string;
  heading: string;
  decidedOnLong: string;
  registrationNumber: string;
  addressee: string[];
  subject: string;
  replaces: string | null;
  decision: string;
  background: string[];
  reasons: string[];
  conditions: string[];
  appeal: string[];
  signature: string[];
  outcome: LetterOutcome;
  granted: string;
};

const paragraphs = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);

const KIND_HEADING: Record<LetterKind, string> = {
  original: "Beslut",
  correction: "Beslut om rättelse",
  reconsideration: "Beslut efter omprövning",
};

function decisionSentence(f: DecisionLetterFacts): string {
  const who = f.applicant.name;
  const project = `projektet ”${f.projectTitle}”`;
  switch (f.outcome) {
    case "approved":
      return `${f.boardName} beviljar ${who} ${formatKronor(f.grantedOre)} i utvecklingsmedel för ${project}.`;
    case "partly_approved":
      return `${f.boardName} beviljar ${who} ${formatKronor(f.grantedOre)} av sökta ${formatKronor(f.requestedOre)} i utvecklingsmedel för ${project}. I övrigt avslås ansökan.`;
    case "rejected":
      return `${f.boardName} avslår ${who}s ansökan om ${formatKronor(f.requestedOre)} i utvecklingsmedel för ${project}.`;
  }
}

export function composeDecisionLetter(f: DecisionLetterFacts): DecisionLetterData {
  const background: string[] = [];
  const applied = f.submittedOn ? `Den ${formatDateLong(f.submittedOn)} ansökte ${f.applicant.name}` : `${f.applicant.name} har ansökt`;
  const period = f.projectPeriod ? ` för perioden ${formatDateLong(f.projectPeriod.start)}–${formatDateLong(f.projectPeriod.end)}` : "";
  background.push(`${applied} om ${formatKronor(f.requestedOre)} inom utlysningen ”${f.call.title}” för projektet ”${f.projectTitle}”${period}.`);
  if (f.assignment) {
    background.push(`Medlen kommer från regeringsuppdraget ”${f.assignment.title}” (${f.assignment.fundingReference}).`);
  }

  const signature = [`${f.decisionMakerName} har beslutat i detta ärende. ${f.presenterName} har varit föredragande.`];
  if (f.otherParticipants.length > 0) {
    signature.push(`I den slutliga handläggningen har även ${joinSwedish(f.otherParticipants)} deltagit.`);
  }

  return {
    draft: f.draft,
    boardName: f.boardName,
    heading: KIND_HEADING[f.kind],
    decidedOnLong: formatDateLong(f.decidedOn),
    registrationNumber: f.registrationNumber,
    addressee: [f.applicant.name, `Organisationsnummer ${f.applicant.orgNumber}`],
    subject: `Ansökan om utvecklingsmedel – ${f.projectTitle}`,
    replaces: f.supersedes
      ? `Detta beslut ersätter ${f.boardName}s beslut den ${formatDateLong(f.supersedes.decidedOn)} i samma ärende.`
      : null,
    decision: decisionSentence(f),
    background,
    reasons: paragraphs(f.reasons),
    conditions: f.outcome === "rejected" ? [] : paragraphs(f.conditions),
    appeal: paragraphs(f.appealNotice),
    signature,
    outcome: f.outcome,
    granted: formatKronor(f.grantedOre),
  };
}

function joinSwedish(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} och ${names[names.length - 1]}`;
}
