// The one place that decides access. Every loader and action asks here.
// Access follows from memberships: board staff see their own board's calls and
// cases; applicants their own organization's; coordinators read everything under
// the assignments their board coordinates. Outside that scope a record does not
// exist for the user (404), so ids of other organizations' cases leak nothing.
import type { Prisma } from "~/generated/prisma/client";
import type { Role } from "~/generated/prisma/enums";
import type { Db } from "~/db.server";
import { SqlParams } from "~/lib/sql-params";
import { sqlOf } from "~/sql.server";
import type { Application, Assignment, Call } from "~/generated/prisma/client";

export type Membership = { organizationId: string; role: Role };
export type Principal = { id: string; memberships: Membership[] };

export const STAFF_ROLES: Role[] = ["officer", "decision_maker", "finance", "admin"];

export function orgIdsWithRole(user: Principal, roles: Role[]): string[] {
  return [...new Set(user.memberships.filter((m) => roles.includes(m.role)).map((m) => m.organizationId))];
}

export function hasRole(user: Principal, role: Role, organizationId?: string): boolean {
  return user.memberships.some((m) => m.role === role && (organizationId === undefined || m.organizationId === organizationId));
}

/** Roles the user holds in one organization: the actor the statecharts see. */
export function rolesIn(user: Principal, organizationId: string): Role[] {
  return [...new Set(user.memberships.filter((m) => m.organizationId === organizationId).map((m) => m.role))];
}

export function notFound(): Response {
  return new Response("Hittades inte", { status: 404, statusText: "Not Found" });
}

export function forbidden(message = "Du har inte behörighet till detta."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

// ---------------------------------------------------------------------------
// Scopes: Prisma filters for "what may this user read", used by every list and lookup.

export function assignmentScope(user: Principal): Prisma.AssignmentWhereInput {
  const staff = orgIdsWithRole(user, STAFF_ROLES);
  const coordinating = orgIdsWithRole(user, ["coordinator"]);
  return {
    OR: [
      { responsibleBoardId: { in: staff } },
      { allocations: { some: { boardId: { in: staff } } } },
      { coordinatingBoardId: { in: coordinating } },
    ],
  };
}

export function callScope(user: Principal): Prisma.CallWhereInput {
  const staff = orgIdsWithRole(user, STAFF_ROLES);
  const coordinating = orgIdsWithRole(user, ["coordinator"]);
  const applicant = orgIdsWithRole(user, ["applicant"]);
  return {
    OR: [
      { boardId: { in: staff } },
      { allocation: { assignment: { coordinatingBoardId: { in: coordinating } } } },
      // Published calls are public; applicants also keep seeing calls they applied to.
      ...(applicant.length ? [{ state: { not: "draft" } }] : []),
    ],
  };
}

export function applicationScope(user: Principal): Prisma.ApplicationWhereInput {
  const staff = orgIdsWithRole(user, STAFF_ROLES);
  const coordinating = orgIdsWithRole(user, ["coordinator"]);
  const applicant = orgIdsWithRole(user, ["applicant"]);
  // A draft is the applicant's own unfinished work: the authority sees an application from
  // the moment it is submitted (and registered), not before.
  return {
    OR: [
      { boardId: { in: staff }, state: { not: "draft" } },
      { applicantOrgId: { in: applicant } },
      { call: { allocation: { assignment: { coordinatingBoardId: { in: coordinating } } } }, state: { not: "draft" } },
    ],
  };
}

// The same scopes as SQL conditions, for hot paths written in plain SQL (decision 0008).
// They must say exactly what the Prisma scopes above say: test/access/scope-sql.test.ts
// compares both for every kind of user.

/** `assignmentScope` as a condition on "Assignment" (alias `asg`). */
export function assignmentScopeSql(user: Principal, p: SqlParams, asg = "asg"): string {
  const staff = orgIdsWithRole(user, STAFF_ROLES);
  const coordinating = orgIdsWithRole(user, ["coordinator"]);
  const parts: string[] = [];
  if (staff.length) {
    const boards = p.add(staff);
    parts.push(`${asg}."responsibleBoardId" = any(${boards}::uuid[])`);
    parts.push(`exists (select 1 from "Allocation" al where al."assignmentId" = ${asg}.id and al."boardId" = any(${boards}::uuid[]))`);
  }
  if (coordinating.length) parts.push(`${asg}."coordinatingBoardId" = any(${p.add(coordinating)}::uuid[])`);
  return parts.length ? `(${parts.join(" or ")})` : "false";
}

/** `applicationScope` as a condition on "Application" (alias `a`). */
export function applicationScopeSql(user: Principal, p: SqlParams, a = "a"): string {
  const staff = orgIdsWithRole(user, STAFF_ROLES);
  const coordinating = orgIdsWithRole(user, ["coordinator"]);
  const applicant = orgIdsWithRole(user, ["applicant"]);
  const parts: string[] = [];
  if (staff.length) parts.push(`(${a}."boardId" = any(${p.add(staff)}::uuid[]) and ${a}.state <> 'draft')`);
  if (applicant.length) parts.push(`${a}."applicantOrgId" = any(${p.add(applicant)}::uuid[])`);
  if (coordinating.length) parts.push(`(${a}."callId" in (${coordinatedCallIdsSql(coordinating, p)}) and ${a}.state <> 'draft')`);
  return parts.length ? `(${parts.join(" or ")})` : "false";
}

/** `callScope` as a condition on "Call" (alias `c`). */
export function callScopeSql(user: Principal, p: SqlParams, c = "c"): string {
  const staff = orgIdsWithRole(user, STAFF_ROLES);
  const coordinating = orgIdsWithRole(user, ["coordinator"]);
  const applicant = orgIdsWithRole(user, ["applicant"]);
  const parts: string[] = [];
  if (staff.length) parts.push(`${c}."boardId" = any(${p.add(staff)}::uuid[])`);
  if (coordinating.length) parts.push(`${c}.id in (${coordinatedCallIdsSql(coordinating, p)})`);
  if (applicant.length) parts.push(`${c}.state <> 'draft'`);
  return parts.length ? `(${parts.join(" or ")})` : "false";
}

/** Ids of the calls under assignments these boards coordinate. */
function coordinatedCallIdsSql(coordinating: string[], p: SqlParams): string {
  return `select cc.id from "Call" cc join "Allocation" al on al.id = cc."allocationId" join "Assignment" asg on asg.id = al."assignmentId" where asg."coordinatingBoardId" = any(${p.add(coordinating)}::uuid[])`;
}

// ---------------------------------------------------------------------------
// Lookups that throw 404 outside the user's scope.

// The assignment and call pages start here: one plain-SQL statement each (decision 0008), whose
// row has the shapes Prisma gives (app/sql.server.ts).

export async function requireAssignment(db: Db, user: Principal, id: string): Promise<Assignment> {
  if (!isUuid(id)) throw notFound();
  const p = new SqlParams();
  const [found] = await sqlOf(db).query<Assignment>(`select asg.* from "Assignment" asg where asg.id = ${p.add(id)}::uuid and ${assignmentScopeSql(user, p)}`, p.values);
  if (!found) throw notFound();
  return found;
}

export async function requireCall(db: Db, user: Principal, id: string): Promise<Call> {
  if (!isUuid(id)) throw notFound();
  const p = new SqlParams();
  const [found] = await sqlOf(db).query<Call>(`select c.* from "Call" c where c.id = ${p.add(id)}::uuid and ${callScopeSql(user, p)}`, p.values);
  if (!found) throw notFound();
  return found;
}

export async function requireApplication(db: Db, user: Principal, id: string): Promise<Application> {
  if (!isUuid(id)) throw notFound();
  // Every case page and case action starts here: one plain-SQL statement (decision 0008),
  // whose row has the shapes Prisma gives (app/sql.server.ts).
  const p = new SqlParams();
  const [found] = await sqlOf(db).query<Application>(`select a.* from "Application" a where a.id = ${p.add(id)}::uuid and ${applicationScopeSql(user, p)}`, p.values);
  if (!found) throw notFound();
  return found;
}

/** May this user see documents marked as secret (sekretessmarkering) on this case? Board staff only. */
export function canSeeSecretDocuments(user: Principal, application: { boardId: string }): boolean {
  return orgIdsWithRole(user, STAFF_ROLES).includes(application.boardId);
}

/** Staff of the board that owns the case: the only ones who may act on it as the authority. */
export function isCaseStaff(user: Principal, application: { boardId: string }): boolean {
  return orgIdsWithRole(user, STAFF_ROLES).includes(application.boardId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string | undefined): value is string {
  return typeof value === "string" && UUID.test(value);
}

// ---------------------------------------------------------------------------
// Who sees what inside a case, and which pages a user may open at all.

/** How a user stands to a case they may read: the board's staff, the coordinating board, or the applicant. */
export type CaseAudience = "staff" | "coordinator" | "applicant";

export function caseAudience(user: Principal, application: { boardId: string; applicantOrgId: string }, coordinatingBoardId: string | null): CaseAudience {
  if (isCaseStaff(user, application)) return "staff";
  if (coordinatingBoardId !== null && hasRole(user, "coordinator", coordinatingBoardId)) return "coordinator";
  return "applicant";
}

/**
 * Internal case work (assessments, jäv declarations, internal timeline entries): the board's
 * staff and the coordinating board, never the applicant.
 */
export function canSeeCaseWork(audience: CaseAudience): boolean {
  return audience !== "applicant";
}

/** Assignments (regeringsuppdrag) are the authorities' business: board staff and coordinators. */
export function canListAssignments(user: Principal): boolean {
  return user.memberships.some((m) => m.role === "coordinator" || STAFF_ROLES.includes(m.role));
}

export function requireAssignmentAccess(user: Principal): void {
  if (!canListAssignments(user)) throw forbidden("Uppdrag visas bara för länsstyrelsernas personal.");
}

/** A disbursement of this application's grant, or 404 (an id from another case leaks nothing). */
export async function requireDisbursementOf(db: Db, applicationId: string, disbursementId: string) {
  if (!isUuid(disbursementId)) throw notFound();
  const found = await db.disbursement.findFirst({ where: { id: disbursementId, grant: { applicationId } } });
  if (!found) throw notFound();
  return found;
}

// ---------------------------------------------------------------------------
// Finance screens (/ekonomi): payments and reclaims of the boards where the user
// is the finance function or an admin. Acting on them is still the statecharts'
// call (attest and pay: finance only, never the planner).

export function financeBoardIds(user: Principal): string[] {
  return orgIdsWithRole(user, ["finance", "admin"]);
}

export function requireFinanceAccess(user: Principal): void {
  if (financeBoardIds(user).length === 0) throw forbidden("Ekonomisidorna visas bara för länsstyrelsernas ekonomifunktion.");
}

export function disbursementScope(user: Principal): Prisma.DisbursementWhereInput {
  return { grant: { application: { boardId: { in: financeBoardIds(user) } } } };
}

export function reclaimScope(user: Principal): Prisma.ReclaimWhereInput {
  return { grant: { application: { boardId: { in: financeBoardIds(user) } } } };
}

/** An instalment of a board where the user is finance or admin, or 404. */
export async function requireDisbursement(db: Db, user: Principal, id: string) {
  if (!isUuid(id)) throw notFound();
  const found = await db.disbursement.findFirst({ where: { AND: [{ id }, disbursementScope(user)] } });
  if (!found) throw notFound();
  return found;
}

/**
 * An attachment the user may download: it belongs to an application (directly or through a
 * report on its grant) the user may read, and a file marked secret only for the board's staff.
 * Anything else is 404.
 */
export async function requireAttachment(db: Db, user: Principal, id: string) {
  if (!isUuid(id)) throw notFound();
  const attachment = await db.attachment.findUnique({ where: { id } });
  if (!attachment) throw notFound();
  let applicationId = attachment.applicationId;
  if (!applicationId && attachment.reportId) {
    const report = await db.report.findUnique({ where: { id: attachment.reportId }, select: { grant: { select: { applicationId: true } } } });
    applicationId = report?.grant.applicationId ?? null;
  }
  if (!applicationId) throw notFound();
  const application = await requireApplication(db, user, applicationId);
  if (attachment.secrecy && !canSeeSecretDocuments(user, application)) throw notFound();
  return attachment;
}

/** The organizations in which the user may act as applicant (apply, invite colleagues). */
export function applicantOrgIds(user: Principal): string[] {
  return orgIdsWithRole(user, ["applicant"]);
}

/** May this user manage the applicant organization (its page, members, invitations)? Else 404. */
export function requireApplicantOrg(user: Principal, organizationId: string): void {
  if (!isUuid(organizationId) || !applicantOrgIds(user).includes(organizationId)) throw notFound();
}

// ---------------------------------------------------------------------------
// Figures and exports of an assignment (/samordning, budget at a glance, redovisning).

const REPORT_ROLES: Role[] = [...STAFF_ROLES, "coordinator"];

/** The coordination pages (/samordning) are the authorities' business: board staff and coordinators. */
export function requireReportAccess(user: Principal): void {
  if (!user.memberships.some((m) => REPORT_ROLES.includes(m.role))) throw forbidden("Samordning visas bara för länsstyrelsernas personal.");
}

/** Assignments whose figures the user may see: those their board coordinates, and those their board has money from. */
export function reportAssignmentScope(user: Principal): Prisma.AssignmentWhereInput {
  return {
    OR: [
      { coordinatingBoardId: { in: orgIdsWithRole(user, ["coordinator"]) } },
      { allocations: { some: { boardId: { in: orgIdsWithRole(user, REPORT_ROLES) } } } },
    ],
  };
}

/**
 * The boards under an assignment whose figures in detail the user may see: every board (null) for
 * the coordinating board's coordinators, otherwise the user's own boards among those with an
 * allocation (decision 0007). /samordning, budget at a glance and a call's budget page ask this.
 */
export function reportBoardIds(user: Principal, coordinatingBoardId: string, allocationBoardIds: readonly string[]): string[] | null {
  if (hasRole(user, "coordinator", coordinatingBoardId)) return null;
  const mine = orgIdsWithRole(user, REPORT_ROLES);
  return allocationBoardIds.filter((id) => mine.includes(id));
}

/**
 * Whose figures under this assignment the user may see: every board (null) for the
 * coordinating board's coordinators, otherwise only the user's own boards that have an
 * allocation. Anyone else gets 404: the assignment does not exist for them.
 */
export async function requireReportScope(db: Db, user: Principal, assignmentId: string) {
  if (!isUuid(assignmentId)) throw notFound();
  const assignment = await db.assignment.findFirst({ where: { id: assignmentId }, include: { allocations: { select: { boardId: true } } } });
  if (!assignment) throw notFound();
  const boardIds = reportBoardIds(user, assignment.coordinatingBoardId, assignment.allocations.map((a) => a.boardId));
  if (boardIds !== null && boardIds.length === 0) throw notFound();
  return { assignment, boardIds };
}

/** Budget at a glance for a call: the board's staff and the assignment's coordinators (not applicants), else 404. */
export async function requireCallFigures(db: Db, user: Principal, callId: string) {
  if (!isUuid(callId)) throw notFound();
  const call = await db.call.findFirst({ where: { id: callId }, include: { allocation: { select: { assignmentId: true, assignment: { select: { coordinatingBoardId: true } } } } } });
  if (!call) throw notFound();
  if (reportBoardIds(user, call.allocation.assignment.coordinatingBoardId, [call.boardId])?.length === 0) throw notFound();
  return call;
}

/** Import of earlier years' grants: officers and admins of a board, into their own board's calls. */
export function importBoardIds(user: Principal): string[] {
  return orgIdsWithRole(user, ["officer", "admin"]);
}
