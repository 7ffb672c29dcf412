// Small builders for integration tests: boards, applicant organizations, users with roles.
import { randomUUID } from "node:crypto";
import type { Db } from "../../app/db.server";
import type { Role, OrganizationKind } from "../../app/generated/prisma/enums";
import type { Principal } from "../../app/access/permissions.server";
import { orgNumberFromBase } from "../../app/lib/org-number";
import { allocate, createAssignment, createCall, type NewCall } from "../../app/workflow/create.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";

let counter = 0;

export async function boardOf(db: Db, countyCode: string) {
  return db.organization.findFirstOrThrow({ where: { kind: "county_board", countyCode } });
}

export async function makeOrganization(db: Db, opts: { name?: string; kind?: OrganizationKind; municipalityCode?: string } = {}) {
  const kind = opts.kind ?? "municipality";
  counter++;
  const base = `${kind === "nonprofit_association" || kind === "foundation" ? "8" : "2"}${String(process.pid % 10000).padStart(4, "0")}${String(counter).padStart(4, "0")}`;
  return db.organization.create({
    data: {
      name: opts.name ?? `Testorganisation ${counter}`,
      kind,
      orgNumber: orgNumberFromBase(base.slice(0, 9)),
      municipalityCode: opts.municipalityCode ?? "0580",
      countyCode: (opts.municipalityCode ?? "0580").slice(0, 2),
    },
  });
}

export async function makeUser(db: Db, memberships: { organizationId: string; role: Role }[], name = "Test Person"): Promise<Principal & { email: string }> {
  const email = `user-${randomUUID()}@example.se`;
  const user = await db.user.create({ data: { email, name, passwordHash: "not-a-hash", memberships: { create: memberships } } });
  return { id: user.id, email, memberships };
}

/**
 * An assignment of the board, an allocation to it and a published call under it:
 * the usual starting point of a case. Call terms can be overridden.
 */
export async function makePublishedCall(
  db: Db,
  officer: Principal,
  boardId: string,
  opts: { call?: Partial<NewCall>; totalOre?: bigint; allocationOre?: bigint; coordinatingBoardId?: string; at?: Date } = {},
) {
  const at = opts.at ?? new Date("2020-02-01T09:00:00Z");
  const assignment = await createAssignment(db, officer, {
    reference: `A2020/${randomUUID().slice(0, 8)}`,
    title: "Hedersrelaterat våld och förtryck 2020",
    issuer: "Regeringen",
    fundingReference: "Regleringsbrev 2020",
    appropriation: "3:1",
    periodStart: new Date("2020-01-01"),
    periodEnd: new Date("2020-12-31"),
    totalOre: opts.totalOre ?? 2_000_000_000n,
    responsibleBoardId: boardId,
    coordinatingBoardId: opts.coordinatingBoardId ?? boardId,
    reportDueOn: new Date("2021-03-31"),
  }, at);
  const allocation = await allocate(db, officer, assignment.id, boardId, opts.allocationOre ?? 500_000_000n, at);
  const call = await createCall(db, officer, allocation.id, {
    title: "Utvecklingsmedel 2020",
    budgetOre: 100_000_000n,
    opensAt: new Date("2020-02-01T00:00:00Z"),
    closesAt: new Date("2020-03-31T21:59:59Z"),
    eligibleKinds: ["municipality"],
    finalReportDueOn: new Date("2021-02-28"),
    appealNotice: "Beslutet kan inte överklagas.",
    paymentTerms: { instalments: [{ sharePercent: 50, trigger: "at_start" }, { sharePercent: 50, trigger: "after_final_report" }] },
    ...opts.call,
  }, at);
  await applyWorkflowEvent(db, officer, "call", call.id, { type: "PUBLISH" }, { now: at });
  return { assignment, allocation, call };
}
