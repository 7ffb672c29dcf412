// The officer's assessment: the call's criteria with weights, the scores given
// when the case was presented (with the weighted total), and warnings of
// double funding: the same organisation (organisationsnummer) with other
// applications or grants whose project periods overlap this one, in any call
// and at any board. Scores are written by the PRESENT event's effect
// (recordPresentation) from the details parsed here.
import type { Db } from "~/db.server";
import { sqlOf } from "~/sql.server";
import type { FieldSpec } from "~/cases/event-fields";
import { formatKronor } from "~/lib/money";
import { formatDate, utcMidnightToPlainDate } from "~/lib/dates";
import { stateLabel } from "~/lib/state-labels";
import { MAX_SCORE, MIN_SCORE, formatScore, scoreCommentField, scoreField, weightedTotal } from "./scores";

export type Criterion = { id: string; name: string; description: string; weight: number };

export async function criteriaOf(db: Db, callId: string): Promise<Criterion[]> {
  // Read by the case page on every visit: plain SQL (decision 0008).
  return sqlOf(db).query<Criterion>(`select id, name, description, weight from "CallCriterion" where "callId" = $1::uuid order by position asc`, [callId]);
}

/** The score fields of the PRESENT form: one 0–5 choice and an optional comment per criterion. */
export function scoreFields(criteria: Criterion[]): FieldSpec[] {
  const options = Array.from({ length: MAX_SCORE - MIN_SCORE + 1 }, (_, i) => ({ value: String(MIN_SCORE + i), label: String(MIN_SCORE + i) }));
  return criteria.flatMap((c): FieldSpec[] => [
    { name: scoreField(c.id), label: `Poäng: ${c.name} (vikt ${c.weight} %)`, type: "select", required: true, options, hint: `${c.description ? `${c.description} ` : ""}0 = uppfyller inte alls, ${MAX_SCORE} = uppfyller helt.` },
    { name: scoreCommentField(c.id), label: `Kommentar: ${c.name}`, type: "text" },
  ]);
}

export type ParsedScores = { ok: true; scores: { criterionId: string; score: number; comment?: string }[] } | { ok: false; fieldErrors: Record<string, string> };

/** Every criterion of the call scored with a whole number 0–5. */
export function parseScores(values: Record<string, string>, criteria: Criterion[]): ParsedScores {
  const fieldErrors: Record<string, string> = {};
  const scores: { criterionId: string; score: number; comment?: string }[] = [];
  for (const c of criteria) {
    const raw = (values[scoreField(c.id)] ?? "").trim();
    const score = Number(raw);
    if (raw === "" || !Number.isInteger(score) || score < MIN_SCORE || score > MAX_SCORE) {
      fieldErrors[scoreField(c.id)] = `Ge poäng ${MIN_SCORE}–${MAX_SCORE} för ${c.name}.`;
      continue;
    }
    const comment = (values[scoreCommentField(c.id)] ?? "").trim().slice(0, 2000);
    scores.push({ criterionId: c.id, score, ...(comment ? { comment } : {}) });
  }
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : { ok: true, scores };
}

export type ScoredAssessment = {
  criteria: { name: string; weight: number; score: number | null; comment: string }[];
  total: number | null;
  totalText: string;
};

export type ScoreRow = { assessmentId: string; criterionId: string; score: number; comment: string };

/** An assessment's scores next to the call's criteria, with the weighted total. */
export async function scoresOfAssessments(db: Db, callId: string, assessmentIds: string[]): Promise<Map<string, ScoredAssessment>> {
  const [criteria, rows] = await Promise.all([
    criteriaOf(db, callId),
    assessmentIds.length
      ? sqlOf(db).query<ScoreRow>(`select "assessmentId", "criterionId", score, comment from "AssessmentScore" where "assessmentId" = any($1::uuid[])`, [assessmentIds])
      : [],
  ]);
  return scoreAssessments(criteria, rows, assessmentIds);
}

/** The same from criteria and score rows already read (the case page reads them with the case). */
export function scoreAssessments(criteria: Criterion[], rows: ScoreRow[], assessmentIds: string[]): Map<string, ScoredAssessment> {
  const out = new Map<string, ScoredAssessment>();
  for (const id of assessmentIds) {
    const mine = rows.filter((r) => r.assessmentId === id);
    const list = criteria.map((c) => {
      const s = mine.find((r) => r.criterionId === c.id);
      return { name: c.name, weight: c.weight, score: s ? s.score : null, comment: s?.comment ?? "" };
    });
    const scored = list.filter((x): x is typeof x & { score: number } => x.score !== null);
    const total = scored.length === list.length ? weightedTotal(scored) : null;
    out.set(id, { criteria: list, total, totalText: formatScore(total) });
  }
  return out;
}

const day = (d: Date | null) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);

/** States in which an application neither is nor can become funded. */
const NOT_FUNDED = ["draft", "withdrawn", "rejected"];

export type DoubleFundingWarning = {
  id: string;
  registrationNumber: string | null;
  title: string;
  board: string;
  call: string;
  period: string;
  state: string;
  requested: string;
  granted: string | null;
};

/**
 * Other applications and grants of the same organisation whose project periods overlap this
 * one, in any call and at any board. Only periods both applications state can overlap: without
 * a period there is nothing to compare (the submission rules ask for one where the call limits it).
 */
export async function doubleFundingWarnings(
  db: Db,
  a: { id: string; applicantOrgId: string; projectStart: Date | null; projectEnd: Date | null },
): Promise<DoubleFundingWarning[]> {
  if (!a.projectStart || !a.projectEnd) return [];
  // On the applicant index, then the overlap: one plain-SQL statement (decision 0008).
  const rows = await sqlOf(db).query<{
    id: string;
    registrationNumber: string | null;
    title: string;
    state: string;
    requestedOre: bigint;
    projectStart: Date | null;
    projectEnd: Date | null;
    board: string;
    call: string;
    grantOre: bigint | null;
    grantState: string | null;
  }>(
    `select a.id, a."registrationNumber", a.title, a.state, a."requestedOre", a."projectStart", a."projectEnd", b.name as board, c.title as call,
            g."amountOre" as "grantOre", g.state::text as "grantState"
       from "Application" a
       join "Organization" b on b.id = a."boardId"
       join "Call" c on c.id = a."callId"
       left join "Grant" g on g."applicationId" = a.id
      where a."applicantOrgId" = $1::uuid and a.id <> $2::uuid and a.state <> all($3::text[])
        and a."projectStart" <= $4::date and a."projectEnd" >= $5::date
      order by a."projectStart" asc nulls last, a.id asc
      limit 50`,
    [a.applicantOrgId, a.id, NOT_FUNDED, isoDate(a.projectEnd), isoDate(a.projectStart)],
  );
  return rows.map((r) => ({
    id: r.id,
    registrationNumber: r.registrationNumber,
    title: r.title,
    board: r.board,
    call: r.call,
    period: r.projectStart || r.projectEnd ? `${day(r.projectStart) ?? "?"} – ${day(r.projectEnd) ?? "?"}` : "Ingen projektperiod angiven",
    state: stateLabel("application", r.state),
    requested: formatKronor(r.requestedOre),
    granted: r.grantOre !== null && r.grantState !== "cancelled" ? formatKronor(r.grantOre) : null,
  }));
}

/** A @db.Date value (UTC midnight) as the YYYY-MM-DD PostgreSQL reads as a date. */
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
