// Calls as an applicant sees them: open calls first, with whether this organization
// may apply (its kind among the eligible kinds; the call open now), and closed calls
// still visible but not applicable.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { applicantOrgIds, callScope, type Principal } from "~/access/permissions.server";
import { formatKronor } from "~/lib/money";
import { formatDateTime } from "~/lib/dates";
import { ORGANIZATION_KIND_LABELS, stateLabel } from "~/lib/state-labels";

export const APPLICANT_CALLS_PER_PAGE = 25;

type CallForApplicant = { state: string; closesAt: Date; opensAt: Date; eligibleKinds: string[] };
type Org = { id: string; name: string; kind: string };

/** May any of the user's organizations apply to this call now, and if not, why not (in Swedish)? */
export function eligibilityOf(call: CallForApplicant, orgs: Org[], now: Date): { open: boolean; canApply: boolean; text: string } {
  const open = call.state === "published" && call.opensAt <= now && now < call.closesAt;
  if (!open) return { open, canApply: false, text: call.state === "published" && now < call.opensAt ? `Öppnar ${formatDateTime(call.opensAt)}.` : "Utlysningen är stängd och tar inte emot ansökningar." };
  const eligible = orgs.filter((o) => call.eligibleKinds.includes(o.kind));
  if (eligible.length === 0) {
    const kinds = [...new Set(orgs.map((o) => ORGANIZATION_KIND_LABELS[o.kind] ?? o.kind))].join(", ");
    return { open, canApply: false, text: `Er typ av organisation (${kinds}) får inte söka i den här utlysningen.` };
  }
  return { open, canApply: true, text: eligible.length === orgs.length ? "Ni kan söka." : `${eligible.map((o) => o.name).join(", ")} kan söka.` };
}

async function userOrgs(db: Db, user: Principal): Promise<Org[]> {
  return db.organization.findMany({ where: { id: { in: applicantOrgIds(user) } }, select: { id: true, name: true, kind: true } });
}

export async function listCallsForApplicant(db: Db, user: Principal, url: URL, now = new Date()) {
  const closed = url.searchParams.get("visa") === "stangda";
  const pageParam = Number(url.searchParams.get("sida") ?? "1");
  const orgs = await userOrgs(db, user);
  const openWhere: Prisma.CallWhereInput = { state: "published", closesAt: { gt: now } };
  const where: Prisma.CallWhereInput = { AND: [callScope(user), closed ? { NOT: openWhere, state: { not: "draft" } } : openWhere] };
  const [total, openCount, closedCount] = await Promise.all([
    db.call.count({ where }),
    db.call.count({ where: { AND: [callScope(user), openWhere] } }),
    db.call.count({ where: { AND: [callScope(user), { NOT: openWhere, state: { not: "draft" } }] } }),
  ]);
  const pages = Math.max(1, Math.ceil(total / APPLICANT_CALLS_PER_PAGE));
  const page = Math.min(Number.isSafeInteger(pageParam) && pageParam >= 1 ? pageParam : 1, pages);
  const rows = await db.call.findMany({
    where,
    orderBy: [{ closesAt: closed ? "desc" : "asc" }, { id: "asc" }],
    skip: (page - 1) * APPLICANT_CALLS_PER_PAGE,
    take: APPLICANT_CALLS_PER_PAGE,
    select: { id: true, title: true, state: true, opensAt: true, closesAt: true, budgetOre: true, maxAmountOre: true, eligibleKinds: true, board: { select: { name: true } } },
  });
  return {
    closed,
    openCount,
    closedCount,
    total,
    page,
    pages,
    rows: rows.map((c) => ({
      id: c.id,
      title: c.title,
      board: c.board.name,
      state: c.state,
      stateLabel: c.state === "published" && c.closesAt <= now ? "Stängd" : stateLabel("call", c.state),
      closesAt: formatDateTime(c.closesAt),
      budget: formatKronor(c.budgetOre),
      maxAmount: c.maxAmountOre === null ? null : formatKronor(c.maxAmountOre),
      eligible: c.eligibleKinds.map((k) => ORGANIZATION_KIND_LABELS[k] ?? k).join(", "),
      eligibility: eligibilityOf(c, orgs, now),
    })),
  };
}

/** On a call's page: may the user's organization apply, and their applications in it (linked to their own case pages). */
export async function applicantCallStatus(db: Db, user: Principal, callId: string, now = new Date()) {
  const call = await db.call.findUniqueOrThrow({ where: { id: callId }, select: { state: true, opensAt: true, closesAt: true, eligibleKinds: true } });
  const orgs = await userOrgs(db, user);
  const own = await db.application.findMany({
    where: { callId, applicantOrgId: { in: orgs.map((o) => o.id) } },
    orderBy: { createdAt: "desc" },
    select: { id: true, title: true, state: true, registrationNumber: true },
  });
  return {
    ...eligibilityOf(call, orgs, now),
    applications: own.map((a) => ({ id: a.id, title: a.title, registrationNumber: a.registrationNumber, stateLabel: stateLabel("application", a.state), draft: a.state === "draft" })),
  };
}
