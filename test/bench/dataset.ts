// A large, realistic data set in bulk SQL, for benchmarks (the redovisning export,
// the lead's HTTP benchmark): N applications across every county board, with
// decisions, grants, instalments, final reports with results per indicator, and
// reclaims. Rows are made by `insert … select` over `generate_series` (no
// row-by-row Prisma), so 100 000 applications take seconds.
//
// What holds afterwards, as if the engine had written it:
// - every case's state and snapshot come from the real statecharts (templates
//   made by the pure machines, amounts patched per row with jsonb_set), so a
//   generated case restores, shows its buttons and accepts further events;
// - the budget chain is exact (assignment ≥ Σ allocations ≥ Σ call budgets ≥
//   Σ granted; grant planned/paid = Σ instalments) and registration numbers are
//   gapless per board and year, so `reconcile()` finds nothing;
// - cases carry version 0 and no audit events (the trail starts with the first
//   real event), which `reconcile()` also accepts.
//
// Usage: `await generateDataset(url, { applications: 50_000, seed: 1 })` on a
// migrated database with reference data (the demo scenario may be there too).
// No vitest imports: plain tsx scripts use it.
import pg from "pg";
import { orgNumberFromBase } from "../../app/lib/org-number";
import { applicationTemplates, assignmentTemplate, callTemplate, disbursementTemplates, type DatasetPeople } from "./templates";

export type DatasetOptions = {
  applications: number;
  /** Different seeds make independent data sets (own assignment, organisations, users) in one database. */
  seed?: number;
  /** Registration year of the generated applications (default 2022, after the demo's years). */
  year?: number;
  log?: (message: string) => void;
};

export type Dataset = {
  assignmentId: string;
  assignmentReference: string;
  /** The coordinating board (Stockholm) and the bench users, all with the demo password's hash if given. */
  coordinatingBoardId: string;
  people: DatasetPeople & { coordinator: string };
  emails: { officer: string; decisionMaker: string; finance: string; coordinator: string; applicant: string };
  counts: { applications: number; grants: number; disbursements: number; reports: number; reclaims: number; organizations: number };
  seconds: number;
};

const KINDS = ["municipality", "region", "municipal_federation", "nonprofit_association", "foundation"] as const;
const TITLES = [
  "Kompetenslyft mot våld i nära relationer",
  "Förebyggande arbete i skolan",
  "Samverkan mot hedersrelaterat våld och förtryck",
  "Stödsamtal för våldsutsatta kvinnor",
  "Utbildning för socialtjänstens personal",
  "Våldsförebyggande insatser bland unga",
  "Regional kartläggning och metodstöd",
  "Skyddat boende: utveckling av stödet",
];
const INDICATORS = [
  { name: "Antal utbildade yrkesverksamma", unit: "personer" },
  { name: "Antal genomförda aktiviteter", unit: "st" },
];

/**
 * Generates the data set in one transaction. `passwordHash` (optional) is stored
 * for the bench users so an HTTP benchmark can sign in as them.
 */
export async function generateDataset(databaseUrl: string, opts: DatasetOptions & { passwordHash?: string }): Promise<Dataset> {
  const t0 = Date.now();
  const seed = opts.seed ?? 1;
  const year = opts.year ?? 2022;
  const n = opts.applications;
  const log0 = opts.log ?? (() => {});
  const log = (m: string) => log0(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("begin");
    // Every row is consistent by construction: as superuser, skip the per-row foreign-key triggers (about twice as fast).
    const su = await client.query<{ rolsuper: boolean }>(`select rolsuper from pg_roles where rolname = current_user`);
    if (su.rows[0]?.rolsuper) await client.query("set local session_replication_role = replica");
    const reference = `BENCH-${seed}`;
    const exists = await client.query(`select 1 from "Assignment" where reference = $1`, [reference]);
    if (exists.rowCount) throw new Error(`a data set with seed ${seed} already exists (${reference})`);

    const boards = (await client.query<{ id: string; countyCode: string }>(`select id, "countyCode" from "Organization" where kind = 'county_board' order by "countyCode"`)).rows;
    if (boards.length !== 21) throw new Error(`expected the 21 county boards of the reference data, found ${boards.length}`);
    const stockholm = boards.find((b) => b.countyCode === "01")!;

    // People: one officer, decision maker and finance officer at every board, a coordinator in Stockholm, an applicant.
    const email = (role: string) => `bench-${seed}-${role}@bench.lansstyrelsen.se`;
    const emails = { officer: email("handlaggare"), decisionMaker: email("beslutsfattare"), finance: email("ekonomi"), coordinator: email("samordnare"), applicant: email("sokande") };
    const hash = opts.passwordHash ?? "$argon2id$v=19$m=19456,t=2,p=1$bm90LWEtcGFzc3dvcmQ$bm90LWEtaGFzaA";
    const user = async (e: string, name: string) =>
      (await client.query<{ id: string }>(`insert into "User" (id, email, name, "passwordHash") values (gen_random_uuid(), $1, $2, $3) returning id`, [e, name, hash])).rows[0].id;
    const people = {
      officer: await user(emails.officer, "Handläggare (bench)"),
      decisionMaker: await user(emails.decisionMaker, "Beslutsfattare (bench)"),
      finance: await user(emails.finance, "Ekonomihandläggare (bench)"),
      coordinator: await user(emails.coordinator, "Samordnare (bench)"),
      applicant: await user(emails.applicant, "Sökande (bench)"),
    };
    await client.query(
      `insert into "Membership" (id, "userId", "organizationId", role)
       select gen_random_uuid(), u.id, b.id, u.role::"Role"
         from (values ($1::uuid, 'officer'), ($2::uuid, 'decision_maker'), ($3::uuid, 'finance')) u(id, role)
         cross join "Organization" b where b.kind = 'county_board'`,
      [people.officer, people.decisionMaker, people.finance],
    );
    await client.query(`insert into "Membership" (id, "userId", "organizationId", role) values (gen_random_uuid(), $1, $2, 'coordinator')`, [people.coordinator, stockholm.id]);

    // Applicant organisations: about one per 20 applications, spread over the 290 municipalities.
    const municipalities = (await client.query<{ code: string; name: string; countyCode: string }>(`select code, name, "countyCode" from "Municipality" order by code`)).rows;
    const orgCount = Math.max(60, Math.ceil(n / 20));
    const orgNames: string[] = [];
    const orgKinds: string[] = [];
    const orgNumbers: string[] = [];
    const orgMunicipalities: string[] = [];
    const orgCounties: string[] = [];
    for (let j = 0; j < orgCount; j++) {
      const m = municipalities[(j * 7 + seed) % municipalities.length];
      const kind = KINDS[j % KINDS.length];
      const legal = kind === "nonprofit_association" || kind === "foundation" ? "8" : "2";
      orgNumbers.push(orgNumberFromBase(`${legal}9${seed % 10}${String(j).padStart(6, "0")}`));
      orgKinds.push(kind);
      orgMunicipalities.push(m.code);
      orgCounties.push(m.countyCode);
      orgNames.push(
        kind === "municipality"
          ? `${m.name} kommun (${j + 1})`
          : kind === "region"
            ? `Region ${m.name} (${j + 1})`
            : kind === "municipal_federation"
              ? `Kommunalförbundet ${m.name} (${j + 1})`
              : kind === "nonprofit_association"
                ? `Föreningen Trygghet i ${m.name} (${j + 1})`
                : `Stiftelsen Öppna dörrar ${m.name} (${j + 1})`,
      );
    }
    await client.query(`create temp table ds_org (j int primary key, id uuid not null, county text not null) on commit drop`);
    await client.query(
      `with ins as (
         insert into "Organization" (id, name, kind, "orgNumber", "countyCode", "municipalityCode")
         select gen_random_uuid(), name, kind::"OrganizationKind", nr, county, muni
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as t(name, kind, nr, muni, county)
         on conflict ("orgNumber") do update set name = excluded.name
         returning id, "orgNumber", "countyCode")
       insert into ds_org (j, id, county) select array_position($3::text[], ins."orgNumber") - 1, ins.id, ins."countyCode" from ins`,
      [orgNames, orgKinds, orgNumbers, orgMunicipalities, orgCounties],
    );
    log(`${orgCount} organisations`);

    // Staging: one row per application with every figure decided up front, so the parents' budgets can be exact.
    await client.query(
      `create temp table ds_app on commit drop as
       with base as (
         select i,
                (hashint8(i::bigint * 7 + $2::bigint * 1000003) & 2147483647) as h1,
                (hashint8(i::bigint * 13 + $2::bigint * 7919) & 2147483647) as h2
           from generate_series(1, $1::int) i
       ), picked as (
         select i, h1, h2, h1 % 100 as r, (h2 % $3::int) as j,
                ((20 + h2 % 980) * 1000 * 100)::bigint as requested
           from base
       )
       select p.i, p.r, p.h1, p.h2, o.id as org_id, b.id as board_id, o.county,
              gen_random_uuid() as app_id, gen_random_uuid() as decision_id, gen_random_uuid() as grant_id,
              gen_random_uuid() as report_id, gen_random_uuid() as d1_id, gen_random_uuid() as d2_id, gen_random_uuid() as reclaim_id,
              p.requested,
              case when p.r < 4 then 'submitted' when p.r < 8 then 'inAssessment' when p.r < 11 then 'presented'
                   when p.r < 26 then 'rejected' when p.r < 30 then 'withdrawn' when p.r < 55 then 'finalDue'
                   when p.r < 65 then 'finalSubmitted' when p.r < 90 then 'closed' when p.r < 96 then 'reclaimDecided'
                   else 'reclaimRepaid' end as template
         from picked p
         join ds_org o on o.j = p.j
         join "Organization" b on b.kind = 'county_board' and b."countyCode" = o.county`,
      [n, seed, orgCount],
    );
    await client.query(
      `alter table ds_app add column outcome text, add column granted bigint not null default 0, add column category text,
         add column d1 bigint not null default 0, add column d2 bigint not null default 0, add column paid bigint not null default 0,
         add column used bigint not null default 0, add column unused bigint not null default 0, add column reclaim bigint not null default 0`,
    );
    await client.query(
      `update ds_app set
         outcome = case when template = 'rejected' then 'rejected'
                        when template in ('submitted', 'inAssessment', 'presented', 'withdrawn') then null
                        when h2 % 4 = 0 then 'partly_approved' else 'approved' end,
         category = case when template = 'rejected' and h1 % 7 < 6
                         then (array['not_eligible','outside_priorities','low_ranking','budget_exhausted','incomplete','other'])[h1 % 6 + 1] end`,
    );
    // Amounts in whole kronor: partly approved = 60 %, first instalment half (rounded down to a krona).
    await client.query(
      `update ds_app set granted = case when outcome = 'approved' then requested when outcome = 'partly_approved' then requested * 60 / 100 / 100 * 100 else 0 end`,
    );
    await client.query(`update ds_app set d1 = granted / 2 / 100 * 100, d2 = granted - granted / 2 / 100 * 100 where granted > 0`);
    await client.query(
      `update ds_app set
         paid = case when template in ('finalDue', 'finalSubmitted') then d1 when granted > 0 then granted else 0 end,
         used = case when template = 'finalSubmitted' then granted - granted / 10 / 100 * 100
                     when template = 'closed' then granted
                     when template like 'reclaim%' then granted * 70 / 100 / 100 * 100 else 0 end`,
    );
    await client.query(`update ds_app set unused = granted - used where template in ('finalSubmitted', 'closed') or template like 'reclaim%'`);
    await client.query(`update ds_app set reclaim = paid - used where template like 'reclaim%'`);

    // Assignment, allocations and calls sized to what was granted (plus room), one call per board.
    const byBoard = (
      await client.query<{ board_id: string; granted: string }>(
        `select b.id as board_id, coalesce(sum(a.granted), 0)::text as granted from "Organization" b left join ds_app a on a.board_id = b.id where b.kind = 'county_board' group by b.id`,
      )
    ).rows;
    const p: DatasetPeople = { applicant: people.applicant, officer: people.officer, decisionMaker: people.decisionMaker, finance: people.finance };
    const opensAt = `${year}-02-01T00:00:00.000Z`;
    const closesAt = `${year}-04-01T00:00:00.000Z`;
    const callBudget = new Map(byBoard.map((b) => [b.board_id, ((BigInt(b.granted) * 11n) / 10n / 100_000_00n + 1n) * 100_000_00n]));
    const allocationOf = new Map([...callBudget].map(([id, budget]) => [id, budget + 500_000_00n]));
    const total = [...allocationOf.values()].reduce((s, x) => s + x, 0n) + 1_000_000_00n;
    const assignmentTpl = assignmentTemplate(p, `${year + 1}-03-31T00:00:00.000Z`);
    const assignmentId = (
      await client.query<{ id: string }>(
        `insert into "Assignment" (id, reference, title, description, issuer, "fundingReference", appropriation, "appropriationItem", "appropriationName",
                                   "periodStart", "periodEnd", "totalOre", "allocatedOre", "responsibleBoardId", "coordinatingBoardId", "reportDueOn", state, snapshot, version)
         values (gen_random_uuid(), $1, $2, $3, 'Regeringen (Arbetsmarknadsdepartementet)', $4, '3:1', 'ap.1', 'Särskilda jämställdhetsåtgärder',
                 $5::date, $6::date, $7, $8, $9, $9, $10::date, $11, $12, 0) returning id`,
        [
          reference,
          `Länsstyrelsernas utvecklingsmedel mot mäns våld mot kvinnor ${year} (testdata ${seed})`,
          "Genererad testdata för prestandamätning.",
          `Regleringsbrev för budgetåret ${year} (testdata)`,
          `${year}-01-01`,
          `${year}-12-31`,
          total,
          total - 1_000_000_00n,
          stockholm.id,
          `${year + 1}-03-31`,
          assignmentTpl.state,
          JSON.stringify(assignmentTpl.snapshot),
        ],
      )
    ).rows[0].id;
    await client.query(`create temp table ds_call (board_id uuid primary key, call_id uuid not null) on commit drop`);
    for (const b of boards) {
      const budget = callBudget.get(b.id)!;
      const allocationId = (
        await client.query<{ id: string }>(
          `insert into "Allocation" (id, "assignmentId", "boardId", "amountOre", "committedOre") values (gen_random_uuid(), $1, $2, $3, $4) returning id`,
          [assignmentId, b.id, allocationOf.get(b.id)!, budget],
        )
      ).rows[0].id;
      const tpl = callTemplate(p, opensAt, closesAt, Number(budget));
      const callId = (
        await client.query<{ id: string }>(
          `insert into "Call" (id, "allocationId", "boardId", title, description, "budgetOre", "grantedOre", "opensAt", "closesAt", "eligibleKinds",
                               "finalReportDueOn", "paymentTerms", "appealNotice", state, snapshot, version)
           values (gen_random_uuid(), $1, $2, $3, 'Genererad testdata.', $4, 0, $5, $6, $7::"OrganizationKind"[], $8::date, $9, $10, $11, $12, 0) returning id`,
          [
            allocationId,
            b.id,
            `Utvecklingsmedel ${year} län ${b.countyCode}`,
            budget,
            opensAt,
            closesAt,
            `{${KINDS.join(",")}}`,
            `${year + 1}-03-31`,
            JSON.stringify({ instalments: [{ sharePercent: 50, trigger: "at_start" }, { sharePercent: 50, trigger: "after_final_report" }] }),
            "Beslutet kan inte överklagas (testdata).",
            tpl.state,
            JSON.stringify(tpl.snapshot),
          ],
        )
      ).rows[0].id;
      await client.query(`insert into ds_call values ($1, $2)`, [b.id, callId]);
      await client.query(
        `insert into "CallIndicator" (id, "callId", position, name, unit) select gen_random_uuid(), $1, x.pos, x.name, x.unit from unnest($2::int[], $3::text[], $4::text[]) as x(pos, name, unit)`,
        [callId, INDICATORS.map((_, k) => k + 1), INDICATORS.map((x) => x.name), INDICATORS.map((x) => x.unit)],
      );
    }

    // Applications: registered (gapless after whatever the board already numbered this year), state and snapshot from the templates.
    const templates = applicationTemplates(p);
    await client.query(`create temp table ds_tpl (name text primary key, state text not null, snapshot jsonb not null) on commit drop`);
    await client.query(`insert into ds_tpl select * from unnest($1::text[], $2::text[], $3::jsonb[])`, [
      Object.keys(templates),
      Object.values(templates).map((t) => t.state),
      Object.values(templates).map((t) => JSON.stringify(t.snapshot)),
    ]);
    await client.query(
      `insert into "RegistrationCounter" ("boardId", year, "lastSeq") select id, $1::int, 0 from "Organization" where kind = 'county_board' on conflict do nothing`,
      [year],
    );
    await client.query(
      `insert into "Application" (id, "callId", "boardId", "applicantOrgId", "registrationNumber", "registrationYear", "registrationSeq", title, description,
                                  aims, "targetGroup", "projectStart", "projectEnd", "countyCodes", "requestedOre", "contactName", "contactEmail",
                                  "declaresNoTaxDebts", "declaresNotInLiquidation", "submittedAt", "officerId", state, snapshot, version, "createdAt", "updatedAt")
       select a.app_id, c.call_id, a.board_id, a.org_id,
              a.county || '-' || $1::int || '-' || lpad((rc."lastSeq" + a.seq)::text, greatest(4, length((rc."lastSeq" + a.seq)::text)), '0'), $1::int, rc."lastSeq" + a.seq,
              (array[${TITLES.map((_, k) => `$${k + 3}`).join(",")}])[a.i % ${TITLES.length} + 1] || ' ' || a.i,
              'Projektet stärker arbetet mot mäns våld mot kvinnor i kommunen.', 'Fler yrkesverksamma med rätt kunskap.', 'Yrkesverksamma och unga',
              make_date($1::int, 6, 1), make_date($1::int + 1, 5, 31), array[a.county], a.requested, 'Kontaktperson ' || a.i, 'kontakt' || a.i || '@example.se',
              true, true, make_timestamptz($1::int, 3, 1 + a.i % 28, 10, 0, 0, 'Europe/Stockholm'), $2::uuid, t.state,
              s3.snapshot,
              0, make_timestamptz($1::int, 2, 15, 10, 0, 0, 'Europe/Stockholm'), make_timestamptz($1::int, 5, 15, 10, 0, 0, 'Europe/Stockholm')
         from (select *, row_number() over (partition by board_id order by i) as seq from ds_app) a
         join ds_call c on c.board_id = a.board_id
         join ds_tpl t on t.name = a.template
         join "RegistrationCounter" rc on rc."boardId" = a.board_id and rc.year = $1::int
         cross join lateral (select jsonb_set(jsonb_set(t.snapshot, '{context,requestedOre}', to_jsonb(a.requested)), '{context,grantedOre}', to_jsonb(a.granted)) as snapshot) s1
         -- The decision in force and the reclaim, as the machines read them later.
         cross join lateral (select case when a.outcome is null then s1.snapshot
                                         else jsonb_set(jsonb_set(s1.snapshot, '{context,decision,grantedOre}', to_jsonb(a.granted)), '{context,decision,outcome}', to_jsonb(a.outcome)) end as snapshot) s2
         cross join lateral (select case when a.template not like 'reclaim%' then s2.snapshot
                                         else jsonb_set(jsonb_set(jsonb_set(jsonb_set(s2.snapshot,
                                                '{context,reclaim,proposedOre}', to_jsonb(a.reclaim)), '{context,reclaim,decidedOre}', to_jsonb(a.reclaim)),
                                                '{context,reclaim,repaidOre}', to_jsonb(case when a.template = 'reclaimRepaid' then a.reclaim else 0 end)),
                                                '{context,reclaim,repayments}', case when a.template = 'reclaimRepaid' then s2.snapshot #> '{context,reclaim,repayments}' else '[]'::jsonb end) end as snapshot) s3`,
      [year, people.officer, ...TITLES],
    );
    await client.query(
      `update "RegistrationCounter" rc set "lastSeq" = s.max from (select "boardId", max("registrationSeq") as max from "Application" where "registrationYear" = $1::int group by 1) s
        where rc."boardId" = s."boardId" and rc.year = $1::int`,
      [year],
    );
    log(`${n} applications`);

    await client.query(
      `insert into "Decision" (id, "applicationId", kind, outcome, "rejectionCategory", "requestedOre", "grantedOre", reasons, "decidedOn", "decidedAt",
                               "decisionMakerId", "presenterId", "otherParticipants", "appealNotice")
       select decision_id, app_id, 'original', outcome::"DecisionOutcome", category::"RejectionCategory", requested, granted,
              case when outcome = 'rejected' then 'Ansökan bedöms inte uppfylla utlysningens prioriteringar.' else 'Projektet svarar väl mot utlysningens syfte.' end,
              make_date($1::int, 5, 15), make_timestamptz($1::int, 5, 15, 14, 0, 0, 'Europe/Stockholm'), $2::uuid, $3::uuid, '{}', 'Beslutet kan inte överklagas (testdata).'
         from ds_app where outcome is not null`,
      [year, people.decisionMaker, people.officer],
    );
    await client.query(
      `insert into "Grant" (id, "applicationId", "decisionId", "amountOre", "plannedOre", "paidOre", "paymentTerms", "finalReportDueOn", state, snapshot, "createdAt")
       select grant_id, app_id, decision_id, granted, granted, paid, '{"instalments":[{"sharePercent":50,"trigger":"at_start"},{"sharePercent":50,"trigger":"after_final_report"}]}',
              make_date($1::int + 1, 3, 31), case when template = 'closed' then 'closed' else 'active' end, '{}', make_timestamptz($1::int, 5, 15, 14, 0, 0, 'Europe/Stockholm')
         from ds_app where granted > 0`,
      [year],
    );
    const dis = disbursementTemplates(p);
    await client.query(
      `insert into "Disbursement" (id, "grantId", number, "amountOre", trigger, "plannedOn", "plannedById", "attestedById", "attestedAt", "paidOn", "paymentReference", state, snapshot, version, "createdAt")
       select x.id, a.grant_id, x.number, x.amount, x.trigger::"DisbursementTrigger", x.planned, $2::uuid,
              case when x.paid then $3::uuid end, case when x.paid then x.planned::timestamptz end, case when x.paid then x.planned end,
              case when x.paid then 'UTB-' || a.i || '-' || x.number end,
              case when x.paid then 'paid' else 'planned' end, case when x.paid then $4::jsonb else $5::jsonb end, 0, make_timestamptz($1::int, 5, 15, 14, 0, 0, 'Europe/Stockholm')
         from ds_app a
         cross join lateral (values (a.d1_id, 1, a.d1, 'at_start', make_date($1::int, 6, 1), true),
                                    (a.d2_id, 2, a.d2, 'after_final_report', make_date($1::int + 1, 3, 31), a.paid = a.granted)) x(id, number, amount, trigger, planned, paid)
        where a.granted > 0 and x.amount > 0`,
      [year, people.officer, people.finance, JSON.stringify(dis.paid.snapshot), JSON.stringify(dis.planned.snapshot)],
    );
    await client.query(
      `insert into "Report" (id, "grantId", kind, "dueOn", "submittedAt", "usedOre", "unusedOre", "activitySummary", "reviewedById", "reviewedAt", state, snapshot, "createdAt")
       select report_id, grant_id, 'final', make_date($1::int + 1, 3, 31),
              case when template <> 'finalDue' then make_timestamptz($1::int + 1, 3, 1 + i % 28, 10, 0, 0, 'Europe/Stockholm') end,
              used, unused, case when template <> 'finalDue' then 'Projektet har genomförts enligt plan.' else '' end,
              case when template not in ('finalDue', 'finalSubmitted') then $2::uuid end,
              case when template not in ('finalDue', 'finalSubmitted') then make_timestamptz($1::int + 1, 4, 15, 10, 0, 0, 'Europe/Stockholm') end,
              case template when 'finalDue' then 'due' when 'finalSubmitted' then 'submitted' else 'approved' end, '{}', make_timestamptz($1::int, 5, 15, 14, 0, 0, 'Europe/Stockholm')
         from ds_app where granted > 0`,
      [year, people.officer],
    );
    await client.query(
      `insert into "ReportResult" ("reportId", "indicatorId", value, comment)
       select a.report_id, ci.id, (a.h1 % 200 + ci.position * 3)::numeric, ''
         from ds_app a join ds_call c on c.board_id = a.board_id join "CallIndicator" ci on ci."callId" = c.call_id
        where a.granted > 0 and a.template <> 'finalDue'`,
    );
    await client.query(
      `insert into "Reclaim" (id, "grantId", ground, "amountOre", "repaidOre", reasons, "dueOn", "paymentReference", "repaidOn", "proposedById", "decidedById", state, snapshot, "createdAt")
       select a.reclaim_id, a.grant_id, 'not_used_for_purpose', a.reclaim, case when a.template = 'reclaimRepaid' then a.reclaim else 0 end,
              'Outnyttjade medel enligt slutredovisningen.', make_date($1::int + 1, 6, 30), ap."registrationNumber",
              case when a.template = 'reclaimRepaid' then make_date($1::int + 1, 6, 20) end, $2::uuid, $3::uuid,
              case when a.template = 'reclaimRepaid' then 'repaid' else 'decided' end, '{}', make_timestamptz($1::int + 1, 4, 20, 10, 0, 0, 'Europe/Stockholm')
         from ds_app a join "Application" ap on ap.id = a.app_id
        where a.template like 'reclaim%' and a.reclaim > 0`,
      [year, people.officer, people.decisionMaker],
    );
    await client.query(`update "Call" c set "grantedOre" = s.sum from (select "callId", sum((snapshot -> 'context' ->> 'grantedOre')::bigint) as sum from "Application" group by 1) s
                         where c.id = s."callId" and c.id in (select call_id from ds_call)`);

    const counts = (
      await client.query<Dataset["counts"]>(
        `select (select count(*) from ds_app)::int as applications, (select count(*) from ds_app where granted > 0)::int as grants,
                (select count(*) from "Disbursement" d join ds_app a on a.grant_id = d."grantId")::int as disbursements,
                (select count(*) from ds_app where granted > 0)::int as reports,
                (select count(*) from ds_app where template like 'reclaim%' and reclaim > 0)::int as reclaims,
                (select count(*) from ds_org)::int as organizations`,
      )
    ).rows[0];
    log("rows written");
    // Triggers were off (replica role), so the work queue's tallies are recounted from the rows…
    await client.query("set local session_replication_role = origin");
    await client.query("select rebuild_case_tallies()");
    // …and the words the search finds the cases by (decision 0014).
    await client.query(
      `insert into "ApplicationText" ("applicationId", document)
       select a.id, application_text_document(a."registrationNumber", a.title, a.description) from "Application" a join ds_app d on d.app_id = a.id
       on conflict ("applicationId") do update set document = excluded.document`,
    );
    await client.query("commit");
    await client.query("analyze");
    return { assignmentId, assignmentReference: reference, coordinatingBoardId: stockholm.id, people: { ...p, coordinator: people.coordinator }, emails, counts, seconds: (Date.now() - t0) / 1000 };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
