// What happens next, in plain Swedish for the applicant: someone who applies
// once a year and should not need to know how a county board works inside.
// The board's own wording for each state is in app/lib/state-labels.ts; this
// speaks to the applicant ("ni") and says what, if anything, they must do.
import { stateNext } from "~/lib/state-labels";

const FOR_APPLICANT: Record<string, string> = {
  draft: "Ansökan är ett utkast och har inte skickats till länsstyrelsen. Ni kan ändra i den och spara så ofta ni vill. Skicka in den innan utlysningen stänger.",
  submitted: "Ansökan har kommit in och fått ett diarienummer. En handläggare kommer att granska den. Ni behöver inte göra något nu; vi hör av oss om något saknas.",
  inAssessment: "En handläggare granskar ansökan. Om något behöver kompletteras får ni ett meddelande här och via e-post. Därefter fattas ett beslut.",
  completionRequested: "Handläggaren behöver fler uppgifter. Läs frågan nedan, ändra ansökan och skicka kompletteringen före sista dag. Annars kan ansökan bedömas som den är.",
  presented: "Handläggaren har gjort klart sin bedömning. Nu väntar ansökan på beslut. Ni får besked här och via e-post.",
  awaitingSecondDecision: "Ett beslut är på väg. Eftersom beloppet är stort ska en andra beslutsfattare bekräfta det. Ni får besked här och via e-post.",
  rejected: "Ansökan har fått avslag. Läs beslutet och skälen nedan. Där står också hur man överklagar, om beslutet får överklagas.",
  withdrawn: "Ni har återtagit ansökan. Ärendet är avslutat och ingenting mer behöver göras.",
  "grantActive.interimReport.due": "Ni har fått bidrag. Genomför projektet enligt ansökan och villkoren i beslutet, rekvirera pengarna om det krävs, och lämna en delredovisning senast på förfallodagen.",
  "grantActive.interimReport.submitted": "Er delredovisning har kommit in och granskas av handläggaren.",
  "grantActive.interimReport.completionRequested": "Handläggaren vill att ni kompletterar delredovisningen. Lämna den igen med de uppgifter som saknas.",
  "grantActive.interimReport.resubmitted": "Er kompletterade delredovisning har kommit in och granskas av handläggaren.",
  "grantActive.finalReport.due": "Ni har fått bidrag. Genomför projektet enligt ansökan och villkoren i beslutet, rekvirera pengarna om det krävs, och lämna en slutredovisning senast på förfallodagen.",
  "grantActive.finalReport.submitted": "Er slutredovisning har kommit in och granskas av handläggaren. Pengar som inte har använts kan komma att krävas tillbaka.",
  "grantActive.finalReport.completionRequested": "Handläggaren vill att ni kompletterar slutredovisningen. Lämna den igen med de uppgifter som saknas.",
  "grantActive.finalReport.resubmitted": "Er kompletterade slutredovisning har kommit in och granskas av handläggaren.",
  "reclaim.proposed": "Redovisningen visar att pengar inte har använts, eller att villkoren inte följts. Länsstyrelsen prövar nu om pengar ska betalas tillbaka. Ni får ett beslut.",
  "reclaim.decided": "Länsstyrelsen har beslutat att pengar ska betalas tillbaka. Betala beloppet senast på förfallodagen och ange diarienumret som referens.",
  "reclaim.repaid": "Återbetalningen har kommit in. Ärendet avslutas av länsstyrelsen.",
  "reclaim.waived": "Länsstyrelsen har efterskänkt återbetalningen. Ärendet avslutas av länsstyrelsen.",
  closed: "Ärendet är avslutat. Tack för redovisningen! Ingenting mer behöver göras.",
};

/** The applicant's "what happens next" for a state (the board's wording where none is written). */
export function applicantNext(state: string): string {
  return FOR_APPLICANT[state] ?? stateNext("application", state);
}

/** May the call still take applications? (A published call also stops at its closing time before the timer closes it.) */
export const callOpen = (call: { state: string; closesAt: Date }, now: Date) => call.state === "published" && now < call.closesAt;

export const CLOSED_DRAFT = "Utlysningen har stängt: utkastet kan inte längre skickas in";

/** What happens next for one application: a draft whose call has closed can no longer be sent. */
export function applicantNextFor(state: string, call: { state: string; closesAt: Date }, now: Date): string {
  return state === "draft" && !callOpen(call, now) ? `${CLOSED_DRAFT}. Ni kan återta utkastet om ni inte vill ha kvar det i listan.` : applicantNext(state);
}

/** "3 dagar kvar", "i dag är sista dagen", "2 dagar sedan": days from today to a due date. */
export function daysLeftText(days: number): string {
  if (days > 1) return `${days} dagar kvar`;
  if (days === 1) return "1 dag kvar";
  if (days === 0) return "i dag är sista dagen";
  return days === -1 ? "försenad 1 dag" : `försenad ${-days} dagar`;
}
