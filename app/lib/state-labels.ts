// Swedish words for the statecharts: a label and a plain "what happens now"
// for every state key of every machine, and a label (button text) for every
// event type. test/ui/state-labels.test.ts checks that nothing is missing, so
// a new state or event in workflows/ must be named here before it ships.
import type { WorkflowKind } from "../../workflows";

export type StateLabel = {
  /** Short name, shown in lists and badges. */
  label: string;
  /** One plain sentence: what happens now, and who does it. */
  next: string;
};

export const STATE_LABELS: Record<WorkflowKind, Record<string, StateLabel>> = {
  application: {
    draft: { label: "Utkast", next: "Ansökan är inte inlämnad. Den sökande kan fortsätta skriva och skicka in den innan utlysningen stänger." },
    submitted: { label: "Inlämnad", next: "Ansökan är registrerad och väntar på att en handläggare börjar granska den." },
    inAssessment: { label: "Under handläggning", next: "En handläggare granskar ansökan och föredrar den sedan för beslut." },
    completionRequested: { label: "Komplettering begärd", next: "Handläggaren väntar på att den sökande kompletterar ansökan före sista dag." },
    presented: { label: "Föredragen", next: "Ärendet är föredraget och väntar på beslut av en beslutsfattare." },
    awaitingSecondDecision: { label: "Väntar på andra beslutsfattare", next: "Beloppet är så stort att en andra beslutsfattare ska bekräfta beslutet." },
    rejected: { label: "Avslag", next: "Ansökan har fått avslag. Beslutet kan rättas eller omprövas om det finns skäl." },
    withdrawn: { label: "Återtagen", next: "Den sökande har återtagit ansökan. Ärendet är avslutat." },
    "grantActive.interimReport.due": { label: "Bidrag beviljat – delredovisning ska lämnas", next: "Mottagaren genomför projektet och lämnar en delredovisning senast på förfallodagen." },
    "grantActive.interimReport.submitted": { label: "Delredovisning inlämnad", next: "Handläggaren granskar delredovisningen." },
    "grantActive.interimReport.completionRequested": { label: "Delredovisning – komplettering begärd", next: "Mottagaren ska komplettera delredovisningen och skicka in den igen." },
    "grantActive.interimReport.resubmitted": { label: "Delredovisning kompletterad", next: "Handläggaren granskar den kompletterade delredovisningen." },
    "grantActive.finalReport.due": { label: "Bidrag beviljat – slutredovisning ska lämnas", next: "Mottagaren genomför projektet och lämnar en slutredovisning senast på förfallodagen." },
    "grantActive.finalReport.submitted": { label: "Slutredovisning inlämnad", next: "Handläggaren granskar slutredovisningen." },
    "grantActive.finalReport.completionRequested": { label: "Slutredovisning – komplettering begärd", next: "Mottagaren ska komplettera slutredovisningen och skicka in den igen." },
    "grantActive.finalReport.resubmitted": { label: "Slutredovisning kompletterad", next: "Handläggaren granskar den kompletterade slutredovisningen." },
    "reclaim.proposed": { label: "Återkrav föreslaget", next: "En beslutsfattare eller ekonomifunktionen beslutar om återkravet eller avslår förslaget." },
    "reclaim.decided": { label: "Återkrav beslutat", next: "Mottagaren ska betala tillbaka beloppet senast på förfallodagen, om det inte efterges." },
    "reclaim.repaid": { label: "Återbetalt", next: "Beloppet är återbetalt. En handläggare eller ekonomifunktionen avslutar ärendet." },
    "reclaim.waived": { label: "Återkrav eftergivet", next: "Återkravet är eftergivet. En handläggare eller ekonomifunktionen avslutar ärendet." },
    closed: { label: "Avslutat", next: "Ärendet är avslutat. Inget mer behöver göras." },
  },
  disbursement: {
    planned: { label: "Planerad", next: "Utbetalningen är planerad och attesteras när villkoren är uppfyllda, eller rekvireras först av mottagaren om det krävs." },
    requested: { label: "Rekvirerad", next: "Mottagaren har rekvirerat pengarna. Ekonomifunktionen attesterar utbetalningen." },
    attested: { label: "Attesterad", next: "Utbetalningen är attesterad och betalas ut av ekonomifunktionen." },
    paid: { label: "Utbetald", next: "Pengarna är utbetalda." },
    lapsed: { label: "Förfallen", next: "Pengarna rekvirerades inte i tid och betalas inte ut." },
    cancelled: { label: "Stoppad", next: "Utbetalningen är stoppad och betalas inte ut." },
  },
  call: {
    draft: { label: "Utkast", next: "Utlysningen är inte publicerad. En handläggare kan ändra villkoren och publicera den." },
    published: { label: "Öppen", next: "Utlysningen är publicerad. Ansökningar kan lämnas in fram till sista ansökningsdag." },
    closed: { label: "Stängd", next: "Sista ansökningsdag har passerat. Ansökningarna handläggs och beslutas." },
    decided: { label: "Beslutad", next: "Alla ansökningar har fått beslut. Utlysningen kan arkiveras." },
    archived: { label: "Arkiverad", next: "Utlysningen är arkiverad." },
  },
  assignment: {
    draft: { label: "Utkast", next: "Uppdraget är registrerat men inte aktiverat. Den ansvariga länsstyrelsen aktiverar det." },
    active: { label: "Pågående", next: "Uppdraget pågår. Medlen fördelas och utlysningar genomförs." },
    reporting: { label: "Redovisning pågår", next: "Länsstyrelserna sammanställer sina siffror. Samordnaren lämnar redovisningen till regeringen." },
    reported: { label: "Redovisat", next: "Redovisningen är lämnad till regeringen. Den ansvariga länsstyrelsen avslutar uppdraget." },
    closed: { label: "Avslutat", next: "Uppdraget är avslutat." },
  },
};

/** Button texts: the verb a user clicks. */
export const EVENT_LABELS: Record<WorkflowKind, Record<string, string>> = {
  application: {
    SUBMIT: "Skicka in ansökan",
    START_ASSESSMENT: "Påbörja handläggning",
    REQUEST_COMPLETION: "Begär komplettering",
    COMPLETE: "Skicka komplettering",
    RESUME_ASSESSMENT: "Fortsätt handläggning utan komplettering",
    PRESENT: "Föredra ärendet",
    RETURN_TO_ASSESSMENT: "Återförvisa till handläggning",
    DECIDE: "Fatta beslut",
    CONFIRM_DECISION: "Bekräfta beslutet",
    RETURN_DECISION: "Bekräfta inte beslutet",
    CORRECT_DECISION: "Rätta beslutet",
    RECONSIDER_DECISION: "Ompröva beslutet",
    DECLARE_CONFLICT_OF_INTEREST: "Anmäl jäv",
    WITHDRAW: "Återta ansökan",
    SUBMIT_REPORT: "Skicka in redovisning",
    REQUEST_REPORT_COMPLETION: "Begär komplettering av redovisningen",
    APPROVE_REPORT: "Godkänn redovisningen",
    PROPOSE_RECLAIM: "Föreslå återkrav",
    DECIDE_RECLAIM: "Besluta om återkrav",
    REJECT_RECLAIM: "Avslå förslaget om återkrav",
    WAIVE: "Efterge återkrav",
    MARK_REPAID: "Registrera återbetalning",
    CLOSE_CASE: "Avsluta ärendet",
  },
  disbursement: {
    REQUEST_PAYMENT: "Rekvirera pengarna",
    ATTEST: "Attestera",
    MARK_PAID: "Markera som utbetald",
    LAPSE: "Markera som förfallen",
    CANCEL: "Stoppa utbetalningen",
    SUPERSEDE: "Ersätt utbetalningen (nytt beslut)",
  },
  call: {
    EDIT_TERMS: "Ändra villkor",
    PUBLISH: "Publicera utlysningen",
    CLOSE: "Stäng utlysningen",
    CLOSE_BY_TIME: "Stäng utlysningen (sista dag passerad)",
    MARK_DECIDED: "Markera som beslutad",
    ARCHIVE: "Arkivera utlysningen",
  },
  assignment: {
    ACTIVATE: "Aktivera uppdraget",
    START_REPORTING: "Starta redovisningen",
    SUBMIT_REPORT: "Lämna redovisningen till regeringen",
    CLOSE: "Avsluta uppdraget",
  },
};

/** Audit events that are not statechart events (written when a case starts or money is planned). */
export const RECORD_EVENT_LABELS: Record<string, string> = {
  CREATED: "Skapat",
  ALLOCATE: "Medel fördelade",
  PLANNED: "Utbetalning planerad",
  /** Cases and instalments of earlier years, brought in from the import template (app/reports/import.server.ts). */
  IMPORTED: "Importerat från tidigare år",
};

/** What happened, in the past tense, for the timeline. */
export const EVENT_DONE_LABELS: Record<WorkflowKind, Record<string, string>> = {
  application: {
    SUBMIT: "Ansökan inlämnad och registrerad",
    START_ASSESSMENT: "Handläggning påbörjad",
    REQUEST_COMPLETION: "Komplettering begärd",
    COMPLETE: "Ansökan kompletterad",
    RESUME_ASSESSMENT: "Handläggningen fortsatte utan komplettering",
    PRESENT: "Ärendet föredraget",
    RETURN_TO_ASSESSMENT: "Återförvisat till handläggning",
    DECIDE: "Beslut fattat",
    CONFIRM_DECISION: "Beslutet bekräftat",
    RETURN_DECISION: "Beslutet bekräftades inte",
    CORRECT_DECISION: "Beslutet rättat",
    RECONSIDER_DECISION: "Beslutet omprövat",
    DECLARE_CONFLICT_OF_INTEREST: "Jäv anmält",
    WITHDRAW: "Ansökan återtagen",
    SUBMIT_REPORT: "Redovisning inlämnad",
    REQUEST_REPORT_COMPLETION: "Komplettering av redovisningen begärd",
    APPROVE_REPORT: "Redovisningen godkänd",
    PROPOSE_RECLAIM: "Återkrav föreslaget",
    DECIDE_RECLAIM: "Återkrav beslutat",
    REJECT_RECLAIM: "Förslaget om återkrav avslaget",
    WAIVE: "Återkrav eftergivet",
    MARK_REPAID: "Återbetalning registrerad",
    CLOSE_CASE: "Ärendet avslutat",
  },
  disbursement: {
    REQUEST_PAYMENT: "Pengarna rekvirerade",
    ATTEST: "Utbetalningen attesterad",
    MARK_PAID: "Utbetalningen gjord",
    LAPSE: "Rätten att rekvirera förföll",
    CANCEL: "Utbetalningen stoppad",
    SUPERSEDE: "Utbetalningen ersatt efter ändrat beslut",
  },
  call: {
    EDIT_TERMS: "Villkoren ändrade",
    PUBLISH: "Utlysningen publicerad",
    CLOSE: "Utlysningen stängd",
    CLOSE_BY_TIME: "Utlysningen stängd (sista dag passerad)",
    MARK_DECIDED: "Utlysningen markerad som beslutad",
    ARCHIVE: "Utlysningen arkiverad",
  },
  assignment: {
    ACTIVATE: "Uppdraget aktiverat",
    START_REPORTING: "Redovisningen startad",
    SUBMIT_REPORT: "Redovisningen lämnad till regeringen",
    CLOSE: "Uppdraget avslutat",
  },
};

export function stateLabel(kind: WorkflowKind, state: string | null | undefined): string {
  if (!state) return "–";
  return STATE_LABELS[kind][state]?.label ?? state;
}

export function stateNext(kind: WorkflowKind, state: string): string {
  return STATE_LABELS[kind][state]?.next ?? "";
}

export function eventLabel(kind: WorkflowKind, type: string): string {
  return EVENT_LABELS[kind][type] ?? RECORD_EVENT_LABELS[type] ?? type;
}

/** The timeline's words for an audit event (past tense). */
export function eventDoneLabel(kind: string, type: string): string {
  const byKind = (EVENT_DONE_LABELS as Record<string, Record<string, string>>)[kind];
  return byKind?.[type] ?? RECORD_EVENT_LABELS[type] ?? type;
}

// ---------------------------------------------------------------------------
// Domain words that are not statechart states

export const OUTCOME_LABELS: Record<string, string> = {
  approved: "Bifall",
  partly_approved: "Delvis bifall",
  rejected: "Avslag",
};

export const DECISION_KIND_LABELS: Record<string, string> = {
  original: "Beslut",
  correction: "Rättelse",
  reconsideration: "Omprövning",
};

export const REPORT_KIND_LABELS: Record<string, string> = { interim: "Delredovisning", final: "Slutredovisning" };

/** Report.state column (written by the effects, not a machine of its own). */
export const REPORT_STATE_LABELS: Record<string, string> = {
  due: "Ska lämnas",
  submitted: "Inlämnad",
  completion_requested: "Komplettering begärd",
  approved: "Godkänd",
};

export const RECLAIM_STATE_LABELS: Record<string, string> = {
  proposed: "Föreslaget",
  decided: "Beslutat",
  rejected: "Avslaget",
  waived: "Eftergivet",
  repaid: "Återbetalt",
};

export const GRANT_STATE_LABELS: Record<string, string> = { active: "Pågående", closed: "Avslutat", cancelled: "Upphävt" };

export const RECLAIM_GROUND_LABELS: Record<string, string> = {
  wrong_information: "Felaktiga uppgifter har lämnats",
  paid_wrongly_or_too_much: "Bidraget har betalats ut felaktigt eller med för högt belopp",
  not_used_for_purpose: "Bidraget har inte använts för avsett ändamål",
  conditions_not_followed: "Villkoren i beslutet har inte följts",
  no_report: "Redovisning har inte lämnats",
};

export const TRIGGER_LABELS: Record<string, string> = {
  at_start: "Vid projektstart",
  after_interim_report: "När delredovisningen är godkänd",
  after_final_report: "När slutredovisningen är godkänd",
};

export const DIRECTION_LABELS: Record<string, string> = { incoming: "Inkommande", outgoing: "Utgående", internal: "Upprättad" };

export const ORGANIZATION_KIND_LABELS: Record<string, string> = {
  county_board: "Länsstyrelse",
  government_agency: "Statlig myndighet",
  municipality: "Kommun",
  region: "Region",
  municipal_federation: "Kommunalförbund",
  nonprofit_association: "Ideell förening",
  foundation: "Stiftelse",
  other: "Annan organisation",
};
