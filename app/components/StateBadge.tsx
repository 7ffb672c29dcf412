// A case's state as text in a badge. The words carry the meaning; the colour only repeats it.
export function StateBadge({ label, tone = "neutral" }: { label: string; tone?: "neutral" | "action" | "done" | "stopped" }) {
  return <span className={`state state-${tone}`}>{label}</span>;
}

/** A rough tone for a state key, for the badge's border colour only. */
export function toneOf(state: string): "neutral" | "action" | "done" | "stopped" {
  if (["closed", "paid", "archived", "decided", "reported", "reclaim.repaid", "reclaim.waived"].includes(state)) return "done";
  if (["rejected", "withdrawn", "lapsed", "cancelled"].includes(state)) return "stopped";
  if (state === "draft" || state === "planned") return "neutral";
  return "action";
}
