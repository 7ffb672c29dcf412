// The year and call filters of /samordning/:id and its downloads, read from the URL: a value the
// user (or an old bookmark) got wrong is reported in Swedish and left out, never in zod's English.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { boardOf, makePublishedCall, makeUser } from "../support/fixtures";
import { parseReportFilter } from "../../app/reports/overview.server";

const t = useTestDatabase();
let world: Awaited<ReturnType<typeof makePublishedCall>>;

beforeAll(async () => {
  const board = await boardOf(t.db, "05");
  const officer = await makeUser(t.db, [{ organizationId: board.id, role: "officer" }], "Handläggare");
  world = await makePublishedCall(t.db, officer, board.id);
});

const parse = (query: string) => parseReportFilter(t.db, new URL(`http://localhost/samordning/${world.assignment.id}${query}`), world.assignment.id, null);

describe("the report filter", () => {
  it("takes a year and a call of the assignment", async () => {
    const r = await parse(`?ar=2020&utlysning=${world.call.id}`);
    expect(r.errors).toEqual([]);
    expect([r.filter.year, r.filter.callId]).toEqual([2020, world.call.id]);
    expect(r.options.years).toEqual([2020]);
  });

  it("treats empty values as no filter", async () => {
    const r = await parse("?ar=&utlysning=");
    expect(r.errors).toEqual([]);
    expect([r.filter.year, r.filter.callId]).toEqual([null, null]);
  });

  it("reports a malformed year and call in Swedish, and filters on neither", async () => {
    const r = await parse("?ar=abcd&utlysning=xyz");
    expect(r.errors).toEqual([
      { field: "ar", message: "Välj ett år med fyra siffror." },
      { field: "utlysning", message: "Välj en utlysning i listan." },
    ]);
    expect(JSON.stringify(r.errors)).not.toContain("Invalid");
    expect([r.filter.year, r.filter.callId]).toEqual([null, null]);
    expect(r.values).toEqual({ ar: "abcd", utlysning: "xyz" });
  });

  it("reports a call of another assignment", async () => {
    const r = await parse("?utlysning=00000000-0000-4000-8000-000000000000");
    expect(r.errors).toEqual([{ field: "utlysning", message: "Utlysningen hör inte till uppdraget. Välj en utlysning i listan." }]);
    expect(r.filter.callId).toBeNull();
  });
});
