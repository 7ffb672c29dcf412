// Budget integrity: assignment ≥ Σ allocations ≥ Σ call budgets ≥ Σ granted,
// and grant ≥ Σ planned disbursements ≥ Σ paid. Each level keeps a running
// total on its parent row, changed only by one conditional UPDATE: PostgreSQL
// takes the row lock, re-checks the condition on the newest row version, and
// either applies the change or reports zero rows. No read-then-write race, no
// SERIALIZABLE retries on hot rows (see docs/decisions/0003-budget-integrity.md).
import { WorkflowRefused } from "./errors";
import { formatKronor } from "~/lib/money";
import { toSql, WriteBatch, type AnyTx } from "./tx.server";

type Tx = AnyTx;

/** Runs a conditional UPDATE; the number of rows it changed (0 means the condition refused). */
async function changed(tx: Tx, text: string, values: (string | bigint)[]): Promise<number> {
  return (await toSql(tx).query(`${text} returning 1 as one`, values)).length;
}

/**
 * A conditional UPDATE whose refusal needs no further read: on a pipelined transaction it goes out
 * without waiting, and a zero-row answer throws `refusal()` at the transaction's next wait, before COMMIT.
 */
async function conditional(tx: Tx, text: string, values: (string | bigint)[], refusal: () => Error): Promise<void> {
  const sql = toSql(tx);
  const check = (rows: unknown[]) => {
    if (rows.length !== 1) throw refusal();
  };
  if (sql instanceof WriteBatch) return sql.send(`${text} returning 1 as one`, values, check);
  check(await sql.query(`${text} returning 1 as one`, values));
}

/** The error workflow_expect raises when `rule`'s conditional statement changed no row. */
const refusedBy = (e: unknown, rule: string) => (e as { code?: unknown; hint?: unknown } | null)?.code === "WF001" && (e as { hint?: unknown }).hint === rule;

/**
 * Reserves on the call's budget. With `commit` (the engine's own transaction, this its last statement)
 * the UPDATE goes out together with COMMIT, so the hot call row is locked only while PostgreSQL commits;
 * a refusal then fails the statement (workflow_expect), and the COMMIT behind it rolls everything back.
 */
export async function reserveCallBudget(tx: Tx, callId: string, amountOre: bigint, opts: { commit?: boolean } = {}): Promise<void> {
  if (amountOre === 0n) return;
  const update = `update "Call" set "grantedOre" = "grantedOre" + $1::bigint where id = $2::uuid and "grantedOre" + $1::bigint <= "budgetOre"`;
  const sql = toSql(tx);
  if (opts.commit && sql.queryAndCommit) {
    try {
      await sql.queryAndCommit(`with changed as (${update} returning 1) select workflow_expect(exists (select 1 from changed), 'grantedWithinCallBudget') as ok`, [amountOre, callId]);
      return;
    } catch (error) {
      if (!refusedBy(error, "grantedWithinCallBudget")) throw error;
      // Rolled back; what is left is read on its own, for the message only.
    }
  } else if ((await changed(tx, update, [amountOre, callId])) === 1) {
    return;
  }
  const [call] = await toSql(tx).query<{ left: bigint }>(`select "budgetOre" - "grantedOre" as left from "Call" where id = $1::uuid`, [callId]);
  const left = call?.left ?? 0n;
  throw new WorkflowRefused(
    "grantedWithinCallBudget",
    `Beloppet ryms inte i utlysningens budget. Kvar att besluta om: ${formatKronor(left)}.`,
    `call ${callId}: reserving ${amountOre} öre exceeds what is left (${left})`,
  );
}

export async function releaseCallBudget(tx: Tx, callId: string, amountOre: bigint): Promise<void> {
  if (amountOre === 0n) return;
  const n = await changed(tx, `update "Call" set "grantedOre" = "grantedOre" - $1::bigint where id = $2::uuid and "grantedOre" >= $1::bigint`, [amountOre, callId]);
  if (n !== 1) throw new Error(`call ${callId}: cannot release ${amountOre} öre, more than is granted`);
}

export async function commitAllocation(tx: Tx, allocationId: string, deltaOre: bigint): Promise<void> {
  const n = await changed(tx, `update "Allocation" set "committedOre" = "committedOre" + $1::bigint where id = $2::uuid and "committedOre" + $1::bigint <= "amountOre" and "committedOre" + $1::bigint >= 0`, [deltaOre, allocationId]);
  if (n === 1) return;
  const [a] = await toSql(tx).query<{ left: bigint }>(`select "amountOre" - "committedOre" as left from "Allocation" where id = $1::uuid`, [allocationId]);
  const left = a?.left ?? 0n;
  throw new WorkflowRefused(
    "callBudgetsWithinAllocation",
    `Utlysningarnas budget ryms inte i länsstyrelsens tilldelning. Kvar att utlysa: ${formatKronor(left)}.`,
    `allocation ${allocationId}: committing ${deltaOre} öre exceeds what is left (${left})`,
  );
}

export async function commitAssignment(tx: Tx, assignmentId: string, deltaOre: bigint): Promise<void> {
  const n = await changed(tx, `update "Assignment" set "allocatedOre" = "allocatedOre" + $1::bigint where id = $2::uuid and "allocatedOre" + $1::bigint <= "totalOre" and "allocatedOre" + $1::bigint >= 0`, [deltaOre, assignmentId]);
  if (n === 1) return;
  const [a] = await toSql(tx).query<{ left: bigint }>(`select "totalOre" - "allocatedOre" as left from "Assignment" where id = $1::uuid`, [assignmentId]);
  const left = a?.left ?? 0n;
  throw new WorkflowRefused(
    "allocationsWithinAssignment",
    `Tilldelningen ryms inte i uppdragets belopp. Kvar att fördela: ${formatKronor(left)}.`,
    `assignment ${assignmentId}: allocating ${deltaOre} öre exceeds what is left (${left})`,
  );
}

/**
 * Sets an allocation's amount, never below the call budgets already under it
 * (the conditional UPDATE re-checks `committedOre` on the newest row version, so
 * a call created at the same moment cannot slip under a shrinking allocation).
 * The assignment's side of the change goes through `commitAssignment`.
 */
export async function resizeAllocation(tx: Tx, allocationId: string, amountOre: bigint): Promise<void> {
  const n = await changed(tx, `update "Allocation" set "amountOre" = $1::bigint where id = $2::uuid and "committedOre" <= $1::bigint`, [amountOre, allocationId]);
  if (n === 1) return;
  const [a] = await toSql(tx).query<{ committedOre: bigint }>(`select "committedOre" from "Allocation" where id = $1::uuid`, [allocationId]);
  throw new WorkflowRefused(
    "allocationCoversCallBudgets",
    `Tilldelningen kan inte bli mindre än utlysningarnas budget under den: ${formatKronor(a?.committedOre ?? 0n)}.`,
    `allocation ${allocationId}: ${amountOre} öre is below the committed call budgets (${a?.committedOre})`,
  );
}

export async function planOnGrant(tx: Tx, grantId: string, deltaOre: bigint): Promise<void> {
  const refusal = () =>
    new WorkflowRefused(
      "disbursementsWithinGrant",
      "Utbetalningarna skulle överstiga det beviljade beloppet.",
      `grant ${grantId}: planning ${deltaOre} öre would exceed the grant`,
    );
  // A grant created in this transaction whose INSERT is still queued (an approval: the grant and its
  // first instalments): no other transaction can see or change the row before it is written, so the
  // same condition is checked here and the planned total goes into the INSERT itself, one statement
  // (and one round of Grant's triggers and checks) less. Grant_amounts checks it again in the database.
  const queued = toSql(tx) instanceof WriteBatch ? (toSql(tx) as WriteBatch).queuedRow("Grant", grantId) : undefined;
  if (queued) {
    const planned = BigInt((queued.plannedOre as bigint | undefined) ?? 0n) + deltaOre;
    if (planned > BigInt(queued.amountOre as bigint) || planned < BigInt((queued.paidOre as bigint | undefined) ?? 0n)) throw refusal();
    queued.plannedOre = planned;
    return;
  }
  await conditional(tx, `update "Grant" set "plannedOre" = "plannedOre" + $1::bigint where id = $2::uuid and "plannedOre" + $1::bigint <= "amountOre" and "plannedOre" + $1::bigint >= "paidOre"`, [deltaOre, grantId], refusal);
}

export async function payOnGrant(tx: Tx, grantId: string, amountOre: bigint): Promise<void> {
  await conditional(tx, `update "Grant" set "paidOre" = "paidOre" + $1::bigint where id = $2::uuid and "paidOre" + $1::bigint <= "plannedOre"`, [amountOre, grantId], () =>
    new WorkflowRefused("paidWithinGrant", "Utbetalningen skulle överstiga det beviljade beloppet.", `grant ${grantId}: paying ${amountOre} öre exceeds what is planned`),
  );
}

export type InvariantViolation = { invariant: string; id: string; detail: string };

/**
 * Checks every budget invariant over the whole database, from the detail rows
 * (not the running totals): the running totals must equal the sums they stand
 * for, and every level must fit in its parent.
 */
export async function reconcile(tx: import("~/generated/prisma/client").Prisma.TransactionClient | import("~/db.server").Db): Promise<InvariantViolation[]> {
  const rows = await tx.$queryRaw<InvariantViolation[]>`
    select 'assignment allocated = Σ allocations ≤ total' as invariant, a.id::text as id,
           format('total %s, allocatedOre %s, Σ allocations %s', a."totalOre", a."allocatedOre", coalesce(s.sum, 0)) as detail
      from "Assignment" a left join (select "assignmentId", sum("amountOre") as sum from "Allocation" group by 1) s on s."assignmentId" = a.id
     where a."allocatedOre" <> coalesce(s.sum, 0) or coalesce(s.sum, 0) > a."totalOre"
    union all
    select 'allocation committed = Σ call budgets ≤ amount', al.id::text,
           format('amount %s, committedOre %s, Σ call budgets %s', al."amountOre", al."committedOre", coalesce(s.sum, 0))
      from "Allocation" al left join (select "allocationId", sum("budgetOre") as sum from "Call" group by 1) s on s."allocationId" = al.id
     where al."committedOre" <> coalesce(s.sum, 0) or coalesce(s.sum, 0) > al."amountOre"
    union all
    select 'call granted = Σ grants in force ≤ budget', c.id::text,
           format('budget %s, grantedOre %s, Σ grants %s', c."budgetOre", c."grantedOre", coalesce(s.sum, 0))
      from "Call" c left join (
        select ap."callId", sum((ap.snapshot -> 'context' ->> 'grantedOre')::bigint
                              + coalesce((ap.snapshot -> 'context' -> 'pendingDecision' ->> 'grantedOre')::bigint, 0)) as sum
          from "Application" ap group by 1) s on s."callId" = c.id
     where c."grantedOre" <> coalesce(s.sum, 0) or coalesce(s.sum, 0) > c."budgetOre"
    union all
    select 'grant planned = Σ live disbursements, paid = Σ paid ≤ amount', g.id::text,
           format('amount %s, plannedOre %s (Σ %s), paidOre %s (Σ %s)', g."amountOre", g."plannedOre", coalesce(s.planned, 0), g."paidOre", coalesce(s.paid, 0))
      from "Grant" g left join (
        select "grantId", sum("amountOre") filter (where state not in ('cancelled', 'lapsed')) as planned,
               sum("amountOre") filter (where state = 'paid') as paid
          from "Disbursement" group by 1) s on s."grantId" = g.id
     where g."plannedOre" <> coalesce(s.planned, 0) or g."paidOre" <> coalesce(s.paid, 0) or coalesce(s.planned, 0) > g."amountOre"
    union all
    select 'decision maker neither presented nor declared jäv', d.id::text, 'decision by a person with jäv or by the presenter'
      from "Decision" d
     where d."decisionMakerId" = d."presenterId"
        or exists (select 1 from "ConflictOfInterest" j where j."applicationId" = d."applicationId" and j."userId" = d."decisionMakerId" and j."declaredAt" < d."decidedAt")
    union all
    select 'every state change has its audit event', x.id::text, format('%s version %s, %s audit events', x.kind, x.version, coalesce(e.n, 0))
      from (select 'application' as kind, id, version from "Application"
            union all select 'call', id, version from "Call"
            union all select 'assignment', id, version from "Assignment"
            union all select 'disbursement', id, version from "Disbursement") x
      left join (select "caseType", "caseId", count(*) as n from "AuditEvent" group by 1, 2) e on e."caseType" = x.kind and e."caseId" = x.id
     where x.version <> coalesce(e.n, 0)
    union all
    select 'registration numbers gapless per board and year', r."boardId"::text || '/' || r.year,
           format('counter %s, %s registered, max %s', r."lastSeq", coalesce(s.n, 0), coalesce(s.max, 0))
      from "RegistrationCounter" r left join (
        select "boardId", "registrationYear" as year, count(*) as n, max("registrationSeq") as max from "Application"
         where "registrationSeq" is not null group by 1, 2) s on s."boardId" = r."boardId" and s.year = r.year
     where r."lastSeq" <> coalesce(s.n, 0) or r."lastSeq" <> coalesce(s.max, 0)`;
  return rows;
}
