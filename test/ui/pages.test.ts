// The pages as a browser without JavaScript gets them: the production build,
// served by the real HTTP server, rendered to HTML for every role. Checks that
// each page renders (no error page), has one h1 and headings in order, a label
// for every field and <th scope> in every table, and that the case page's
// forms work as plain HTML form posts (POST, redirect, confirmation; a refusal
// re-renders the page with the message and what was typed).
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/generated/prisma/enums";
import { useWorldServer } from "./world-server";
import { ROLES, buildSide, sessionCookie, type Side } from "../access/world";

const app = useWorldServer();
let A: Side;
const cookies = new Map<Role, string>();

beforeAll(async () => {
  A = await buildSide(app.database.db, "A");
  for (const role of ROLES) cookies.set(role, await sessionCookie(app.database.db, A.users[role].id));
}, 180_000);

async function get(path: string, role: Role) {
  const res = await fetch(app.baseUrl + path, { headers: { Cookie: cookies.get(role)! }, redirect: "manual" });
  return { status: res.status, html: await res.text(), location: res.headers.get("Location") };
}

async function postForm(path: string, role: Role, form: Record<string, string>) {
  const res = await fetch(app.baseUrl + path, {
    method: "POST",
    headers: { Cookie: cookies.get(role)!, Origin: app.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
    redirect: "manual",
  });
  return { status: res.status, html: await res.text(), location: res.headers.get("Location") };
}

/** The <main> element's HTML (the page without the layout's header). */
function mainOf(html: string): string {
  const m = /<main[^>]*>([\s\S]*)<\/main>/.exec(html);
  return m ? m[1] : "";
}

function text(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ").replace(/&nbsp;|\u00a0/g, " ").replace(/\s+/g, " ");
}

function checkAccessibilityHabits(html: string, what: string) {
  const main = mainOf(html);
  expect(main, `${what}: has <main>`).not.toBe("");
  expect(text(main), what).not.toContain("Något gick fel");
  // One h1, and no heading skips a level.
  const levels = [...main.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  expect(levels.filter((l) => l === 1), `${what}: one h1`).toHaveLength(1);
  expect(levels[0], `${what}: starts with h1`).toBe(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i], `${what}: heading ${i} after h${levels[i - 1]}`).toBeLessThanOrEqual(levels[i - 1] + 1);
  // Every visible field has a label pointing at it (radios included).
  for (const m of main.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const attrs = m[2];
    if (/type="(hidden|submit)"/.test(attrs)) continue;
    const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
    expect(id, `${what}: ${m[0]} has an id`).toBeDefined();
    expect(main.includes(`for="${id}"`), `${what}: label for ${id}`).toBe(true);
  }
  // Header cells say what they head.
  for (const m of main.matchAll(/<th\b([^>]*)>/g)) expect(m[1], `${what}: <th${m[1]}> has scope`).toMatch(/scope="(col|row)"/);
}

describe("pages rendered by the production server", () => {
  it("renders every page for every role with one h1, ordered headings, labelled fields and scoped header cells", async () => {
    const pages = ["/", "/arenden", "/arenden?q=Alfaprojektet", `/arenden/${A.grantedId}`, `/arenden/${A.presentedId}`, `/arenden/${A.draftId}`, "/utlysningar", `/utlysningar/${A.callId}`, "/uppdrag", `/uppdrag/${A.assignmentId}`];
    for (const role of ROLES) {
      for (const path of pages) {
        const page = await get(path, role);
        // Applicants have their own pages (/ansokningar): /arenden sends them there.
        const expected = role === "applicant" && path.startsWith("/uppdrag") ? 403 : role === "applicant" && path.startsWith("/arenden") ? 302 : role !== "applicant" && path === `/arenden/${A.draftId}` ? 404 : 200;
        expect(page.status, `${role} ${path}`).toBe(expected);
        if (expected === 200) checkAccessibilityHabits(page.html, `${role} ${path}`);
      }
    }
  });

  it("shows each role its own start-page section", async () => {
    const start = async (role: Role) => text(mainOf((await get("/", role)).html));
    expect(await start("officer")).toContain("Min arbetskö");
    expect(await start("officer")).toContain("Alfaprojektet Kunskapslyft");
    expect(await start("decision_maker")).toContain("Att besluta");
    expect(await start("decision_maker")).toContain("Alfaprojektet Stödgrupper");
    expect(await start("finance")).toContain("Utbetalningar");
    expect(await start("finance")).toMatch(/Att attestera .*Alfaprojektet Trygg skola/);
    expect(await start("coordinator")).toContain("Samordnade uppdrag");
    expect(await start("coordinator")).toContain("Alfauppdraget om våld i nära relationer");
    expect(await start("coordinator")).toMatch(/Länsstyrelsen[^|]*? 5 000 000 kr 3 000 000 kr 400 000 kr 0 kr/);
    expect(await start("admin")).toContain("Administration");
    expect(await start("applicant")).toContain("Våra ansökningar");
    expect(await start("applicant")).toContain("Alfautlysningen 2020");
    expect(await start("applicant")).not.toContain("Alfas opublicerade utlysning");
  });

  it("works without JavaScript: a form post redirects to the case with a confirmation", async () => {
    const v = (await app.database.db.application.findUniqueOrThrow({ where: { id: A.submittedId } })).version;
    const res = await postForm(`/arenden/${A.submittedId}`, "officer", { intent: "event", kind: "application", caseId: A.submittedId, eventType: "START_ASSESSMENT", version: String(v) });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/arenden/${A.submittedId}?klart=application.START_ASSESSMENT`);
    const after = await get(res.location!, "officer");
    expect(text(mainOf(after.html))).toContain("Klart: Handläggning påbörjad.");
    expect(text(mainOf(after.html))).toContain("Under handläggning");
  });

  it("re-renders a refused form with the rule's message at the top and what the user typed", async () => {
    const v = (await app.database.db.application.findUniqueOrThrow({ where: { id: A.presentedId } })).version;
    const res = await postForm(`/arenden/${A.presentedId}`, "decision_maker", {
      intent: "event",
      kind: "application",
      caseId: A.presentedId,
      eventType: "DECIDE",
      version: String(v),
      outcome: "approved",
      granted: "50 000",
      reasons: "Mitt skäl",
    });
    expect(res.status, text(res.html).slice(0, 2000)).toBe(422);
    const main = mainOf(res.html);
    expect(main).toMatch(/class="error-summary" role="alert"/);
    expect(text(main)).toContain("Bifall avser hela det sökta beloppet");
    // The DECIDE form is open again with the typed amount and reasons.
    expect(main).toMatch(/<details class="event-details" open="">\s*<summary>Fatta beslut<\/summary>/);
    expect(main).toContain('value="50 000"');
    expect(main).toContain(">Mitt skäl</textarea>");
    checkAccessibilityHabits(res.html, "refused DECIDE");
  });
});
