// The decision maker's list (/beslut): cases presented for decision in the
// boards where the user is a decision maker, filtered by call and searched
// like the work queue, 25 per page. Each row says whether this user may
// decide it (four eyes and jäv, the statechart's rules, shown in advance; the
// workflow still checks them when deciding).
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { applicationScope, orgIdsWithRole, type Principal } from "~/access/permissions.server";
import { formatKronor } from "~/lib/money";
import { formatDateTime } from "~/lib/dates";
import { OUTCOME_LABELS } from "~/lib/state-labels";
import { searchApplicationIds } from "~/cases/search.server";
import type { DecisionQueueFilters, DecisionQueueQuery } from "./queue-query";

export const DECISION_PAGE_SIZE = 25;

/** Presented cases of the user's decision-maker boards matching the filters. */
export async function presentedWhere(db: Db, user: Principal, filters: DecisionQueueFilters): Promise<Prisma.ApplicationWhereInput> {
  const boards = orgIdsWithRole(user, ["decision_maker"]);
  const and: Prisma.ApplicationWhereInput[] = [applicationScope(user), { boardId: { in: boards }, state: "presented" }];
  if (filters.callId) and.push({ callId: filters.callId });
  if (filters.q) and.push({ id: { in: await searchApplicationIds(db, filters.q, { boardIds: boards, applicantOrgIds: [] }, ["presented"]) } });
  return { AND: and };
}

/** Why this user may not decide a case, in Swedish, or null when the rules allow it. */
export function whyNotDecider(userId: string, presenterId: string | null, jav: boolean): string | null {
  if (jav) return "Du har anmält jäv i ärendet.";
  if (presenterId === userId) return "Du har föredragit ärendet.";
  return null;
}

export async function listPresented(db: Db, user: Principal, query: DecisionQueueQuery) {
  const where = await presentedWhere(db, user, query);
  const boards = orgIdsWithRole(user, ["decision_maker"]);
  const [total, calls] = await Promise.all([
    db.application.count({ where }),
    db.call.findMany({
      where: { boardId: { in: boards }, applications: { some: { state: "presented" } } },
      select: { id: true, title: true, budgetOre: true, grantedOre: true },
      orderBy: { title: "asc" },
    }),
  ]);
  const pages = Math.max(1, Math.ceil(total / DECISION_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await db.application.findMany({
    where,
    orderBy: [{ registrationNumber: "asc" }, { id: "asc" }],
    skip: (page - 1) * DECISION_PAGE_SIZE,
    take: DECISION_PAGE_SIZE,
    select: {
      id: true,
      title: true,
      registrationNumber: true,
      requestedOre: true,
      callId: true,
      applicantOrg: { select: { name: true } },
      call: { select: { title: true } },
      assessments: { orderBy: { createdAt: "desc" }, take: 1, select: { officerId: true, recommendation: true, recommendedOre: true, createdAt: true } },
      conflicts: { where: { userId: user.id }, select: { id: true } },
    },
  });
  const presenterIds = [...new Set(rows.flatMap((r) => r.assessments.map((x) => x.officerId)))];
  const names = new Map((presenterIds.length ? await db.user.findMany({ where: { id: { in: presenterIds } }, select: { id: true, name: true } }) : []).map((u) => [u.id, u.name]));
  const selectedCall = query.callId ? calls.find((c) => c.id === query.callId) : undefined;
  return {
    total,
    page,
    pages,
    calls: calls.map((c) => ({ id: c.id, title: c.title })),
    callBudget: selectedCall ? { title: selectedCall.title, budget: formatKronor(selectedCall.budgetOre), left: formatKronor(selectedCall.budgetOre - selectedCall.grantedOre) } : null,
    rows: rows.map((r) => {
      const assessment = r.assessments[0];
      return {
        id: r.id,
        title: r.title,
        registrationNumber: r.registrationNumber,
        applicant: r.applicantOrg.name,
        call: r.call.title,
        requested: formatKronor(r.requestedOre),
        recommendation: assessment?.recommendation ? OUTCOME_LABELS[assessment.recommendation] : "–",
        proposed: assessment?.recommendedOre != null ? formatKronor(assessment.recommendedOre) : null,
        presenter: assessment ? (names.get(assessment.officerId) ?? "Okänd användare") : "–",
        presentedAt: assessment ? formatDateTime(assessment.createdAt) : null,
        cannotDecide: whyNotDecider(user.id, assessment?.officerId ?? null, r.conflicts.length > 0),
      };
    }),
  };
}
