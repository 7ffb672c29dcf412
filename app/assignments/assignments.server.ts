// Government assignments (regeringsuppdrag) a user may read, and each board's
// figures under them: allocated, committed to calls, granted, paid, and what is
// left. Sums are computed in SQL on bigint öre and come back as text, so no
// amount ever passes through a floating-point number.
import type { Db } from "~/db.server";
import { sqlOf } from "~/sql.server";
import { assignmentScope, type Principal } from "~/access/permissions.server";
import { formatKronor } from "~/lib/money";
import { formatDate, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { figuresBy, prismaRunner, type FigureRow } from "~/reports/figures.server";
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

/**
 * Per board and assignment: allocated (Allocation.amountOre), committed to calls (Σ call budgets),
 * granted (Σ grants in force) and paid, taken from the one figures module (app/reports), so the
 * start page, /uppdrag, /samordning and the exports show the same numbers.
 */
export async function allocationFigures(db: Db, assignmentIds: string[]): Promise<{ rows: BoardFigures[]; totals: Map<string, Omit<BoardFigures, "allocationId" | "assignmentId" | "boardId" | "board">> }> {
  const rows: BoardFigures[] = [];
  const totals = new Map<string, Omit<BoardFigures, "allocationId" | "assignmentId" | "boardId" | "board">>();
  const today = todayInStockholm();
  for (const assignmentId of assignmentIds) {
    const allocations = await db.allocation.findMany({ where: { assignmentId }, select: { id: true, boardId: true } });
    const allocationOf = new Map(allocations.map((a) => [a.boardId, a.id]));
    const { rows: boards, total } = await figuresBy(prismaRunner(db), "board", { assignmentId, boardIds: null, year: null, callId: null }, today);
    const shown = (r: FigureRow) => ({
      allocated: kr(r.allocated ?? 0n),
      committed: kr(r.committed ?? 0n),
      granted: kr(r.decided),
      paid: kr(r.paid),
      notInCalls: kr((r.allocated ?? 0n) - (r.committed ?? 0n)),
      leftToGrant: kr((r.allocated ?? 0n) - r.decided),
    });
    for (const r of [...boards].sort((x, y) => x.label.localeCompare(y.label, "sv"))) {
      rows.push({ allocationId: allocationOf.get(r.key) ?? r.key, assignmentId, boardId: r.key, board: r.label, ...shown(r) });
    }
    if (boards.length) totals.set(assignmentId, shown(total));
  }
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
type AssignmentViewRow = {
  id: string;
  reference: string;
  title: string;
  description: string;
  issuer: string;
  fundingReference: string;
  appropriation: string;
  appropriationItem: string | null;
  appropriationName: string | null;
  periodStart: Date;
  periodEnd: Date;
  reportDueOn: Date;
  totalOre: bigint;
  allocatedOre: bigint;
  state: string;
  responsible: string;
  coordinating: string;
  boards: { boardId: string; board: string }[];
};

export async function loadAssignmentView(db: Db, assignmentId: string) {
  // One statement (decision 0008): the assignment page is read far more often than it changes.
  const [a] = await sqlOf(db).query<AssignmentViewRow>(
    `select a.id, a.reference, a.title, a.description, a.issuer, a."fundingReference", a.appropriation, a."appropriationItem", a."appropriationName",
            a."periodStart", a."periodEnd", a."reportDueOn", a."totalOre", a."allocatedOre", a.state::text as state,
            rb.name as responsible, cb.name as coordinating,
            coalesce((select json_agg(json_build_object('boardId', al."boardId", 'board', b.name))
                        from "Allocation" al join "Organization" b on b.id = al."boardId" where al."assignmentId" = a.id), '[]'::json) as boards
       from "Assignment" a join "Organization" rb on rb.id = a."responsibleBoardId" join "Organization" cb on cb.id = a."coordinatingBoardId"
      where a.id = $1::uuid`,
    [assignmentId],
  );
  if (!a) throw new Error(`Assignment ${assignmentId} not found`);
  // Only who has an allocation: the page's figures come from budget at a glance.
  const boards = a.boards.sort((x, y) => x.board.localeCompare(y.board, "sv"));
  return {
    id: a.id,
    reference: a.reference,
    title: a.title,
    description: a.description,
    issuer: a.issuer,
    fundingReference: a.fundingReference,
    appropriation: [a.appropriation, a.appropriationItem ? `anslagspost ${a.appropriationItem}` : null, a.appropriationName].filter(Boolean).join(", "),
    period: `${day(a.periodStart)} – ${day(a.periodEnd)}`,
    responsible: a.responsible,
    coordinating: a.coordinating,
    reportDueOn: day(a.reportDueOn),
    total: kr(a.totalOre),
    allocated: kr(a.allocatedOre),
    notAllocated: kr(a.totalOre - a.allocatedOre),
    state: a.state,
    stateLabel: stateLabel("assignment", a.state),
    stateNext: stateNext("assignment", a.state),
    boards,
  };
}
