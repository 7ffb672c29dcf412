// The figures module against a generated data set on real PostgreSQL: every
// grouping (board, kind, municipality, call) adds up to the same totals, and
// those totals equal sums taken straight from the detail tables.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { generateDataset, type Dataset } from "../bench/dataset";
import { figuresBy, prismaRunner, MONEY_KEYS, COUNT_KEYS, type ReportFilter } from "../../app/reports/figures.server";
import { reconcile } from "../../app/workflow/budget.server";
import { allowedEvents } from "../../app/workflow/engine.server";
import { restore } from "../../workflows/index";
import { databaseTruth } from "./truth";

const t = useTestDatabase();
let ds: Dataset;
const TODAY = "2024-01-15";

beforeAll(async () => {
  ds = await generateDataset(t.url, { applications: 600, seed: 7 });
}, 120_000);

const all = (): ReportFilter => ({ assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null });

describe("figures", () => {
  it("leaves the budget chain and the registration numbers intact (the generated data set is sound)", async () => {
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("per board: one row per county board, and the totals equal the detail tables' own sums", async () => {
    const { rows, total } = await figuresBy(prismaRunner(t.db), "board", all(), TODAY);
    expect(rows).toHaveLength(21);
    const want = await databaseTruth(t.db, ds.assignmentId);
    expect(total.decided).toBe(BigInt(want.decided));
    expect(total.paid).toBe(BigInt(want.paid));
    expect(total.used).toBe(BigInt(want.used));
    expect(total.reclaimed).toBe(BigInt(want.reclaimed));
    expect(total.allocated).toBe(BigInt(want.allocated));
    expect(total.left).toBe(BigInt(want.allocated) - BigInt(want.decided));
    expect(total.received).toBe(Number(want.received));
    expect(total.withdrawn).toBe(Number(want.withdrawn));
    expect(total.approved + total.partlyApproved + total.rejected + total.withdrawn + total.pending).toBe(total.received);
    expect(total.decided).toBeGreaterThan(0n);
  });

  it("per kind of recipient, per municipality and per call: the same totals as per board", async () => {
    const run = prismaRunner(t.db);
    const byBoard = (await figuresBy(run, "board", all(), TODAY)).total;
    for (const grouping of ["kind", "municipality", "call"] as const) {
      const { rows, total } = await figuresBy(run, grouping, all(), TODAY);
      expect(rows.length).toBeGreaterThan(1);
      for (const k of [...MONEY_KEYS, ...COUNT_KEYS]) expect(total[k], `${grouping}: ${k}`).toBe(byBoard[k]);
    }
    const kinds = (await figuresBy(run, "kind", all(), TODAY)).rows.map((r) => r.label);
    expect(kinds).toEqual(expect.arrayContaining(["Kommun", "Ideell förening", "Stiftelse"]));
  });

  it("a board's own staff scope (one board) gives exactly that board's figures", async () => {
    const run = prismaRunner(t.db);
    const board = await t.db.organization.findFirstOrThrow({ where: { kind: "county_board", countyCode: "05" } });
    const { rows, total } = await figuresBy(run, "board", { ...all(), boardIds: [board.id] }, TODAY);
    expect(rows.map((r) => r.code)).toEqual(["05"]);
    const want = await databaseTruth(t.db, ds.assignmentId, board.id);
    expect(total.decided).toBe(BigInt(want.decided));
    expect(total.received).toBe(Number(want.received));
  });

  it("filters by year and by call", async () => {
    const run = prismaRunner(t.db);
    const everything = (await figuresBy(run, "board", all(), TODAY)).total;
    expect((await figuresBy(run, "board", { ...all(), year: 2022 }, TODAY)).total.decided).toBe(everything.decided);
    const none = (await figuresBy(run, "board", { ...all(), year: 2019 }, TODAY)).total;
    expect(none.decided).toBe(0n);
    expect(none.allocated).toBe(0n);
    const calls = (await figuresBy(run, "call", all(), TODAY)).rows;
    const one = calls.find((c) => c.received > 0)!;
    const filtered = (await figuresBy(run, "board", { ...all(), callId: one.key }, TODAY)).total;
    expect(filtered.received).toBe(one.received);
    expect(filtered.decided).toBe(one.decided);
    expect(filtered.allocated).toBe(one.allocated);
  });

  it("generated cases restore and offer the next step to the right person", async () => {
    const states = await t.db.application.findMany({ distinct: ["state"], select: { id: true, state: true, snapshot: true } });
    expect(states.length).toBeGreaterThanOrEqual(9);
    for (const s of states) expect(() => restore("application", s.snapshot)).not.toThrow();
    const submitted = states.find((s) => s.state === "grantActive.finalReport.submitted")!;
    const officer = { id: ds.people.officer, memberships: (await t.db.membership.findMany({ where: { userId: ds.people.officer } })).map((m) => ({ organizationId: m.organizationId, role: m.role })) };
    expect(await allowedEvents(t.db, officer, "application", submitted.id)).toContain("APPROVE_REPORT");
  });
});
