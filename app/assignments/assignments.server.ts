// Government assignments (regeringsuppdrag) a user may read, and each board's
// figures under them: allocated, committed to calls, granted, paid, and what is
// left. Sums are computed in SQL on bigint öre and come back as text, so no
// amount ever passes through a floating-point number.
import type { Db } from "~/db.server";
import { assignmentScope, type Principal } from "~/access/permissions.server";
import { formatKronor } from "~/lib/money";
import { formatDate, utcMidnightToPlainDate } from "~/lib/dates";
import { stateLabel, stateNext } from "~/lib/state-labels";

const kr = (ore: bigint) => formatKronor(ore);
const day = (d: Date) => formatDate(utcMidnightToPlainDate(d));

export const ASSIGNMENT_PAGE_SIZE = 25;

export type BoardFigures = {
  allocationId: string;
  assignmentId: string;
  boardId: string;
  board: string;
  allocated: string;
  committed: string;
  granted: string;
  paid: string;
  notInCalls: string;
  leftToGrant: string;
};

type FigureRow = { allocationId: string; assignmentId: string; boardId: string; board: string; allocated: string; committed: string; granted: string; paid: string };

/**
 * Per board and assignment: allocated (Allocation.amountOre), committed to calls (Σ call budgets),
 * granted (Σ grants in force, cancelled ones excluded) and paid (Σ paid on those grants).
 */
export async function allocationFigures(db: Db, assignmentIds: string[]): Promise<{ rows: BoardFigures[]; totals: Map<string, Omit<BoardFigures, "allocationId" | "assignmentId" | "boardId" | "board">> }> {
  if (assignmentIds.length === 0) return { rows: [], totals: new Map() };
  const raw = await db.$queryRaw<FigureRow[]>`
    select al.id::text as "allocationId", al."assignmentId"::text as "assignmentId", o.id::text as "boardId", o.name as board,
           al."amountOre"::text as allocated,
           coalesce((select sum(c."budgetOre") from "Call" c where c."allocationId" = al.id), 0)::text as committed,
           coalesce((select sum(g."amountOre") from "Grant" g join "Application" a on a.id = g."applicationId" join "Call" c on c.id = a."callId"
                     where c."allocationId" = al.id and g.state <> 'cancelled'), 0)::text as granted,
           coalesce((select sum(g."paidOre") from "Grant" g join "Application" a on a.id = g."applicationId" join "Call" c on c.id = a."callId"
                     where c."allocationId" = al.id), 0)::text as paid
    from "Allocation" al
    join "Organization" o on o.id = al."boardId"
    where al."assignmentId"::text = any(${assignmentIds}::text[])
    order by o.name`;
  const sums = new Map<string, { allocated: bigint; committed: bigint; granted: bigint; paid: bigint }>();
  const rows = raw.map((r) => {
    const allocated = BigInt(r.allocated);
    const committed = BigInt(r.committed);
    const granted = BigInt(r.granted);
    const paid = BigInt(r.paid);
    const s = sums.get(r.assignmentId) ?? { allocated: 0n, committed: 0n, granted: 0n, paid: 0n };
    sums.set(r.assignmentId, { allocated: s.allocated + allocated, committed: s.committed + committed, granted: s.granted + granted, paid: s.paid + paid });
    return {
      allocationId: r.allocationId,
      assignmentId: r.assignmentId,
      boardId: r.boardId,
      board: r.board,
      allocated: kr(allocated),
      committed: kr(committed),
      granted: kr(granted),
      paid: kr(paid),
      notInCalls: kr(allocated - committed),
      leftToGrant: kr(allocated - granted),
    };
  });
  const totals = new Map(
    [...sums].map(([id, s]) => [
      id,
      { allocated: kr(s.allocated), committed: kr(s.committed), granted: kr(s.granted), paid: kr(s.paid), notInCalls: kr(s.allocated - s.committed), leftToGrant: kr(s.allocated - s.granted) },
    ]),
  );
  return { rows, totals };
}

export async function listAssignments(db: Db, user: Principal, page: number) {
  const where = assignmentScope(user);
  const total = await db.assignment.count({ where });
  const pages = Math.max(1, Math.ceil(total / ASSIGNMENT_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await db.assignment.findMany({
    where,
    orderBy: [{ periodStart: "desc" }, { reference: "asc" }],
    skip: (current - 1) * ASSIGNMENT_PAGE_SIZE,
    take: ASSIGNMENT_PAGE_SIZE,
    include: { responsibleBoard: { select: { name: true } }, coordinatingBoard: { select: { name: true } } },
  });
  return {
    total,
    page: current,
    pages,
    rows: rows.map((a) => ({
      id: a.id,
      reference: a.reference,
      title: a.title,
      responsible: a.responsibleBoard.name,
      coordinating: a.coordinatingBoard.name,
      period: `${day(a.periodStart)} – ${day(a.periodEnd)}`,
      total: kr(a.totalOre),
      allocated: kr(a.allocatedOre),
      notAllocated: kr(a.totalOre - a.allocatedOre),
      state: a.state,
      stateLabel: stateLabel("assignment", a.state),
    })),
  };
}

/** One assignment's page. `assignmentId` must come from `requireAssignment`. */
export async function loadAssignmentView(db: Db, assignmentId: string) {
  const a = await db.assignment.findUniqueOrThrow({
    where: { id: assignmentId },
    include: { responsibleBoard: { select: { name: true } }, coordinatingBoard: { select: { name: true } } },
  });
  const figures = await allocationFigures(db, [a.id]);
  return {
    id: a.id,
    reference: a.reference,
    title: a.title,
    description: a.description,
    issuer: a.issuer,
    fundingReference: a.fundingReference,
    appropriation: [a.appropriation, a.appropriationItem ? `anslagspost ${a.appropriationItem}` : null, a.appropriationName].filter(Boolean).join(", "),
    period: `${day(a.periodStart)} – ${day(a.periodEnd)}`,
    responsible: a.responsibleBoard.name,
    coordinating: a.coordinatingBoard.name,
    reportDueOn: day(a.reportDueOn),
    total: kr(a.totalOre),
    allocated: kr(a.allocatedOre),
    notAllocated: kr(a.totalOre - a.allocatedOre),
    state: a.state,
    stateLabel: stateLabel("assignment", a.state),
    stateNext: stateNext("assignment", a.state),
    boards: figures.rows,
    totals: figures.totals.get(a.id) ?? null,
  };
}
