// The weighted total of the scores being entered in the presenting form, kept
// up to date as the officer picks scores. Without JavaScript the total is shown
// on the case once the case is presented (same calculation, app/assessment/scores.ts).
import { useEffect, useState } from "react";
import { formatScore, scoreField, weightedTotal } from "~/assessment/scores";

export function LiveScoreTotal({ formId, criteria }: { formId: string; criteria: { id: string; weight: number }[] }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement)) return;
    const update = () => {
      const data = new FormData(form);
      const scored = criteria.flatMap((c) => {
        const v = data.get(scoreField(c.id));
        return typeof v === "string" && v !== "" ? [{ weight: c.weight, score: Number(v) }] : [];
      });
      setText(scored.length === criteria.length ? formatScore(weightedTotal(scored)) : `${scored.length} av ${criteria.length} bedömningsgrunder poängsatta`);
    };
    update();
    form.addEventListener("change", update);
    return () => form.removeEventListener("change", update);
  }, [formId, criteria]);
  return (
    <p className="hint" aria-live="polite">
      Viktad summa: {text ?? "räknas ut när alla bedömningsgrunder har poäng"}
    </p>
  );
}
