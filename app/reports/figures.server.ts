// The figures of an assignment, one definition for every screen and file that
// shows them: the coordinators' overview (/samordning), budget at a glance
// (/uppdrag, /utlysningar/:id/budget), the redovisning workbook, the CSV and
// 360Giving exports. Each figure is defined once, in the SQL below (see
// FIGURE_DEFINITIONS for the words), per application; every grouping (per
// board, per kind of recipient, per municipality, per call) and every detail
// row is computed from that same per-application select, so the screen, the
// workbook and the open data reconcile by construction.
//
// Amounts are bigint öre, summed in SQL and read as text: never a float.
import type { Db } from "~/db.server";
import { addDays, applySundayRule, plainDate } from "~/lib/dates";
import { COUNT_KEYS, KIND_LABELS, MONEY_KEYS, PROGRESS_KEYS, type Counts, type FigureRow, type Money, type Progress } from "./definitions";

export * from "./definitions";

/** Which part of an assignment: all of it, some boards (a board's own staff), one call, one year. */
export type ReportFilter = {
  assignmentId: string;
  /** null: every board (the coordinating board); otherwise only these boards. */
  boardIds: string[] | null;
  /** Calendar year the call opened (Europe/Stockholm), or null. */
  year: number | null;
  callId: string | null;
};

/** A parameterised SQL text that runs the same through Prisma ($queryRawUnsafe) and node-postgres (cursors). */
export type SqlText = { text: string; values: unknown[] };

export type Grouping = "board" | "kind" | "municipality" | "call";

/**
 * The earliest due date whose report is not yet late on `today`. A report is late once its last day
 * has passed, and a due date on a Saturday, Sunday, public holiday or midsommar-, jul- or
 * nyårsafton moves its last day to the next weekday (1930:173 2 §), as the reminders count it
 * (`reportLastDay`). So on Monday a report due on Saturday or Sunday is still in time. The rule
 * moves days forward only, so the late due dates are exactly those before this one.
 */
export function overdueBefore(today: string): string {
  let d = addDays(plainDate(today), -1);
  while (applySundayRule(d) >= today) d = addDays(d, -1);
  return addDays(d, 1);
}

const filterValues = (f: ReportFilter, today: string) => [f.assignmentId, f.boardIds, f.year, f.callId, overdueBefore(today)];

/**
 * The registered applications in scope. The parameters of every query below:
 * $1 assignment, $2 board ids or null, $3 year or null, $4 call or null, $5 the first due date not yet
 * late today (`overdueBefore(today)`, YYYY-MM-DD, Stockholm): a final report due before it is overdue.
 */
const SCOPE = `
    select a.id, a."boardId", a."callId", a."applicantOrgId", a."registrationNumber", a.title, a.description, a."projectStart", a."projectEnd",
           a."requestedOre", a.state, a."submittedAt", c.title as call_title, c."budgetOre" as call_budget
      from "Application" a
      join "Call" c on c.id = a."callId"
      join "Allocation" al on al.id = c."allocationId"
     where al."assignmentId" = $1::uuid and a.state <> 'draft'
       and ($2::uuid[] is null or a."boardId" = any($2::uuid[]))
       and ($3::int is null or extract(year from c."opensAt" at time zone 'Europe/Stockholm') = $3::int)
       and ($4::uuid is null or a."callId" = $4::uuid)`;
/** One row per registered application in scope, with every per-application figure. */
const FACTS = `
  with scope as (${SCOPE}
  ), decision as (
    -- The decision in force: the latest one that no later decision supersedes. Computed for all
    -- applications at once (hash joins); a per-application subquery costs 10 µs × every row.
    select distinct on (d."applicationId") d."applicationId", d.outcome, d."rejectionCategory", d."decidedOn"
      from scope s join "Decision" d on d."applicationId" = s.id
     where not exists (select 1 from "Decision" n where n."supersedesId" = d.id)
     order by d."applicationId", d."decidedAt" desc
  ), reclaim as (
    select r."grantId", sum(r."amountOre" - r."waivedOre") filter (where r.state in ('decided', 'repaid', 'waived')) as reclaimed, sum(r."repaidOre") as repaid
      from scope s join "Grant" g on g."applicationId" = s.id join "Reclaim" r on r."grantId" = g.id
     group by r."grantId"
  ), facts as (
    select s.*, d.outcome::text as outcome, d."rejectionCategory"::text as category, d."decidedOn" as decided_on,
           case when g.state <> 'cancelled' then g."amountOre" else 0 end as decided,
           coalesce(g."paidOre", 0) as paid,
           case when rf."submittedAt" is not null then rf."usedOre" when ri."submittedAt" is not null then ri."usedOre" else 0 end as used,
           case when rf."submittedAt" is not null then rf."unusedOre" else 0 end as unused,
           coalesce(rc.reclaimed, 0) as reclaimed, coalesce(rc.repaid, 0) as repaid,
           g.id as grant_id, (g.state is not null and g.state <> 'cancelled') as in_force,
           rf.state as final_state, rf."dueOn" as final_due, rf."submittedAt" as final_submitted,
           (rf."submittedAt" is null and rf."dueOn" < $5::date) as final_overdue
      from scope s
      left join decision d on d."applicationId" = s.id
      left join "Grant" g on g."applicationId" = s.id
      left join "Report" rf on rf."grantId" = g.id and rf.kind = 'final'
      left join "Report" ri on ri."grantId" = g.id and ri.kind = 'interim'
      left join reclaim rc on rc."grantId" = g.id
  )`;

/**
 * Where the queries below find `facts`: the CTE above (one query at a time, the pages), or a
 * temporary table an export fills once from the same CTE (every sheet reads it; see source.server.ts).
 * In table mode the parameters are still declared, so every query takes the same five.
 */
export type FactsMode = "cte" | "table" | "sums";
const PARAMS_ONLY = `with _params as (select $1::uuid as a, $2::uuid[] as b, $3::int as c, $4::uuid as d, $5::date as e)`;

/**
 * "sums": the same figures from the sums the database keeps per call × board × kind ×
 * municipality × final-report due date (FigureSum, kept exact by triggers in the same
 * transaction as every change; decision 0009): a few hundred rows instead of every
 * application, so the pages cost milliseconds whatever the volume. Groupings only.
 */
const SUMS = `
  with facts as (
    select s.* from "FigureSum" s
      join "Call" c on c.id = s."callId"
      join "Allocation" al on al.id = c."allocationId"
     where al."assignmentId" = $1::uuid
       and ($2::uuid[] is null or s."boardId" = any($2::uuid[]))
       and ($3::int is null or extract(year from c."opensAt" at time zone 'Europe/Stockholm') = $3::int)
       and ($4::uuid is null or s."callId" = $4::uuid)
       and $5::date is not null
  )`;
const factsPrefix = (mode: FactsMode) => (mode === "cte" ? FACTS : mode === "sums" ? SUMS : PARAMS_ONLY);

/**
 * The light `facts` table of an export's second connection (source.server.ts): only the
 * applications with a grant, and only what the instalment, reclaim and result sheets read (the
 * grant, the board, the recipient, the registration number and the export order `seq`). Its `seq`
 * numbers fewer rows than the full table's but sorts them the same way (same key, same collation),
 * so every sheet lists its rows in the same order from either. About a third of the full table's cost.
 */
export function materializeGrantOrderSql(f: ReportFilter, today: string): SqlText {
  return {
    text: `create temp table facts on commit drop as with scope as (${SCOPE})
      select s.id, s."boardId", s."applicantOrgId", s."registrationNumber", g.id as grant_id,
             row_number() over (order by b."countyCode", s."registrationNumber", s.id) as seq
        from scope s join "Grant" g on g."applicationId" = s.id join "Organization" b on b.id = s."boardId"
       where $5::date is not null`,
    values: filterValues(f, today),
  };
}

/**
 * The statement that fills the temporary `facts` table for an export. `seq` numbers the
 * applications in the exports' order (county, registration number): the one sort under the
 * Swedish collation happens here, and every sheet then orders by an integer.
 */
export function materializeFactsSql(f: ReportFilter, today: string): SqlText {
  return {
    text: `create temp table facts on commit drop as ${FACTS}
      select facts.*, row_number() over (order by b."countyCode", facts."registrationNumber", facts.id) as seq
        from facts join "Organization" b on b.id = facts."boardId"`,
    values: filterValues(f, today),
  };
}

const FACT_AGGREGATES = `
  coalesce(sum(f."requestedOre"), 0)::text as requested, coalesce(sum(f.decided), 0)::text as decided, coalesce(sum(f.paid), 0)::text as paid,
  coalesce(sum(f.used), 0)::text as used, coalesce(sum(f.unused), 0)::text as unused, coalesce(sum(f.reclaimed), 0)::text as reclaimed,
  coalesce(sum(f.repaid), 0)::text as repaid,
  count(f.id)::int as received,
  (count(*) filter (where f.outcome = 'approved'))::int as approved,
  (count(*) filter (where f.outcome = 'partly_approved'))::int as "partlyApproved",
  (count(*) filter (where f.outcome = 'rejected'))::int as rejected,
  (count(*) filter (where f.state = 'withdrawn'))::int as withdrawn,
  (count(*) filter (where f.id is not null and f.outcome is null and f.state <> 'withdrawn'))::int as pending,
  (count(*) filter (where f.in_force))::int as grants,
  (count(*) filter (where f.in_force and f.final_submitted is not null))::int as "finalSubmitted",
  (count(*) filter (where f.in_force and f.final_state = 'approved'))::int as "finalApproved",
  (count(*) filter (where f.in_force and f.final_overdue))::int as overdue`;

/** The same figures as AGGREGATES, from FigureSum rows (one row holds many applications). */
const SUM_AGGREGATES = `
  coalesce(sum(f."requestedOre"), 0)::text as requested, coalesce(sum(f."decidedOre"), 0)::text as decided, coalesce(sum(f."paidOre"), 0)::text as paid,
  coalesce(sum(f."usedOre"), 0)::text as used, coalesce(sum(f."unusedOre"), 0)::text as unused, coalesce(sum(f."reclaimedOre"), 0)::text as reclaimed,
  coalesce(sum(f."repaidOre"), 0)::text as repaid,
  coalesce(sum(f.received), 0)::int as received,
  coalesce(sum(f.approved), 0)::int as approved,
  coalesce(sum(f."partlyApproved"), 0)::int as "partlyApproved",
  coalesce(sum(f.rejected), 0)::int as rejected,
  coalesce(sum(f.withdrawn), 0)::int as withdrawn,
  coalesce(sum(f.pending), 0)::int as pending,
  coalesce(sum(f.grants), 0)::int as grants,
  coalesce(sum(f."finalSubmitted"), 0)::int as "finalSubmitted",
  coalesce(sum(f."finalApproved"), 0)::int as "finalApproved",
  coalesce(sum(f.received) filter (where f."finalDueOn" < $5::date), 0)::int as overdue`;

/** Groups of the per-application facts. Boards and calls list every one in scope, also those without applications. */
export function groupedSql(grouping: Grouping, f: ReportFilter, today: string, mode: FactsMode): SqlText {
  return { text: `${factsPrefix(mode)} ${groupSelect(grouping, mode)}`, values: filterValues(f, today) };
}

/** The select of one grouping over `facts` (declared by the statement's prefix). */
function groupSelect(grouping: Grouping, mode: FactsMode): string {
  const AGGREGATES = mode === "sums" ? SUM_AGGREGATES : FACT_AGGREGATES;
  // Kept sums carry the recipient's kind and municipality; per-application facts find them on the organisation.
  const kind = mode === "sums" ? "f.kind" : "o.kind";
  const recipient = mode === "sums" ? "" : `join "Organization" o on o.id = f."applicantOrgId"`;
  const municipality = mode === "sums" ? `f."municipalityCode"` : `o."municipalityCode"`;
  // A group is listed when it has applications; kept sums may hold groups whose rows cancel out.
  const present = mode === "sums" ? "having sum(f.received) <> 0" : "";
  const byGroup: Record<Grouping, string> = {
    board: `
      select b.id::text as key, b.name as label, b."countyCode" as code,
             (case when $3::int is null and $4::uuid is null then al."amountOre"
                   else (select coalesce(sum(c."budgetOre"), 0) from "Call" c where c."allocationId" = al.id
                           and ($3::int is null or extract(year from c."opensAt" at time zone 'Europe/Stockholm') = $3::int)
                           and ($4::uuid is null or c.id = $4::uuid)) end)::text as allocated,
             (select coalesce(sum(c."budgetOre"), 0) from "Call" c where c."allocationId" = al.id
                 and ($3::int is null or extract(year from c."opensAt" at time zone 'Europe/Stockholm') = $3::int)
                 and ($4::uuid is null or c.id = $4::uuid))::text as committed,
             ${AGGREGATES}
        from "Allocation" al
        join "Organization" b on b.id = al."boardId"
        left join facts f on f."boardId" = al."boardId"
       where al."assignmentId" = $1::uuid and ($2::uuid[] is null or al."boardId" = any($2::uuid[]))
       group by b.id, b.name, b."countyCode", al.id, al."amountOre"
       order by b."countyCode", b.name`,
    call: `
      select c.id::text as key, c.title as label, b."countyCode" as code, c."budgetOre"::text as allocated, ${AGGREGATES}
        from "Call" c
        join "Allocation" al on al.id = c."allocationId"
        join "Organization" b on b.id = c."boardId"
        left join facts f on f."callId" = c.id
       where al."assignmentId" = $1::uuid and ($2::uuid[] is null or c."boardId" = any($2::uuid[]))
         and ($3::int is null or extract(year from c."opensAt" at time zone 'Europe/Stockholm') = $3::int)
         and ($4::uuid is null or c.id = $4::uuid)
       group by c.id, c.title, b."countyCode", c."budgetOre"
       order by b."countyCode", c."opensAt", c.title`,
    kind: `
      select ${kind}::text as key, ${kind}::text as label, ${kind}::text as code, null::text as allocated, ${AGGREGATES}
        from facts f ${recipient}
       group by ${kind} ${present} order by ${kind}`,
    municipality: `
      select coalesce(m.code, '-') as key, coalesce(m.name, 'Kommun saknas') as label, m.code as code, null::text as allocated, ${AGGREGATES}
        from facts f ${recipient} left join "Municipality" m on m.code = ${municipality}
       group by m.code, m.name ${present} order by m.name nulls last`,
  };
  return byGroup[grouping];
}

type RawRow = { key: string; label: string; code: string | null; allocated: string | null; committed?: string | null } & Record<(typeof MONEY_KEYS)[number], string> & Counts & Progress;

function toFigureRow(r: RawRow, grouping: Grouping): FigureRow {
  const money = Object.fromEntries(MONEY_KEYS.map((k) => [k, BigInt(r[k])])) as Money;
  const allocated = r.allocated === null ? null : BigInt(r.allocated);
  return {
    key: r.key,
    label: grouping === "kind" ? (KIND_LABELS[r.label] ?? r.label) : r.label,
    code: r.code,
    allocated,
    left: allocated === null ? null : allocated - money.decided,
    committed: r.committed === undefined || r.committed === null ? null : BigInt(r.committed),
    ...money,
    ...(Object.fromEntries([...COUNT_KEYS, ...PROGRESS_KEYS].map((k) => [k, Number(r[k])])) as Counts & Progress),
  };
}

/** The sum of rows, exactly (bigint), as the totals row of every table and the workbook's check figures. */
export function totalOf(rows: FigureRow[], label = "Summa"): FigureRow {
  const total: FigureRow = {
    key: "total",
    label,
    code: null,
    allocated: rows.some((r) => r.allocated !== null) ? rows.reduce((s, r) => s + (r.allocated ?? 0n), 0n) : null,
    left: null,
    committed: rows.some((r) => r.committed !== null) ? rows.reduce((s, r) => s + (r.committed ?? 0n), 0n) : null,
    ...(Object.fromEntries(MONEY_KEYS.map((k) => [k, rows.reduce((s, r) => s + r[k], 0n)])) as Money),
    ...(Object.fromEntries([...COUNT_KEYS, ...PROGRESS_KEYS].map((k) => [k, rows.reduce((s, r) => s + r[k], 0)])) as Counts & Progress),
  };
  total.left = total.allocated === null ? null : total.allocated - total.decided;
  return total;
}

/** Anything that runs a SqlText and returns rows: the app's Prisma client, or a node-postgres client inside an export's snapshot. */
export type Runner = { rows<T>(sql: SqlText): Promise<T[]>; factsMode?: FactsMode };

export function prismaRunner(db: Db): Runner {
  return { rows: <T,>(sql: SqlText) => db.$queryRawUnsafe<T[]>(sql.text, ...sql.values) };
}

export async function figuresBy(run: Runner, grouping: Grouping, filter: ReportFilter, today: string): Promise<{ rows: FigureRow[]; total: FigureRow }> {
  const raw = await run.rows<RawRow>(groupedSql(grouping, filter, today, run.factsMode ?? "cte"));
  const rows = raw.map((r) => toFigureRow(r, grouping));
  return { rows, total: totalOf(rows) };
}

/**
 * Several groupings in one statement (one round trip, one plan, one snapshot): each grouping's
 * rows as a JSON array. The same selects as figuresBy, so the figures are the same.
 */
export async function figuresByMany<G extends Grouping>(
  run: Runner,
  groupings: readonly G[],
  filter: ReportFilter,
  today: string,
): Promise<Record<G, { rows: FigureRow[]; total: FigureRow }>> {
  const mode = run.factsMode ?? "cte";
  const parts = groupings.map((g, i) => `g${i} as (${groupSelect(g, mode)})`).join(",\n");
  const cols = groupings.map((_, i) => `(select coalesce(json_agg(t), '[]') from (select * from g${i}) t) as g${i}`).join(", ");
  // The prefix is a WITH clause; the groupings continue it.
  const text = `${factsPrefix(mode)}, ${parts}\n select ${cols}`;
  const [row] = await run.rows<Record<string, RawRow[]>>({ text, values: filterValues(filter, today) });
  const out = {} as Record<G, { rows: FigureRow[]; total: FigureRow }>;
  groupings.forEach((g, i) => {
    const rows = row[`g${i}`].map((r) => toFigureRow(r, g));
    out[g] = { rows, total: totalOf(rows) };
  });
  return out;
}

// ---------------------------------------------------------------------------
// Detail rows for the exports: the same facts, one row per application.

export type ApplicationFact = {
  id: string;
  countyCode: string;
  county: string;
  board: string;
  boardOrgNumber: string;
  registrationNumber: string | null;
  recipient: string;
  orgNumber: string;
  municipalityCode: string | null;
  municipality: string | null;
  kind: string;
  title: string;
  description: string;
  callTitle: string;
  projectStart: Date | null;
  projectEnd: Date | null;
  state: string;
  outcome: string | null;
  category: string | null;
  decidedOn: Date | null;
  submittedAt: Date | null;
  inForce: boolean;
  requested: bigint;
  decided: bigint;
  paid: bigint;
  used: bigint;
  unused: bigint;
  reclaimed: bigint;
  repaid: bigint;
};

/** Which applications a detail sheet lists. */
export type FactSelection = "granted" | "notGranted";

/**
 * Detail rows from the export's `facts` table (source.server.ts), in county and
 * registration-number order. `granted`: grants in force; `notGranted`: rejected and
 * withdrawn applications (the ones that got no money).
 */
export function factsSql(selection: FactSelection): SqlText {
  return {
    text: `
      select f.id::text as id, b."countyCode" as "countyCode", co.name as county, b.name as board, b."orgNumber" as "boardOrgNumber", f."registrationNumber" as "registrationNumber",
             o.name as recipient, o."orgNumber" as "orgNumber", o."municipalityCode" as "municipalityCode", m.name as municipality, o.kind::text as kind,
             f.title, f.description, f.call_title as "callTitle", f."projectStart" as "projectStart", f."projectEnd" as "projectEnd", f.state, f.outcome, f.category,
             f.decided_on as "decidedOn", f."submittedAt" as "submittedAt", f.in_force as "inForce",
             f."requestedOre"::text as requested, f.decided::text as decided, f.paid::text as paid, f.used::text as used, f.unused::text as unused,
             f.reclaimed::text as reclaimed, f.repaid::text as repaid
        from facts f
        join "Organization" b on b.id = f."boardId"
        left join "County" co on co.code = b."countyCode"
        join "Organization" o on o.id = f."applicantOrgId"
        left join "Municipality" m on m.code = o."municipalityCode"
       where ${factSelectionWhere(selection)}
       order by f.seq`,
    values: [],
  };
}

/** Which `facts` rows a detail sheet lists. */
export function factSelectionWhere(selection: FactSelection): string {
  return selection === "granted" ? "f.in_force" : "(f.outcome = 'rejected' or f.state = 'withdrawn')";
}

type RawFact = Omit<ApplicationFact, keyof Money> & Record<keyof Money, string>;

export function toFact(r: RawFact): ApplicationFact {
  return { ...r, ...(Object.fromEntries(MONEY_KEYS.map((k) => [k, BigInt(r[k])])) as Money) };
}
