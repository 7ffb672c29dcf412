// Registering assignments and allocating them to boards, through the real
// routes with real sessions against PostgreSQL: who may, what is refused, and
// that parallel allocations can never allocate more than the assignment.
import { beforeAll, describe, expect, it } from "vitest";
import * as newAssignment from "../../app/routes/_app.uppdrag.ny";
import * as allocatePage from "../../app/routes/_app.uppdrag.$id_.fordela";
import { setAllocation } from "../../app/assignments/admin.server";
import { reconcile } from "../../app/workflow/budget.server";
import { WorkflowRefused } from "../../app/workflow/errors";
import { boardOf, makeUser } from "../support/fixtures";
import { buildSide, sessionCookie, useWorldDatabase, type Side } from "../access/world";
import { callRoute, failureOf } from "./helpers";

const t = useWorldDatabase();
let A: Side;
let B: Side;
let officer: string;
let admin: string;
let decisionMaker: string;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  officer = await sessionCookie(t.db, A.users.officer.id);
  admin = await sessionCookie(t.db, A.users.admin.id);
  decisionMaker = await sessionCookie(t.db, A.users.decision_maker.id);
}, 120_000);

const form = (over: Record<string, string> = {}) => ({
  title: "Stärka arbetet mot hedersrelaterat våld 2026",
  reference: "HRV-2026",
  issuer: "Regeringen (Arbetsmarknadsdepartementet)",
  fundingReference: "Regleringsbrev för budgetåret 2026 avseende länsstyrelserna",
  appropriation: "3:1",
  appropriationItem: "4",
  appropriationName: "Särskilda jämställdhetsåtgärder",
  total: "20 000 000",
  periodStart: "2026-01-01",
  periodEnd: "2026-12-31",
  reportDueOn: "2027-03-31",
  responsibleBoardId: A.boardId,
  coordinatingBoardId: B.boardId,
  ...over,
});

describe("registering an assignment", () => {
  it("lets the board's officer register one: exact amount, dates, boards, and a CREATED audit event", async () => {
    const res = await callRoute(newAssignment, "action", "/uppdrag/ny", { cookie: officer, form: form() });
    expect(res.status, await res.clone().text()).toBe(302);
    const row = await t.db.assignment.findUniqueOrThrow({ where: { reference: "HRV-2026" } });
    expect(res.headers.get("Location")).toBe(`/uppdrag/${row.id}/fordela?klart=skapat`);
    expect(row.totalOre).toBe(2_000_000_000n);
    expect(row.allocatedOre).toBe(0n);
    expect(row.state).toBe("draft");
    expect(row.periodStart.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(row.reportDueOn.toISOString()).toBe("2027-03-31T00:00:00.000Z");
    expect([row.responsibleBoardId, row.coordinatingBoardId]).toEqual([A.boardId, B.boardId]);
    expect(row.appropriationName).toBe("Särskilda jämställdhetsåtgärder");
    const audit = await t.db.auditEvent.findMany({ where: { caseId: row.id } });
    expect(audit.map((e) => [e.eventType, e.actorId])).toEqual([["CREATED", A.users.officer.id]]);
  });

  it("refuses a form with errors: Swedish messages per field, what was typed kept, nothing saved", async () => {
    const before = await t.db.assignment.count();
    const res = await callRoute(newAssignment, "action", "/uppdrag/ny", { cookie: officer, form: form({ reference: "HRV-2027", total: "20.000.000", periodEnd: "2025-12-31", title: "" }) });
    expect(res.status).toBe(400);
    const f = await failureOf(res);
    expect(f.fieldErrors.total).toContain("inte punkt");
    expect(f.fieldErrors.periodEnd).toBe("Perioden kan inte sluta innan den börjar.");
    expect(f.fieldErrors.title).toBe("Skriv uppdragets namn.");
    expect(f.values.total).toBe("20.000.000");
    expect(await t.db.assignment.count()).toBe(before);
  });

  it("answers two simultaneous registrations of one reference with one assignment and a field message, never a 500", async () => {
    for (const reference of ["RACE-1", "RACE-2", "RACE-3"]) {
      const results = await Promise.all([1, 2].map(() => callRoute(newAssignment, "action", "/uppdrag/ny", { cookie: officer, form: form({ reference }) })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, reference).toEqual([302, 400]);
      const refused = results.find((r) => r.status === 400)!;
      expect((await failureOf(refused)).fieldErrors.reference).toBe("Det finns redan ett uppdrag med den beteckningen.");
      expect(await t.db.assignment.count({ where: { reference } })).toBe(1);
    }
  });

  it("refuses a reference that exists, and a responsible board where the user is not an officer", async () => {
    const dup = await failureOf(await callRoute(newAssignment, "action", "/uppdrag/ny", { cookie: officer, form: form() }));
    expect(dup.fieldErrors.reference).toBe("Det finns redan ett uppdrag med den beteckningen.");
    const res = await callRoute(newAssignment, "action", "/uppdrag/ny", { cookie: officer, form: form({ reference: "X-1", responsibleBoardId: B.boardId }) });
    expect(res.status).toBe(400);
    expect((await failureOf(res)).fieldErrors.responsibleBoardId).toBe("Välj en länsstyrelse där du är handläggare eller administratör.");
    expect(await t.db.assignment.findUnique({ where: { reference: "X-1" } })).toBeNull();
  });

  it("lets an admin of the board register one, and refuses a decision maker (403)", async () => {
    expect((await callRoute(newAssignment, "action", "/uppdrag/ny", { cookie: admin, form: form({ reference: "ADM-1" }) })).status).toBe(302);
    expect((await callRoute(newAssignment, "loader", "/uppdrag/ny", { cookie: decisionMaker })).status).toBe(403);
    expect((await callRoute(newAssignment, "action", "/uppdrag/ny", { cookie: decisionMaker, form: form({ reference: "DM-1" }) })).status).toBe(403);
    expect(await t.db.assignment.findUnique({ where: { reference: "DM-1" } })).toBeNull();
  });
});

describe("allocating an assignment to boards", () => {
  const post = (assignmentId: string, cookie: string, f: Record<string, string>) => callRoute(allocatePage, "action", `/uppdrag/${assignmentId}/fordela`, { cookie, params: { id: assignmentId }, form: f });

  it("gives a board its share, changes it, shows what is left, and audits each change from → to", async () => {
    const a = await t.db.assignment.findUniqueOrThrow({ where: { reference: "HRV-2026" } });
    const skane = await boardOf(t.db, "12");
    expect((await post(a.id, officer, { intent: "allocate", boardId: skane.id, amount: "3 000 000" })).status).toBe(302);
    expect((await post(a.id, officer, { intent: "allocate", boardId: A.boardId, amount: "8 000 000" })).status).toBe(302);
    expect((await post(a.id, officer, { intent: "allocate", boardId: skane.id, amount: "2 500 000,50" })).status).toBe(302);
    const rows = await t.db.allocation.findMany({ where: { assignmentId: a.id }, orderBy: { amountOre: "asc" } });
    expect(rows.map((r) => [r.boardId, r.amountOre])).toEqual([
      [skane.id, 250_000_050n],
      [A.boardId, 800_000_000n],
    ]);
    expect((await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } })).allocatedOre).toBe(1_050_000_050n);
    const page = await (await callRoute(allocatePage, "loader", `/uppdrag/${a.id}/fordela`, { cookie: officer, params: { id: a.id } })).json();
    expect(page.view.left).toBe("9\u00a0499\u00a0999,50\u00a0kr");
    const changes = await t.db.auditEvent.findMany({ where: { caseId: a.id, eventType: "ALLOCATE" }, orderBy: { id: "asc" } });
    expect(changes.map((e) => (e.payload as { fromOre: string; amountOre: string }).fromOre + "→" + (e.payload as { amountOre: string }).amountOre)).toEqual(["0→300000000", "0→800000000", "300000000→250000050"]);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("refuses more than is left of the assignment, with the amount left, and saves nothing", async () => {
    const a = await t.db.assignment.findUniqueOrThrow({ where: { reference: "HRV-2026" } });
    const before = await t.db.allocation.findMany({ where: { assignmentId: a.id } });
    const res = await post(a.id, officer, { intent: "allocate", boardId: A.boardId, amount: "18 000 000" });
    expect(res.status).toBe(422);
    const f = await failureOf(res);
    expect(f.fieldErrors.amount).toBe("Tilldelningen ryms inte i uppdragets belopp. Kvar att fördela: 9\u00a0499\u00a0999,50\u00a0kr.");
    expect(f.values.amount).toBe("18 000 000");
    expect(await t.db.allocation.findMany({ where: { assignmentId: a.id } })).toEqual(before);
  });

  it("refuses to shrink an allocation below the call budgets under it", async () => {
    // Side A's allocation is 5 MSEK with calls of 2 + 1 MSEK under it.
    const res = await post(A.assignmentId, officer, { intent: "allocate", boardId: A.boardId, amount: "2 999 999" });
    expect(res.status).toBe(422);
    expect((await failureOf(res)).fieldErrors.amount).toBe("Tilldelningen kan inte bli mindre än utlysningarnas budget under den: 3\u00a0000\u00a0000\u00a0kr.");
    expect((await t.db.allocation.findFirstOrThrow({ where: { assignmentId: A.assignmentId } })).amountOre).toBe(500_000_000n);
    expect((await post(A.assignmentId, officer, { intent: "allocate", boardId: A.boardId, amount: "3 000 000" })).status).toBe(302);
    expect((await t.db.allocation.findFirstOrThrow({ where: { assignmentId: A.assignmentId } })).amountOre).toBe(300_000_000n);
  });

  it("is refused to other staff of the board (403) and to another board's officer (404)", async () => {
    const a = await t.db.assignment.findUniqueOrThrow({ where: { reference: "HRV-2026" } });
    expect((await post(a.id, decisionMaker, { intent: "allocate", boardId: A.boardId, amount: "1" })).status).toBe(403);
    const otherOfficer = await sessionCookie(t.db, B.users.officer.id);
    expect((await post(A.assignmentId, otherOfficer, { intent: "allocate", boardId: B.boardId, amount: "1" })).status).toBe(404);
    expect(await t.db.allocation.count({ where: { assignmentId: A.assignmentId, boardId: B.boardId } })).toBe(0);
  });

  it("activates the assignment, and refuses changes once reporting has started", async () => {
    const a = await t.db.assignment.findUniqueOrThrow({ where: { reference: "HRV-2026" } });
    expect((await post(a.id, officer, { intent: "activate", version: String(a.version) })).status).toBe(302);
    expect((await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("active");
    await t.db.assignment.update({ where: { id: A.assignmentId }, data: { state: "reporting" } });
    const res = await post(A.assignmentId, officer, { intent: "allocate", boardId: A.boardId, amount: "4 000 000" });
    expect(res.status).toBe(422);
    expect((await failureOf(res)).formError).toBe("Fördelningen kan inte ändras när uppdraget redovisas eller är avslutat.");
    await t.db.assignment.update({ where: { id: A.assignmentId }, data: { state: "active" } });
  });

  it("never over-allocates under parallel requests: exactly what fits is allocated, the rest refused by name", async () => {
    const a = await t.db.assignment.findUniqueOrThrow({ where: { reference: "ADM-1" } });
    const boards = await t.db.organization.findMany({ where: { kind: "county_board" }, orderBy: { countyCode: "asc" }, take: 12 });
    const user = await makeUser(t.db, [{ organizationId: A.boardId, role: "officer" }]);
    // 12 boards ask for 3 MSEK each at once; 20 MSEK fits six of them.
    const results = await Promise.allSettled(boards.map((b) => setAllocation(t.db, user, a.id, b.id, 300_000_000n)));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(6);
    expect(refused.map((r) => (r.reason as WorkflowRefused).rule)).toEqual(Array(6).fill("allocationsWithinAssignment"));
    const after = await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } });
    const sum = await t.db.allocation.aggregate({ where: { assignmentId: a.id }, _sum: { amountOre: true } });
    expect(after.allocatedOre).toBe(1_800_000_000n);
    expect(sum._sum.amountOre).toBe(1_800_000_000n);
    expect(await t.db.auditEvent.count({ where: { caseId: a.id, eventType: "ALLOCATE" } })).toBe(6);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("holds through the page too: parallel POSTs from officers of the board allocate only what fits", async () => {
    const a = await t.db.assignment.findUniqueOrThrow({ where: { reference: "HRV-2026" } });
    const left = a.totalOre - a.allocatedOre;
    const boards = await t.db.organization.findMany({ where: { kind: "county_board", id: { notIn: (await t.db.allocation.findMany({ where: { assignmentId: a.id } })).map((x) => x.boardId) } }, take: 8 });
    // Each asks for 2 500 000 kr at the same moment.
    const results = await Promise.all(boards.map((b) => post(a.id, officer, { intent: "allocate", boardId: b.id, amount: "2 500 000" })));
    const fits = Number(left / 250_000_000n);
    expect(results.filter((r) => r.status === 302)).toHaveLength(Math.min(fits, boards.length));
    for (const r of results.filter((x) => x.status !== 302)) expect((await failureOf(r)).fieldErrors.amount).toMatch(/^Tilldelningen ryms inte i uppdragets belopp/);
    const after = await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } });
    expect(after.allocatedOre).toBeLessThanOrEqual(after.totalOre);
    expect(after.allocatedOre - a.allocatedOre).toBe(250_000_000n * BigInt(Math.min(fits, boards.length)));
    expect(await reconcile(t.db)).toEqual([]);
  });
});

describe("budget at a glance for one board's allocation (/uppdrag/:id?lansstyrelse=)", () => {
  it("opens another board's allocation in detail only for the coordinators, as /samordning and a call's budget page do", async () => {
    const assignmentPage = await import("../../app/routes/_app.uppdrag.$id");
    // A's assignment, coordinated by A, with money for B's board as well.
    await setAllocation(t.db, A.users.officer, A.assignmentId, B.boardId, 100_000_000n);
    const open = (cookie: string, board?: string) =>
      callRoute(assignmentPage, "loader", `/uppdrag/${A.assignmentId}${board ? `?lansstyrelse=${board}` : ""}`, { cookie, params: { id: A.assignmentId } });
    const bOfficer = await sessionCookie(t.db, B.users.officer.id);

    // B's officer: the assignment and B's own allocation, not A's.
    const whole = await open(bOfficer);
    expect(whole.status).toBe(200);
    expect((await whole.json()).detailBoards).toEqual([B.boardId]);
    expect((await open(bOfficer, B.boardId)).status).toBe(200);
    expect((await open(bOfficer, A.boardId)).status).toBe(404);

    // A's coordinator coordinates the assignment: every board.
    const coordinator = await sessionCookie(t.db, A.users.coordinator.id);
    const page = await (await open(coordinator, B.boardId)).json();
    expect(page.board.id).toBe(B.boardId);
    expect([...page.detailBoards].sort()).toEqual([A.boardId, B.boardId].sort());
  });
});

describe("the assignment's life after allocation: reporting, the report to the government, closing", () => {
  it("the responsible board starts reporting and closes; the coordinator hands in the report on /samordning/:id; each step audited", async () => {
    const allocatePage = await import("../../app/routes/_app.uppdrag.$id_.fordela");
    const overview = await import("../../app/routes/_app.samordning.$id");
    const a = await t.db.assignment.findUniqueOrThrow({ where: { reference: "HRV-2026" } });
    expect(a.state).toBe("active");
    const version = async () => String((await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } })).version);
    const fordela = (cookie: string, f: Record<string, string>) => callRoute(allocatePage, "action", `/uppdrag/${a.id}/fordela`, { cookie, params: { id: a.id }, form: f });
    const samordning = (cookie: string, f: Record<string, string>) => callRoute(overview, "action", `/samordning/${a.id}`, { cookie, params: { id: a.id }, form: f });
    // HRV-2026 is run by A's board and coordinated by B's.
    const coordinator = await sessionCookie(t.db, B.users.coordinator.id);

    // The allocation page offers the responsible board its next step.
    const page = await (await callRoute(allocatePage, "loader", `/uppdrag/${a.id}/fordela`, { cookie: officer, params: { id: a.id } })).json();
    expect(page.view.stateEvents).toEqual([{ type: "START_REPORTING", label: "Starta redovisningen" }]);
    // Handing in the report waits for reporting to start, and is the coordinator's.
    expect((await samordning(coordinator, { intent: "SUBMIT_REPORT", version: await version() })).status).toBe(422);

    const started = await fordela(officer, { intent: "event", type: "START_REPORTING", version: await version() });
    expect([started.status, started.headers.get("Location")]).toEqual([302, `/uppdrag/${a.id}/fordela?klart=redovisning`]);

    const officersTry = await samordning(officer, { intent: "SUBMIT_REPORT", version: await version() });
    expect(officersTry.status).toBe(422);
    expect((await officersTry.json()).formError).toBe("Endast samordnaren vid den samordnande länsstyrelsen kan lämna redovisningen.");
    const before = await (await callRoute(overview, "loader", `/samordning/${a.id}`, { cookie: coordinator, params: { id: a.id } })).json();
    expect(before.governmentReport).toMatchObject({ state: "reporting", maySubmit: true, submittedAt: null });

    const handedIn = await samordning(coordinator, { intent: "SUBMIT_REPORT", version: await version() });
    expect([handedIn.status, handedIn.headers.get("Location")]).toEqual([303, `/samordning/${a.id}?klart=redovisat`]);
    const after = await (await callRoute(overview, "loader", `/samordning/${a.id}?klart=redovisat`, { cookie: coordinator, params: { id: a.id } })).json();
    expect(after.governmentReport).toMatchObject({ state: "reported", stateLabel: "Redovisat", maySubmit: false });
    expect(after.governmentReport.submittedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(after.reportSubmitted).toBe(true);

    // A stale form (an old version) changes nothing.
    expect((await fordela(officer, { intent: "event", type: "CLOSE", version: "1" })).status).toBe(409);
    expect((await fordela(officer, { intent: "event", type: "CLOSE", version: await version() })).status).toBe(302);
    expect((await t.db.assignment.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("closed");
    // An event the page does not send is refused as a bad request.
    expect((await fordela(officer, { intent: "event", type: "SUBMIT_REPORT", version: await version() })).status).toBe(400);

    const audit = await t.db.auditEvent.findMany({ where: { caseType: "assignment", caseId: a.id, eventType: { in: ["ACTIVATE", "START_REPORTING", "SUBMIT_REPORT", "CLOSE"] } }, orderBy: { id: "asc" } });
    expect(audit.map((e) => [e.eventType, e.toState])).toEqual([
      ["ACTIVATE", "active"],
      ["START_REPORTING", "reporting"],
      ["SUBMIT_REPORT", "reported"],
      ["CLOSE", "closed"],
    ]);
    expect(await reconcile(t.db)).toEqual([]);
  });
});
