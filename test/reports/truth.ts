// Sums taken straight from the detail tables, written independently of app/reports/figures.server.ts:
// what every screen and file must agree with.
import type { Db } from "../../app/db.server";

export async function databaseTruth(db: Db, assignmentId: string, boardId: string | null = null): Promise<Record<string, string>> {
  const board = boardId;
  const [r] = await db.$queryRawUnsafe<Record<string, string>[]>(
    `select
       (select coalesce(sum(g."amountOre"), 0) from "Grant" g join "Application" a on a.id = g."applicationId" join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and g.state <> 'cancelled' and ($2::uuid is null or a."boardId" = $2::uuid))::text as decided,
       (select coalesce(sum(d."amountOre"), 0) from "Disbursement" d join "Grant" g on g.id = d."grantId" join "Application" a on a.id = g."applicationId" join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and d.state = 'paid' and ($2::uuid is null or a."boardId" = $2::uuid))::text as paid,
       (select coalesce(sum(r."usedOre"), 0) from "Report" r join "Grant" g on g.id = r."grantId" join "Application" a on a.id = g."applicationId" join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and r.kind = 'final' and r."submittedAt" is not null and ($2::uuid is null or a."boardId" = $2::uuid))::text as used,
       (select coalesce(sum(r."amountOre" - r."waivedOre"), 0) from "Reclaim" r join "Grant" g on g.id = r."grantId" join "Application" a on a.id = g."applicationId" join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and r.state in ('decided', 'repaid', 'waived') and ($2::uuid is null or a."boardId" = $2::uuid))::text as reclaimed,
       (select count(*) from "Application" a join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and a.state <> 'draft' and ($2::uuid is null or a."boardId" = $2::uuid))::text as received,
       (select count(*) from "Application" a join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and a.state = 'withdrawn' and ($2::uuid is null or a."boardId" = $2::uuid))::text as withdrawn,
       (select coalesce(sum(a."requestedOre"), 0) from "Application" a join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and a.state <> 'draft' and ($2::uuid is null or a."boardId" = $2::uuid))::text as requested,
       (select coalesce(sum(r."repaidOre"), 0) from "Reclaim" r join "Grant" g on g.id = r."grantId" join "Application" a on a.id = g."applicationId" join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and ($2::uuid is null or a."boardId" = $2::uuid))::text as repaid,
       (select count(*) from "Grant" g join "Application" a on a.id = g."applicationId" join "Call" c on c.id = a."callId" join "Allocation" al on al.id = c."allocationId"
         where al."assignmentId" = $1::uuid and g.state <> 'cancelled' and ($2::uuid is null or a."boardId" = $2::uuid))::text as grants,
       (select coalesce(sum(al."amountOre"), 0) from "Allocation" al where al."assignmentId" = $1::uuid and ($2::uuid is null or al."boardId" = $2::uuid))::text as allocated`,
    assignmentId,
    board,
  );
  return r;
}

