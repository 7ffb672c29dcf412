// Scores against a call's criteria: each criterion is scored 0–5 and carries a
// weight (percent). The weighted total is Σ(score × weight) / Σ weight, on the
// same 0–5 scale. No server imports: the case page and the decision screen use it.
export const MIN_SCORE = 0;
export const MAX_SCORE = 5;

export type CriterionScore = { weight: number; score: number };

/** The weighted total on the 0–5 scale, or null when nothing is scored (or all weights are 0). */
export function weightedTotal(scores: CriterionScore[]): number | null {
  const weights = scores.reduce((s, x) => s + x.weight, 0);
  if (scores.length === 0 || weights <= 0) return null;
  return scores.reduce((s, x) => s + x.score * x.weight, 0) / weights;
}

/** "3,65 av 5" */
export function formatScore(total: number | null): string {
  if (total === null) return "Inte poängsatt";
  return `${total.toLocaleString("sv-SE", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} av ${MAX_SCORE}`;
}

/** The form field that holds a criterion's score, and its comment. */
export const scoreField = (criterionId: string) => `score-${criterionId}`;
export const scoreCommentField = (criterionId: string) => `scoreComment-${criterionId}`;
