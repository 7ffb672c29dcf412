// The words an application is found by (registration number, title,
// description) are kept in "ApplicationText" by triggers (decision 0014):
// written when that text changes, left alone when only the state changes, so
// a decision does not analyse up to 10 000 characters of description again.
import { beforeAll, describe, expect, it } from "vitest";
import { searchApplicationIds } from "../../app/cases/search.server";
import { sqlOf } from "../../app/sql.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { buildSide, useWorldDatabase, type Side } from "../access/world";
import { AT, submitted } from "./world";

const t = useWorldDatabase();
let A: Side;
let id: string;

const found = (q: string, states = ["submitted", "inAssessment"]) => searchApplicationIds(t.db, q, null, states);
/** The kept row's version (xmin changes with every write of the row) and its words. */
async function kept(applicationId: string) {
  const [row] = await sqlOf(t.db).query<{ xmin: string; words: string }>(`select xmin::text as xmin, document::text as words from "ApplicationText" where "applicationId" = $1::uuid`, [applicationId]);
  return row;
}

beforeAll(async () => {
  A = await buildSide(t.db, "A");
  id = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Ljusare kvällar i Motala", 500_000n, { description: "Belysning längs gång- och cykelvägar till skolorna." });
}, 120_000);

describe("the words an application is found by", () => {
  it("are kept when the application is made and registered: title, description and registration number", async () => {
    expect(await found("kvällar")).toContain(id);
    expect(await found("belysningen")).toContain(id); // Swedish stemming: "Belysning" is found in another form
    const { registrationNumber } = await t.db.application.findUniqueOrThrow({ where: { id }, select: { registrationNumber: true } });
    expect(registrationNumber).toBeTruthy();
    expect(await found(registrationNumber!)).toContain(id);
  });

  it("are left alone when only the state changes (no new row version, the case still found)", async () => {
    const before = await kept(id);
    await applyWorkflowEvent(t.db, A.officer2, "application", id, { type: "START_ASSESSMENT" }, { now: AT });
    const after = await kept(id);
    expect(after).toEqual(before);
    expect(await found("kvällar")).toContain(id);
  });

  it("follow a change of the text: the new words find the case, the old ones no longer do", async () => {
    const before = await kept(id);
    await t.db.application.update({ where: { id }, data: { description: "Snöröjning av cykelvägar på vintern." } });
    expect((await kept(id)).xmin).not.toBe(before.xmin);
    expect(await found("snöröjning")).toContain(id);
    expect(await found("belysning")).not.toContain(id);
    expect(await found("kvällar")).toContain(id); // the title is unchanged and still there
  });

  it("go with a draft when it is removed", async () => {
    const { id: draftId } = await createApplicationDraft(t.db, A.users.applicant, A.callId, A.applicantOrgId, { title: "Utkast om fågelholkar", requestedOre: 100_000n }, AT);
    expect(await kept(draftId)).toBeDefined();
    await sqlOf(t.db).query(`delete from "Application" where id = $1::uuid`, [draftId]);
    expect(await kept(draftId)).toBeUndefined();
  });
});
