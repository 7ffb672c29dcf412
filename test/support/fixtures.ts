// Small builders for integration tests: boards, applicant organizations, users with roles.
import { randomUUID } from "node:crypto";
import type { Db } from "../../app/db.server";
import type { Role, OrganizationKind } from "../../app/generated/prisma/enums";
import type { Principal } from "../../app/access/permissions.server";
import { orgNumberFromBase } from "../../app/lib/org-number";

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
