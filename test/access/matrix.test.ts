// The permission matrix: every loader and action of every route module, called
// with real Requests and real session cookies as every role, with the user's
// own organization's ids and with another organization's ids. Own → the page
// (or the action's answer); other → 403 or 404; signed out → the sign-in page.
// No response ever contains the other organization's case titles,
// registration numbers or secret documents.
//
// A route file without an entry in MATRIX fails this test: a new route must
// say here who may use it.
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/generated/prisma/enums";
import { allowedEvents } from "../../app/workflow/engine.server";
import { topicsForRoles } from "../../app/notices/notices.server";
import { ROLES, browserRequest, buildSide, makeNotice, responseOf, sessionCookie, useWorldDatabase, type Side } from "./world";

const t = useWorldDatabase();
const ROUTES_DIR = path.resolve(import.meta.dirname, "../../app/routes");

type Target = "own" | "other";
type Call = { path: string; params?: Record<string, string>; form?: Record<string, string> };
type Probe = {
  /** The requests to make as `role` of side `me` against side `target`'s ids (for routes without ids: the same request). */
  calls: (target: Side, me: Side, role: Role) => Call[];
  /** Statuses allowed for this role against its own side and against the other side. */
  expect: (role: Role, target: Target) => number[];
};
type Entry = { public: true } | { loader?: Probe; action?: Probe };

const STAFF: Role[] = ["officer", "decision_maker", "finance", "admin"];
/** Who registers assignments and calls (docs/decisions/0006). */
const ADMINISTRATORS: Role[] = ["officer", "admin"];
/** Who opens the finance pages (/ekonomi): the finance function, and admins to read. */
const FINANCE_PAGES: Role[] = ["finance", "admin"];
const everyone = (status: number) => () => [status];
const notFound = [404];

const MATRIX: Record<string, Entry> = {
  "healthz.ts": { public: true },
  "readyz.ts": { public: true },
  "logga-in.tsx": { public: true },
  "logga-ut.tsx": { public: true },
  "_app.tsx": { loader: { calls: () => [{ path: "/" }], expect: everyone(200) } },
  "_app._index.tsx": { loader: { calls: () => [{ path: "/" }], expect: everyone(200) } },
  "_app.arenden._index.tsx": {
    loader: {
      // The list, and searches aimed at the other side's cases (part of a registration number,
      // a word of a title; the echoed search term itself is not a secret): they find nothing.
      calls: (target) => [
        { path: "/arenden" },
        { path: `/arenden?q=${encodeURIComponent(target.secrets.find((s) => /^\d\d-\d{4}-\d{4}$/.test(s))!.slice(0, -1))}` },
        { path: `/arenden?q=${encodeURIComponent(target.secrets[0].split(" ")[0])}` },
        { path: `/arenden?utlysning=${target.callId}` },
        { path: "/arenden?status=grantActive.finalReport.due&sida=2" },
        { path: "/arenden?vy=mina&frist=passerad&kommun=0180" },
      ],
      // Applicants have their own list (/ansokningar).
      expect: (role) => (role === "applicant" ? [302] : [200]),
    },
    action: {
      // Saving a filter without a name is refused (400) for staff; applicants are sent to their own pages.
      calls: (target) => [{ path: "/arenden", form: { intent: "save-filter", filterName: "", query: `utlysning=${target.callId}` } }],
      expect: (role) => (role === "applicant" ? [302] : [400]),
    },
  },
  "_app.arenden.$id.tsx": {
    loader: {
      calls: (target) => [target.grantedId, target.presentedId, target.submittedId].map((id) => ({ path: `/arenden/${id}`, params: { id } })),
      // The applicant's own case is shown on /ansokningar/:id.
      expect: (role, target) => (target === "own" ? (role === "applicant" ? [302] : [200]) : notFound),
    },
    action: {
      calls: (target, me): Call[] => [
        // A declaration of jäv without a reason: refused by validation (400) on one's own case, never reaching another's.
        {
          path: `/arenden/${target.grantedId}`,
          params: { id: target.grantedId },
          form: { intent: "event", kind: "application", caseId: target.grantedId, eventType: "DECLARE_CONFLICT_OF_INTEREST", version: "1", reason: target === me ? "" : "Jäv" },
        },
        // An instalment of the target's grant, posted through the target's case page.
        {
          path: `/arenden/${target.grantedId}`,
          params: { id: target.grantedId },
          form: { intent: "event", kind: "disbursement", caseId: target.disbursementIds[0], eventType: "CANCEL", version: "1", reasons: target === me ? "" : "Stopp" },
        },
      ],
      expect: (role, target) => (target === "own" ? (role === "applicant" ? [302] : [400]) : notFound),
    },
  },
  // The lead's decision letter route (entry added here so the matrix stays complete): every reader of the case.
  "_app.arenden.$id_.beslutsbrev.tsx": {
    loader: {
      calls: (target) => [{ path: `/arenden/${target.grantedId}/beslutsbrev`, params: { id: target.grantedId } }],
      expect: (_role, target) => (target === "own" ? [200] : notFound),
    },
  },
  "_app.beslut._index.tsx": {
    loader: {
      calls: (target) => [{ path: "/beslut" }, { path: `/beslut?utlysning=${target.callId}` }, { path: `/beslut?q=${encodeURIComponent(target.secrets[0].split(" ")[0])}&sida=2` }],
      expect: (role) => (role === "decision_maker" ? [200] : [403]),
    },
    action: {
      // A batch decision without reasons on the target's presented case: refused by validation (400), nothing decided.
      calls: (target) => [{ path: "/beslut", form: { intent: "batch-decide", scope: "selected", ids: target.presentedId, outcome: "rejected", reasons: "", rejectionCategory: "other" } }],
      expect: (role) => (role === "decision_maker" ? [400] : [403]),
    },
  },
  "_app.beslut.$id.tsx": {
    loader: {
      calls: (target) => [{ path: `/beslut/${target.presentedId}`, params: { id: target.presentedId } }],
      expect: (role, target) => (target === "own" && role === "decision_maker" ? [200] : notFound),
    },
    action: {
      calls: (target) => [
        {
          path: `/beslut/${target.presentedId}`,
          params: { id: target.presentedId },
          form: { intent: "event", kind: "application", caseId: target.presentedId, eventType: "DECIDE", version: "1", outcome: "rejected", reasons: "", rejectionCategory: "" },
        },
      ],
      expect: (role, target) => (target === "own" && role === "decision_maker" ? [400] : notFound),
    },
  },
  "_app.utlysningar._index.tsx": {
    loader: { calls: () => [{ path: "/utlysningar" }, { path: "/utlysningar?status=draft" }, { path: "/utlysningar?status=published&sida=3" }], expect: everyone(200) },
  },
  "_app.utlysningar.$id.tsx": {
    loader: {
      // Published calls are public, so the other side's draft call is what an applicant must not see;
      // board staff see no call of another board at all.
      calls: (target, me, role) =>
        target === me ? [{ path: `/utlysningar/${target.callId}`, params: { id: target.callId } }] : [target.draftCallId, ...(role === "applicant" ? [] : [target.callId])].map((id) => ({ path: `/utlysningar/${id}`, params: { id } })),
      expect: (_role, target) => (target === "own" ? [200] : notFound),
    },
  },
  "_app.uppdrag._index.tsx": {
    loader: { calls: () => [{ path: "/uppdrag" }, { path: "/uppdrag?sida=2" }], expect: (role) => (role === "applicant" ? [403] : [200]) },
  },
  "_app.uppdrag.$id.tsx": {
    loader: {
      calls: (target) => [{ path: `/uppdrag/${target.assignmentId}`, params: { id: target.assignmentId } }],
      expect: (role, target) => (role === "applicant" ? [403] : target === "own" ? [200] : notFound),
    },
  },
  // Administration and finance screens (finance branch): who administers assignments, calls and payments.
  "_app.uppdrag.ny.tsx": {
    loader: { calls: () => [{ path: "/uppdrag/ny" }], expect: (role) => (ADMINISTRATORS.includes(role) ? [200] : [403]) },
    // An empty form: refused by validation (400) for those who may register assignments, 403 for the rest.
    action: { calls: () => [{ path: "/uppdrag/ny", form: {} }], expect: (role) => (ADMINISTRATORS.includes(role) ? [400] : [403]) },
  },
  "_app.uppdrag.$id_.fordela.tsx": {
    loader: {
      calls: (target) => [{ path: `/uppdrag/${target.assignmentId}/fordela`, params: { id: target.assignmentId } }],
      expect: (role, target) => (role === "applicant" ? [403] : target === "other" ? notFound : [200]),
    },
    action: {
      calls: (target) => [{ path: `/uppdrag/${target.assignmentId}/fordela`, params: { id: target.assignmentId }, form: { intent: "allocate", boardId: target.boardId, amount: "" } }],
      expect: (role, target) => (role === "applicant" ? [403] : target === "other" ? notFound : ADMINISTRATORS.includes(role) ? [400] : [403]),
    },
  },
  "_app.utlysningar.ny.tsx": {
    loader: { calls: () => [{ path: "/utlysningar/ny" }], expect: (role) => (ADMINISTRATORS.includes(role) ? [200] : [403]) },
    action: { calls: () => [{ path: "/utlysningar/ny", form: {} }], expect: (role) => (ADMINISTRATORS.includes(role) ? [400] : [403]) },
  },
  "_app.utlysningar.$id_.redigera.tsx": {
    // A draft call: applicants do not see it at all; the board's officers and admins edit it; other staff may not.
    loader: {
      calls: (target) => [{ path: `/utlysningar/${target.draftCallId}/redigera`, params: { id: target.draftCallId } }],
      expect: (role, target) => (target === "other" || role === "applicant" ? notFound : ADMINISTRATORS.includes(role) ? [200] : [403]),
    },
    action: {
      calls: (target) => [{ path: `/utlysningar/${target.draftCallId}/redigera`, params: { id: target.draftCallId }, form: { intent: "edit", title: "" } }],
      expect: (role, target) => (target === "other" || role === "applicant" ? notFound : ADMINISTRATORS.includes(role) ? [400] : [403]),
    },
  },
  "_app.arenden.$id_.utbetalningsplan.tsx": {
    loader: {
      calls: (target) => [{ path: `/arenden/${target.grantedId}/utbetalningsplan`, params: { id: target.grantedId } }],
      expect: (role, target) => (target === "other" ? notFound : STAFF.includes(role) ? [200] : [403]),
    },
    // A plan with no rows: refused by validation (400) for the board's officers; nothing is cancelled.
    action: {
      calls: (target) => [{ path: `/arenden/${target.grantedId}/utbetalningsplan`, params: { id: target.grantedId }, form: { "rows.0.amount": "" } }],
      expect: (role, target) => (target === "other" ? notFound : role === "officer" ? [400] : [403]),
    },
  },
  "_app.ekonomi._index.tsx": {
    loader: { calls: () => [{ path: "/ekonomi" }, { path: "/ekonomi?visa=alla&sida=2" }], expect: (role) => (FINANCE_PAGES.includes(role) ? [200] : [403]) },
    // Marking an instalment paid without the payment's details: 400 on one's own board's instalment, 404 on another's; nothing changes.
    action: {
      calls: (target) => [{ path: "/ekonomi", form: { intent: "MARK_PAID", disbursementId: target.disbursementIds[0], version: "1" } }],
      expect: (role, target) => (!FINANCE_PAGES.includes(role) ? [403] : target === "own" ? [400] : notFound),
    },
  },
  "_app.ekonomi.aterkrav.tsx": {
    loader: { calls: () => [{ path: "/ekonomi/aterkrav" }, { path: "/ekonomi/aterkrav?visa=forfallna" }], expect: (role) => (FINANCE_PAGES.includes(role) ? [200] : [403]) },
    // A case without a reclaim has nothing to act on here (404), whoever's it is.
    action: {
      calls: (target) => [{ path: "/ekonomi/aterkrav", form: { intent: "event", kind: "application", caseId: target.grantedId, eventType: "WAIVE", version: "1" } }],
      expect: (role) => (FINANCE_PAGES.includes(role) ? notFound : [403]),
    },
  },
  // Figures and exports of an assignment: the coordinating board and the board's own staff; applicants and other boards get 404.
  // Applicants have no assignments: the page is the authorities' (it used to answer 200 with an empty list).
  "_app.samordning._index.tsx": { loader: { calls: () => [{ path: "/samordning" }], expect: (role) => (role === "applicant" ? [403] : [200]) } },
  "_app.samordning.$id.tsx": {
    loader: {
      calls: (target) => [
        { path: `/samordning/${target.assignmentId}`, params: { id: target.assignmentId } },
        { path: `/samordning/${target.assignmentId}?ar=2020&utlysning=${target.callId}`, params: { id: target.assignmentId } },
      ],
      expect: (role, target) => (role !== "applicant" && target === "own" ? [200] : notFound),
    },
    action: {
      calls: (target) => [{ path: `/samordning/${target.assignmentId}?ar=1999`, params: { id: target.assignmentId } }],
      expect: (role, target) => (role !== "applicant" && target === "own" ? [303] : notFound),
    },
  },
  ...Object.fromEntries(
    ["redovisning[.]xlsx", "bidrag[.]csv", "360giving[.]json"].map((file) => [
      `_app.samordning.$id.${file}.tsx`,
      {
        loader: {
          calls: (target: Side) => [{ path: `/samordning/${target.assignmentId}/${file.replace("[.]", ".")}?ar=1999`, params: { id: target.assignmentId } }],
          expect: (role: Role, target: Target) => (role !== "applicant" && target === "own" ? [200] : notFound),
        },
      },
    ]),
  ),
  // No job of this user has the id: 404 for everyone (a job is only ever its requester's).
  "_app.samordning.export.$jobId.tsx": { loader: { calls: (target) => [{ path: `/samordning/export/${target.assignmentId}`, params: { jobId: target.assignmentId } }], expect: () => notFound } },
  "_app.samordning.export.$jobId.fil.tsx": { loader: { calls: (target) => [{ path: `/samordning/export/${target.assignmentId}/fil`, params: { jobId: target.assignmentId } }], expect: () => notFound } },
  // Import: officers and admins of a board; a post without a file is refused with 400, others 403.
  "_app.samordning.import.tsx": {
    loader: { calls: () => [{ path: "/samordning/import" }], expect: (role) => (role === "officer" || role === "admin" ? [200] : [403]) },
    action: { calls: () => [{ path: "/samordning/import", form: {} }], expect: (role) => (role === "officer" || role === "admin" ? [400] : [403]) },
  },
  "_app.samordning.import.mall[.]xlsx.tsx": { loader: { calls: () => [{ path: "/samordning/import/mall.xlsx" }], expect: everyone(200) } },
  "_app.utlysningar.$id_.budget.tsx": {
    loader: {
      calls: (target) => [{ path: `/utlysningar/${target.callId}/budget`, params: { id: target.callId } }],
      expect: (role, target) => (role !== "applicant" && target === "own" ? [200] : notFound),
    },
  },
  "_app.admin.kontroll.tsx": { loader: { calls: () => [{ path: "/admin/kontroll" }], expect: (role) => (role === "admin" ? [200] : [403]) } },
  "_app.notiser.tsx": {
    loader: { calls: () => [{ path: "/notiser" }, { path: "/notiser?sida=2" }], expect: everyone(200) },
    action: {
      // Each user's own notice can be marked read and opened (redirect); the same user's
      // request with the other side's user's notice id finds nothing (404) and changes nothing.
      calls: (target, me, role): Call[] => {
        const id = noticeIds.get(`${target.key}:${role}`)!;
        const own = target === me;
        return [
          { path: "/notiser", form: { intent: "read", id } },
          { path: "/notiser", form: { intent: "open", id } },
          ...(own ? [{ path: "/notiser", form: { intent: "read-all" } }] : []),
        ];
      },
      expect: (_role, target) => (target === "own" ? [302] : notFound),
    },
  },
  "_app.installningar.notiser.tsx": {
    loader: { calls: () => [{ path: "/installningar/notiser" }], expect: everyone(200) },
    action: {
      // A topic of the user's own roles saves (redirect); coordinators have no e-mail topics, so theirs is refused (400).
      calls: (_target, _me, role) => [{ path: "/installningar/notiser", form: preferenceForm(role) }],
      expect: (role) => (role === "coordinator" ? [400] : [302]),
    },
  },
  "_app.utveckling.e-post.tsx": { loader: { calls: () => [{ path: "/utveckling/e-post" }], expect: (role) => (role === "admin" ? [200] : notFound) } },
  // The applicant portal: an applicant reaches only their own organization's cases and drafts; board
  // staff have no applicant pages of their own (404 for a case, 403 for the application form).
  "registrera.tsx": { public: true },
  "inbjudan.$token.tsx": { public: true },
  "tillganglighet.tsx": { public: true },
  "_app.organisation.tsx": {
    loader: { calls: (target) => [{ path: "/organisation" }, { path: `/organisation?org=${target.applicantOrgId}` }], expect: (role) => (role === "applicant" ? [200] : [403]) },
    // An invitation without an address: refused by validation (400) in one's own organization, never reaching another's.
    action: { calls: (target) => [{ path: "/organisation", form: { organizationId: target.applicantOrgId, email: "" } }], expect: (role, target) => (role === "applicant" && target === "own" ? [400] : notFound) },
  },
  "_app.ansokningar._index.tsx": { loader: { calls: () => [{ path: "/ansokningar" }, { path: "/ansokningar?status=submitted&sida=2" }], expect: everyone(200) } },
  "_app.ansokningar.$id.tsx": {
    loader: {
      calls: (target) => [target.grantedId, target.presentedId, target.submittedId, target.draftId].map((id) => ({ path: `/ansokningar/${id}`, params: { id } })),
      expect: (role, target) => (role === "applicant" && target === "own" ? [200] : notFound),
    },
    action: {
      // A payment request without an account: refused by validation (400) on one's own grant.
      calls: (target) => [{ path: `/ansokningar/${target.grantedId}`, params: { id: target.grantedId }, form: { intent: "requestPayment", disbursementId: target.disbursementIds[0], version: "1", accountKind: "bankgiro", accountNumber: "" } }],
      expect: (role, target) => (role === "applicant" && target === "own" ? [400] : notFound),
    },
  },
  "_app.ansokningar.$id_.redovisning.tsx": {
    loader: { calls: (target) => [{ path: `/ansokningar/${target.grantedId}/redovisning`, params: { id: target.grantedId } }], expect: (role, target) => (role === "applicant" && target === "own" ? [200] : notFound) },
    action: {
      calls: (target) => [{ path: `/ansokningar/${target.grantedId}/redovisning`, params: { id: target.grantedId }, form: { intent: "submit", version: "1", activitySummary: "" } }],
      expect: (role, target) => (role === "applicant" && target === "own" ? [400] : notFound),
    },
  },
  "_app.ansokan.ny.tsx": {
    // Published calls are public: the other side's draft call is the one that must not be found.
    loader: { calls: (target, me) => [{ path: `/ansokan/ny?utlysning=${target === me ? target.callId : target.draftCallId}` }], expect: (role, target) => (role !== "applicant" ? [403] : target === "own" ? [200] : notFound) },
    action: {
      calls: (target, me) => [{ path: `/ansokan/ny?utlysning=${target === me ? target.callId : target.draftCallId}`, form: { intent: "save", title: "", formToken: "00000000-0000-4000-8000-000000000000", version: "0" } }],
      expect: (role, target) => (role !== "applicant" ? [403] : target === "own" ? [400] : notFound),
    },
  },
  "_app.ansokan.$id.tsx": {
    loader: { calls: (target) => [{ path: `/ansokan/${target.draftId}`, params: { id: target.draftId } }], expect: (role, target) => (role === "applicant" && target === "own" ? [200] : notFound) },
    action: {
      calls: (target) => [{ path: `/ansokan/${target.draftId}`, params: { id: target.draftId }, form: { intent: "save", title: "", version: "1" } }],
      expect: (role, target) => (role === "applicant" && target === "own" ? [400] : notFound),
    },
  },
  "_app.ansokan.$id_.kvitto.tsx": {
    loader: { calls: (target) => [{ path: `/ansokan/${target.submittedId}/kvitto`, params: { id: target.submittedId } }], expect: (role, target) => (role === "applicant" && target === "own" ? [200] : notFound) },
  },
  // Not an attachment's id: nothing to download for anyone (test/applicant covers real files and their scope).
  "_app.filer.$id.tsx": { loader: { calls: (target) => [{ path: `/filer/${target.grantedId}`, params: { id: target.grantedId } }], expect: () => notFound } },
};

/** The preferences form as the page sends it: every topic of the role. Coordinators have none, so an applicant topic stands in and must be refused. */
function preferenceForm(role: Role): Record<string, string> {
  const topics = role === "coordinator" ? ["decision_made"] : topicsForRoles([role]);
  return Object.fromEntries(topics.map((t) => [`email.${t}`, "digest"]));
}

/** One notice per side and role, for the /notiser actions: "A:officer" → its id. */
const noticeIds = new Map<string, string>();

type RouteModule = { loader?: (args: unknown) => unknown; action?: (args: unknown) => unknown };

let A: Side;
let B: Side;
const cookies = new Map<string, string>();
const modules = new Map<string, RouteModule>();
const routeFiles = readdirSync(ROUTES_DIR).filter((f) => /\.(tsx?|jsx?)$/.test(f));

beforeAll(async () => {
  // The routes use the process's client, db(), made on first use from DATABASE_URL.
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  for (const side of [A, B]) for (const role of ROLES) cookies.set(`${side.key}:${role}`, await sessionCookie(t.db, side.users[role].id));
  for (const side of [A, B]) for (const role of ROLES) noticeIds.set(`${side.key}:${role}`, await makeNotice(t.db, side.users[role].id, `matrix:${side.key}:${role}`));
  for (const file of routeFiles) modules.set(file, (await import(path.join(ROUTES_DIR, file))) as RouteModule);
}, 240_000);

async function run(mod: RouteModule, which: "loader" | "action", call: Call, cookie?: string) {
  const request = browserRequest(call.path, { cookie, form: which === "action" ? (call.form ?? {}) : undefined });
  const fn = mod[which]!;
  return responseOf(() => fn({ request, params: call.params ?? {}, context: {} }));
}

function expectNoLeak(body: string, other: Side, what: string) {
  for (const secret of [...other.secrets, other.secretDocument, other.draftCallTitle]) {
    expect(body.includes(secret), `${what} leaks "${secret}"`).toBe(false);
  }
}

describe("permission matrix", () => {
  it("has an entry for every route module, covering each loader and action it exports", () => {
    expect(routeFiles.length).toBeGreaterThan(0);
    const missing = routeFiles.filter((f) => !(f in MATRIX));
    expect(missing, "route files without a permission-matrix entry").toEqual([]);
    for (const file of routeFiles) {
      const entry = MATRIX[file];
      if ("public" in entry) continue;
      const mod = modules.get(file)!;
      expect(Boolean(entry.loader), `${file}: loader probe`).toBe(typeof mod.loader === "function");
      expect(Boolean(entry.action), `${file}: action probe`).toBe(typeof mod.action === "function");
    }
    expect(Object.keys(MATRIX).filter((f) => !routeFiles.includes(f)), "entries for route files that no longer exist").toEqual([]);
  });

  for (const role of ROLES) {
    it(`as ${role}: own organization's ids give the page, another organization's give 403/404 and leak nothing`, async () => {
      let checked = 0;
      for (const [me, other] of [
        [A, B],
        [B, A],
      ] as const) {
        const cookie = cookies.get(`${me.key}:${role}`)!;
        for (const file of routeFiles) {
          const entry = MATRIX[file];
          if ("public" in entry) continue;
          const mod = modules.get(file)!;
          for (const which of ["loader", "action"] as const) {
            const probe = entry[which];
            if (!probe) continue;
            for (const target of [me, other]) {
              const relation: Target = target === me ? "own" : "other";
              for (const call of probe.calls(target, me, role)) {
                const res = await run(mod, which, call, cookie);
                const body = await res.text();
                const what = `${role} of ${me.key}: ${which} ${file} ${call.path} (${relation})`;
                expect(probe.expect(role, relation), `${what} → ${res.status} ${body.slice(0, 300)}`).toContain(res.status);
                expectNoLeak(body, other, what);
                checked++;
              }
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(20);
    });
  }

  it("sends a signed-out visitor to the sign-in page from every loader and action that is not public", async () => {
    for (const file of routeFiles) {
      const entry = MATRIX[file];
      if ("public" in entry) continue;
      const mod = modules.get(file)!;
      for (const which of ["loader", "action"] as const) {
        const probe = entry[which];
        if (!probe) continue;
        for (const call of probe.calls(A, A, "officer")) {
          const res = await run(mod, which, call);
          expect(res.status, `${which} ${file} ${call.path}`).toBe(302);
          expect(res.headers.get("Location"), `${which} ${file}`).toMatch(/^\/logga-in\?redirectTo=/);
          expectNoLeak(await res.text(), A, `${which} ${file} signed out`);
        }
      }
    }
  });

  it("answers the public routes without a session", async () => {
    const get = (file: string, p: string, which: "loader" | "action" = "loader", form?: Record<string, string>) => run(modules.get(file)!, which, { path: p, form });
    expect((await get("healthz.ts", "/healthz")).status).toBe(200);
    expect((await get("readyz.ts", "/readyz")).status).toBe(200);
    expect((await get("logga-in.tsx", "/logga-in")).status).toBe(200);
    expect((await get("logga-in.tsx", "/logga-in", "action", {})).status).toBe(400);
    expect((await get("logga-ut.tsx", "/logga-ut")).status).toBe(302);
    expect((await get("logga-ut.tsx", "/logga-ut", "action", {})).status).toBe(302);
  });

  it("keeps a draft the applicant's own: the board sees an application once it is submitted", async () => {
    const caseModule = modules.get("_app.arenden.$id.tsx")!;
    const listModule = modules.get("_app.arenden._index.tsx")!;
    for (const role of ROLES) {
      const page = await run(caseModule, "loader", { path: `/arenden/${A.draftId}`, params: { id: A.draftId } }, cookies.get(`A:${role}`));
      // The applicant reads its own draft on /ansokningar/:id; nobody else sees it anywhere.
      expect(page.status, role).toBe(role === "applicant" ? 302 : 404);
      const list = await (await run(listModule, "loader", { path: "/arenden" }, cookies.get(`A:${role}`))).text();
      expect(list.includes("Alfaprojektet Utkast"), role).toBe(false);
      const other = await run(caseModule, "loader", { path: `/arenden/${A.draftId}`, params: { id: A.draftId } }, cookies.get(`B:${role}`));
      expect(other.status, `${role} of B`).toBe(404);
    }
  });

  it("never shows a secret document to the applicant, and shows it to the board's staff", async () => {
    const caseModule = modules.get("_app.arenden.$id.tsx")!;
    const page = async (role: Role) => (await run(caseModule, "loader", { path: `/arenden/${A.grantedId}`, params: { id: A.grantedId } }, cookies.get(`A:${role}`))).text();
    expect(await page("applicant")).not.toContain(A.secretDocument);
    expect(await page("coordinator")).not.toContain(A.secretDocument);
    for (const role of STAFF) expect(await page(role), role).toContain(A.secretDocument);
  });

  it("changed nothing on the other side's cases (every refused or foreign action left them as they were)", async () => {
    for (const side of [A, B]) {
      const rows = await t.db.application.findMany({ where: { applicantOrgId: side.applicantOrgId }, select: { state: true } });
      expect(rows.map((r) => r.state).sort()).toEqual(["draft", "grantActive.finalReport.due", "presented", "submitted"]);
      expect(await t.db.conflictOfInterest.count({ where: { application: { applicantOrgId: side.applicantOrgId } } })).toBe(0);
      expect(await t.db.disbursement.count({ where: { grant: { application: { applicantOrgId: side.applicantOrgId } }, state: "cancelled" } })).toBe(0);
    }
  });

  it("lets each role act on its own side's cases (redirect), exactly where the statecharts allow it", async () => {
    const caseModule = modules.get("_app.arenden.$id.tsx")!;
    const post = (role: Role, id: string, form: Record<string, string>) => run(caseModule, "action", { path: `/arenden/${id}`, params: { id }, form: { intent: "event", ...form } }, cookies.get(`A:${role}`));
    const version = async (id: string) => String((await t.db.application.findUniqueOrThrow({ where: { id } })).version);

    // The applicant acts on its own pages (/ansokningar/:id): a post here is sent there and changes nothing.
    const withdrawn = await post("applicant", A.draftId, { kind: "application", caseId: A.draftId, eventType: "WITHDRAW", version: await version(A.draftId) });
    expect(withdrawn.status).toBe(302);
    expect(withdrawn.headers.get("Location")).toBe(`/ansokningar/${A.draftId}`);
    expect((await t.db.application.findUniqueOrThrow({ where: { id: A.draftId } })).state).toBe("draft");

    const started = await post("officer", A.submittedId, { kind: "application", caseId: A.submittedId, eventType: "START_ASSESSMENT", version: await version(A.submittedId) });
    expect(started.status).toBe(302);

    const decided = await post("decision_maker", A.presentedId, {
      kind: "application",
      caseId: A.presentedId,
      eventType: "DECIDE",
      version: await version(A.presentedId),
      outcome: "partly_approved",
      granted: "50 000",
      reasons: "Delvis i linje med prioriteringarna.",
      conditions: "Redovisa senast 2021-02-28.",
      rejectionCategory: "low_ranking",
    });
    expect(decided.status, await decided.clone().text()).toBe(302);
    const decision = await t.db.decision.findFirstOrThrow({ where: { applicationId: A.presentedId } });
    expect(decision.grantedOre).toBe(5_000_000n);
    expect(decision.conditions).toBe("Redovisa senast 2021-02-28.");

    const first = await t.db.disbursement.findUniqueOrThrow({ where: { id: A.disbursementIds[0] } });
    const attested = await post("finance", A.grantedId, { kind: "disbursement", caseId: first.id, eventType: "ATTEST", version: String(first.version) });
    expect(attested.status, await attested.clone().text()).toBe(302);
    expect((await t.db.disbursement.findUniqueOrThrow({ where: { id: first.id } })).state).toBe("attested");

    // Coordinators and admins read cases but act on none: the statecharts offer them nothing, and a forged post is refused (422), not hidden (404).
    for (const role of ["coordinator", "admin"] as const) {
      expect(await allowedEvents(t.db, A.users[role], "application", A.grantedId)).toEqual([]);
      const res = await post(role, A.grantedId, { kind: "application", caseId: A.grantedId, eventType: "CLOSE_CASE", version: await version(A.grantedId) });
      expect(res.status).toBe(422);
    }
  });
});
