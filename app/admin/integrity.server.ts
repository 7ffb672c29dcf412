// The auditor's check, on demand: every budget invariant over the whole
// database and every audit chain. The same checks run in `npm run audit:verify`.
import type { Db } from "~/db.server";
import { reconcile, type InvariantViolation } from "~/workflow/budget.server";
import { verifyAuditChains, type ChainBreak } from "~/workflow/audit.server";

export type IntegrityReport = {
  checkedAt: string;
  violations: InvariantViolation[];
  audit: { events: number; cases: number; firstBreak: ChainBreak | null };
  ok: boolean;
};

export async function checkIntegrity(db: Db, now = new Date()): Promise<IntegrityReport> {
  const [violations, audit] = await Promise.all([reconcile(db), verifyAuditChains(db)]);
  return { checkedAt: now.toISOString(), violations, audit, ok: violations.length === 0 && audit.firstBreak === null };
}
