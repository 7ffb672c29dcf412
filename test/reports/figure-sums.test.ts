// The kept sums (FigureSum, maintained by triggers; decision 0009) against the live
// computation (the per-application facts of figures.server.ts): every grouping, every
// filter, several "todays", after a bulk load with triggers off, after hundreds of random
// changes to every row the figures come from, and after real workflow events.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { generateDataset, type Dataset } from "../bench/dataset";
import { figuresBy, figuresByMany, prismaRunner, type Grouping, type ReportFilter, type Runner } from "../../app/reports/figures.server";
import { ensureFigureSums } from "../../app/reports/overview.server";
import { sqlOf, type SqlParam } from "../../app/sql.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { approve, attempt, makeWorld, openCall, presentedApplication, submittedApplication, MSEK, type World } from "../bench/world";

const t = useTestDatabase();
let ds: Dataset;

const GROUPINGS: Grouping[] = ["board", "kind", "municipality", "call"];
const TODAYS = ["2021-01-15", "2023-05-01", "2031-01-01"];

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function sums<T>(fn: (run: Runner) => Promise<T>): Promise<T> {
  return sqlOf(t.db).transaction((tx) => fn({ rows: <R,>(q: { text: string; values: unknown[] }) => tx.query(q.text, q.values as SqlParam[]) as Promise<R[]>, factsMode: "sums" }));
}

/** Every grouping under several filters and days: kept sums equal the live figures exactly. */
async function expectExact(assignmentId: string) {
  await ensureFigureSums(t.db, assignmentId);
  const calls = await t.db.call.findMany({ where: { allocation: { assignmentId } }, select: { id: true, boardId: true }, orderBy: { id: "asc" } });
  const all: ReportFilter = { assignmentId, boardIds: null, year: null, callId: null };
  const filters: ReportFilter[] = [all, { ...all, boardIds: [calls[0].boardId] }, { ...all, year: 2022 }, { ...all, year: 2020 }, { ...all, callId: calls[calls.length - 1].id }];
  for (const today of TODAYS) {
    for (const filter of filters) {
      const many = await sums((run) => figuresByMany(run, GROUPINGS, filter, today));
      for (const grouping of GROUPINGS) {
        const live = await figuresBy(prismaRunner(t.db), grouping, filter, today);
        expect(many[grouping], `${grouping} ${JSON.stringify(filter)} ${today}`).toEqual(live);
      }
    }
  }
}

beforeAll(async () => {
  ds = await generateDataset(t.url, { applications: 400, seed: 23 });
}, 120_000);

describe("kept figure sums", () => {
  it("a call loaded with triggers off is built on first read, and its sums equal the live figures", async () => {
    const before = await sqlOf(t.db).query<{ n: number }>(
      `select count(*)::int as n from "Call" c join "Allocation" al on al.id = c."allocationId" join "FigureCall" fc on fc."callId" = c.id where al."assignmentId" = $1::uuid`,
      [ds.assignmentId],
    );
    expect(before[0].n).toBe(0);
    await expectExact(ds.assignmentId);
    const after = await sqlOf(t.db).query<{ n: number }>(
      `select count(*)::int as n from "Call" c join "Allocation" al on al.id = c."allocationId" join "FigureCall" fc on fc."callId" = c.id where al."assignmentId" = $1::uuid`,
      [ds.assignmentId],
    );
    expect(after[0].n).toBe(21);
    const total = (await sums((run) => figuresBy(run, "board", { assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null }, TODAYS[0]))).total;
    expect(total.received).toBe(400);
    expect(total.decided).toBeGreaterThan(0n);
  });

  it("stay exact through random changes to every row the figures come from, and through compaction", async () => {
    await ensureFigureSums(t.db, ds.assignmentId);
    const sql = sqlOf(t.db);
    const rnd = prng(20261123);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const apps = await sql.query<{ id: string; callId: string; boardId: string; applicantOrgId: string }>(
      `select a.id::text, a."callId"::text, a."boardId"::text, a."applicantOrgId"::text from "Application" a join "Call" c on c.id = a."callId"
         join "Allocation" al on al.id = c."allocationId" where al."assignmentId" = $1::uuid order by a.id`,
      [ds.assignmentId],
    );
    const municipalities = (await sql.query<{ code: string }>(`select code from "Municipality" order by code`)).map((m) => m.code);
    const kinds = ["municipality", "region", "municipal_federation", "nonprofit_association", "foundation", "other"];
    const people = ds.people;
    const changes: Record<string, (a: (typeof apps)[number]) => Promise<unknown>> = {
      withdraw: (a) => sql.query(`update "Application" set state = 'withdrawn' where id = $1::uuid`, [a.id]),
      backToDraft: (a) => sql.query(`update "Application" set state = 'draft' where id = $1::uuid`, [a.id]),
      register: (a) => sql.query(`update "Application" set state = 'submitted' where id = $1::uuid and state = 'draft'`, [a.id]),
      requested: (a) => sql.query(`update "Application" set "requestedOre" = "requestedOre" + $2::bigint where id = $1::uuid`, [a.id, BigInt(Math.floor(rnd() * 100_000))]),
      newApplication: (a) =>
        sql.query(
          `insert into "Application" (id, "callId", "boardId", "applicantOrgId", title, "countyCodes", "requestedOre", state, snapshot)
           values (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, 'Ny ansökan', '{}', $4::bigint, $5, '{}')`,
          [a.callId, a.boardId, a.applicantOrgId, BigInt(Math.floor(rnd() * 1_000_000) + 1), pick(["submitted", "draft", "inAssessment"])],
        ),
      correctDecision: (a) => {
        const outcome = pick(["approved", "partly_approved", "rejected"]);
        return sql.query(
          `insert into "Decision" (id, "applicationId", kind, "supersedesId", outcome, "rejectionCategory", "requestedOre", "grantedOre", reasons, "decidedOn", "decidedAt",
                                   "decisionMakerId", "presenterId", "otherParticipants", "appealNotice")
           select gen_random_uuid(), a.id, 'correction', d.id, $2::"DecisionOutcome", null, 1000000,
                  case $2 when 'approved' then 1000000 when 'partly_approved' then 500000 else 0 end, 'Rättelse.', current_date, clock_timestamp(), $3::uuid, $4::uuid, '{}', '-'
             from "Application" a
             left join lateral (select d.id from "Decision" d where d."applicationId" = a.id and not exists (select 1 from "Decision" n where n."supersedesId" = d.id)
                                 order by d."decidedAt" desc limit 1) d on true
            where a.id = $1::uuid and d.id is not null`,
          [a.id, outcome, people.decisionMaker, people.officer],
        );
      },
      firstDecision: (a) =>
        sql.query(
          `insert into "Decision" (id, "applicationId", kind, outcome, "requestedOre", "grantedOre", reasons, "decidedOn", "decidedAt", "decisionMakerId", "presenterId", "otherParticipants", "appealNotice")
           select gen_random_uuid(), a.id, 'original', 'rejected', 1, 0, 'Avslag.', current_date, clock_timestamp(), $2::uuid, $3::uuid, '{}', '-'
             from "Application" a where a.id = $1::uuid and not exists (select 1 from "Decision" d where d."applicationId" = a.id)`,
          [a.id, people.decisionMaker, people.officer],
        ),
      cancelGrant: (a) => sql.query(`update "Grant" set state = 'cancelled' where "applicationId" = $1::uuid`, [a.id]),
      reviveGrant: (a) => sql.query(`update "Grant" set state = 'active' where "applicationId" = $1::uuid`, [a.id]),
      amount: (a) => sql.query(`update "Grant" set "amountOre" = "amountOre" + 100 where "applicationId" = $1::uuid`, [a.id]),
      pay: (a) => sql.query(`update "Grant" set "paidOre" = "plannedOre" where "applicationId" = $1::uuid`, [a.id]),
      unpay: (a) => sql.query(`update "Grant" set "paidOre" = 0 where "applicationId" = $1::uuid`, [a.id]),
      submitFinal: (a) =>
        sql.query(
          `update "Report" r set "submittedAt" = now(), "usedOre" = g."amountOre" / 2, "unusedOre" = g."amountOre" - g."amountOre" / 2, state = 'submitted'
             from "Grant" g where g.id = r."grantId" and g."applicationId" = $1::uuid and r.kind = 'final'`,
          [a.id],
        ),
      approveFinal: (a) => sql.query(`update "Report" r set state = 'approved' from "Grant" g where g.id = r."grantId" and g."applicationId" = $1::uuid and r.kind = 'final'`, [a.id]),
      unsubmitFinal: (a) =>
        sql.query(`update "Report" r set "submittedAt" = null, state = 'due' from "Grant" g where g.id = r."grantId" and g."applicationId" = $1::uuid and r.kind = 'final'`, [a.id]),
      moveDue: (a) =>
        sql.query(`update "Report" r set "dueOn" = $2::date from "Grant" g where g.id = r."grantId" and g."applicationId" = $1::uuid and r.kind = 'final'`, [a.id, pick(["2021-06-30", "2024-01-31", "2030-12-31"])]),
      interim: (a) =>
        sql.query(
          `insert into "Report" (id, "grantId", kind, "dueOn", "submittedAt", "usedOre", state, snapshot)
           select gen_random_uuid(), g.id, 'interim', '2022-12-31', case when $2 then now() end, 12300, case when $2 then 'submitted' else 'due' end, '{}'
             from "Grant" g where g."applicationId" = $1::uuid on conflict do nothing`,
          [a.id, rnd() < 0.5],
        ),
      deleteInterim: (a) => sql.query(`delete from "Report" r using "Grant" g where g.id = r."grantId" and g."applicationId" = $1::uuid and r.kind = 'interim'`, [a.id]),
      reclaim: (a) =>
        sql.query(
          `insert into "Reclaim" (id, "grantId", ground, "amountOre", reasons, "paymentReference", "proposedById", state, snapshot)
           select gen_random_uuid(), g.id, 'not_used_for_purpose', 50000, 'Återkrav.', 'X', $2::uuid, $3, '{}' from "Grant" g where g."applicationId" = $1::uuid`,
          [a.id, people.officer, pick(["proposed", "decided"])],
        ),
      waive: (a) =>
        sql.query(
          `update "Reclaim" r set "waivedOre" = 20000, "waiverReasons" = 'Eftergift.', state = 'waived' from "Grant" g where g.id = r."grantId" and g."applicationId" = $1::uuid`,
          [a.id],
        ),
      repay: (a) =>
        sql.query(`update "Reclaim" r set "repaidOre" = r."amountOre" - r."waivedOre", state = 'repaid' from "Grant" g where g.id = r."grantId" and g."applicationId" = $1::uuid`, [a.id]),
      deleteReclaim: (a) => sql.query(`delete from "Reclaim" r using "Grant" g where g.id = r."grantId" and g."applicationId" = $1::uuid`, [a.id]),
      organization: (a) =>
        sql.query(`update "Organization" set kind = $2::"OrganizationKind", "municipalityCode" = $3 where id = $1::uuid`, [a.applicantOrgId, pick(kinds), rnd() < 0.1 ? null : pick(municipalities)]),
    };
    const names = Object.keys(changes);
    const seen = new Set<string>();
    for (let round = 0; round < 8; round++) {
      // Several changes per transaction (as a batch decision or an import makes them), some alone.
      await sql.transaction(async (tx) => {
        for (let i = 0; i < 15; i++) {
          const name = pick(names);
          seen.add(name);
          await tx.query("savepoint s");
          try {
            await changes[name](pick(apps)).catch((e: unknown) => Promise.reject(e));
          } catch {
            await tx.query("rollback to savepoint s");
          }
        }
      });
      for (let i = 0; i < 10; i++) {
        const name = pick(names);
        seen.add(name);
        await changes[name](pick(apps)).catch(() => {});
      }
      if (round % 3 === 2) await sql.query(`select figures_compact(id) from "Call" order by id`);
      await expectExact(ds.assignmentId);
    }
    expect(seen.size).toBe(names.length);
    // Compaction leaves one row per key (and none that sum to nothing).
    await sql.query(`select figures_compact(id) from "Call" order by id`);
    const [dup] = await sql.query<{ rows: number; keys: number }>(
      `select count(*)::int as rows, count(distinct ("callId", "boardId", kind, "municipalityCode", "finalDueOn"))::int as keys from "FigureSum"`,
    );
    expect(dup.rows).toBe(dup.keys);
    await expectExact(ds.assignmentId);
  }, 240_000);

  it("stay exact through real workflow events: decisions, corrections, payments, reports, reclaims, withdrawals", async () => {
    const w: World = await makeWorld(t.db, { countyCode: "12" });
    const callId = await openCall(t.db, w, { budgetOre: 50n * MSEK });
    const presented = [];
    for (let i = 0; i < 4; i++) presented.push(await presentedApplication(t.db, w, callId, BigInt(1_000_000 + i * 100_000)));
    const withdrawn = await submittedApplication(t.db, w, callId, 700_000n);
    const now = new Date("2020-04-10T10:00:00Z");
    const ok: string[] = [];
    const run = async (actor: World["officer"], kind: "application" | "disbursement", id: string, body: Parameters<typeof applyWorkflowEvent>[4]) => {
      const r = await attempt(applyWorkflowEvent(t.db, actor, kind, id, body, { now }));
      if (r.ok) ok.push(body.type);
      else if (process.env.SHOW_REFUSALS) console.log(body.type, "refused" in r ? r.refused.message : String(r.error));
    };
    await run(w.applicant, "application", withdrawn, { type: "WITHDRAW", reasons: "Projektet blev inte av." });
    await run(w.decider, "application", presented[0], approve(1_000_000));
    await run(w.decider, "application", presented[1], { type: "DECIDE", outcome: "partly_approved", grantedOre: 500_000, reasons: "Delvis." });
    await run(w.decider, "application", presented[2], { type: "DECIDE", outcome: "rejected", grantedOre: 0, reasons: "Avslag." });
    await run(w.decider, "application", presented[3], approve(1_300_000));
    await expectExact(w.assignmentId);
    await run(w.decider, "application", presented[0], { type: "CORRECT_DECISION", outcome: "partly_approved", grantedOre: 600_000, reasons: "Rättelse." });
    for (const app of [presented[0], presented[1], presented[3]]) {
      const ds = await t.db.disbursement.findMany({ where: { grant: { applicationId: app } }, orderBy: { number: "asc" } });
      for (const d of ds.slice(0, 1)) {
        await run(w.finance, "disbursement", d.id, { type: "ATTEST" });
        await run(w.finance, "disbursement", d.id, { type: "MARK_PAID", paymentReference: "BG 1", paidOn: "2020-04-10" });
      }
    }
    await expectExact(w.assignmentId);
    await run(w.applicant, "application", presented[0], { type: "SUBMIT_REPORT", kind: "final", unusedOre: 100_000 });
    await run(w.officer, "application", presented[0], { type: "APPROVE_REPORT", kind: "final", unusedOre: 100_000 });
    await run(w.applicant, "application", presented[3], { type: "SUBMIT_REPORT", kind: "final", unusedOre: 0 });
    await run(w.officer, "application", presented[3], { type: "PROPOSE_RECLAIM", ground: "not_used_for_purpose", amountOre: 100_000, reasons: "Outnyttjat." });
    await run(w.decider, "application", presented[3], { type: "DECIDE_RECLAIM", amountOre: 100_000, dueDate: "2020-06-30T00:00:00.000Z", reasons: "Återkrav." });
    await expectExact(w.assignmentId);
    await run(w.decider, "application", presented[3], { type: "WAIVE", waivedOre: 30_000, reasons: "Delvis eftergift." });
    await run(w.finance, "application", presented[3], { type: "MARK_REPAID", amountOre: 70_000, paidOn: "2020-05-01", paymentReference: "OCR 1" });
    await run(w.decider, "application", presented[1], { type: "RECONSIDER_DECISION", outcome: "rejected", grantedOre: 0, reasons: "Omprövning." });
    await expectExact(w.assignmentId);
    // The events above did happen (each is one the engine accepts from the state it left the case in).
    expect(ok).toEqual(expect.arrayContaining(["WITHDRAW", "DECIDE", "CORRECT_DECISION", "MARK_PAID", "SUBMIT_REPORT", "APPROVE_REPORT", "PROPOSE_RECLAIM", "DECIDE_RECLAIM", "WAIVE", "MARK_REPAID"]));
  }, 120_000);
});
