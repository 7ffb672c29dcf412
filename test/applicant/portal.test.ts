// The applicant portal over real HTTP against the production build: each action with
// good and bad input, as a browser without JavaScript sends it. Board staff act through
// the workflow engine, as their own pages would.
import { beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { verifyPassword } from "../../app/auth/password.server";
import { orgNumberFromBase } from "../../app/lib/org-number";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { useWorldServer } from "../ui/world-server";
import { makeOrganization, makeUser } from "../support/fixtures";
import { buildSide, sessionCookie, type Side } from "../access/world";
import { applicationFields, disguisedExe, get, openCall, pdf, post, textFile, textOf, useTemporaryStorage } from "./helpers";

const app = useWorldServer();
const storageDir = useTemporaryStorage();
let A: Side;
let B: Side;
let cookieA: string;
let cookieB: string;

beforeAll(async () => {
  A = await buildSide(app.database.db, "A");
  B = await buildSide(app.database.db, "B");
  cookieA = await sessionCookie(app.database.db, A.users.applicant.id);
  cookieB = await sessionCookie(app.database.db, B.users.applicant.id);
}, 180_000);

const db = () => app.database.db;
const idFrom = (location: string | null) => /\/ansokan\/([0-9a-f-]{36})/.exec(location ?? "")?.[1] ?? "";

/** Starts an application to `callId` with the complete fields (and a file), saved as a draft. */
async function draft(callId: string, overrides = {}, cookie = cookieA) {
  const form = await get(app.baseUrl, `/ansokan/ny?utlysning=${callId}`, cookie);
  expect(form.status).toBe(200);
  const token = /name="formToken" value="([^"]+)"/.exec(form.html)?.[1];
  // The hidden field the page fills in when the user has one applicant organization.
  const organizationId = /name="organizationId" value="([^"]+)"/.exec(form.html)?.[1];
  const res = await post(app.baseUrl, `/ansokan/ny?utlysning=${callId}`, cookie, { ...applicationFields(overrides), organizationId: organizationId!, attachments: pdf(), formToken: token!, version: "0", intent: "save" });
  expect(res.status, res.html.slice(0, 500)).toBe(302);
  return { id: idFrom(res.location), token: token! };
}

const submit = (id: string, fields = {}, version = "1", cookie = cookieA) => post(app.baseUrl, `/ansokan/${id}`, cookie, { ...applicationFields(fields), version, intent: "submit" }, { multipart: true });

describe("registration of an organization", () => {
  const base = () => ({
    orgNumber: orgNumberFromBase("212121212"),
    orgName: "Testby kommun",
    kind: "municipality",
    municipalityCode: "0580",
    name: "Eva Sökande",
    email: `eva-${Date.now()}@testby.se`,
    password: "En lång och bra fras 2026",
    passwordConfirm: "En lång och bra fras 2026",
  });

  it("refuses a wrong check digit, a number of the wrong legal form, a short password, and keeps what was typed", async () => {
    const wrong = await post(app.baseUrl, "/registrera", undefined, { ...base(), orgNumber: "212121-2120", password: "kort", passwordConfirm: "kort" });
    expect(wrong.status).toBe(400);
    const text = textOf(wrong.html);
    expect(text).toContain("Organisationsnumret är inte giltigt");
    expect(text).toContain("Lösenordet ska ha minst 12 tecken");
    expect(wrong.html).toContain('value="Testby kommun"');
    const form = await post(app.baseUrl, "/registrera", undefined, { ...base(), kind: "nonprofit_association" });
    expect(textOf(form.html)).toContain("hör inte till en ideell förening eller stiftelse");
    expect(await db().organization.count({ where: { name: "Testby kommun" } })).toBe(0);
  });

  it("registers the organization with its county from the municipality, signs the user in, and refuses the same number again", async () => {
    const fields = base();
    const res = await post(app.baseUrl, "/registrera", undefined, fields);
    expect(res.status, textOf(res.html)).toBe(302);
    expect(res.location).toBe("/organisation?klart=registrerad");
    const cookie = res.setCookie!.split(";")[0];
    const org = await db().organization.findUniqueOrThrow({ where: { orgNumber: fields.orgNumber }, include: { memberships: { include: { user: true } } } });
    expect(org).toMatchObject({ name: "Testby kommun", kind: "municipality", municipalityCode: "0580", countyCode: "05" });
    expect(org.memberships.map((m) => [m.role, m.user.email])).toEqual([["applicant", fields.email]]);
    expect(await verifyPassword(org.memberships[0].user.passwordHash, fields.password)).toBe(true);
    const page = await get(app.baseUrl, res.location!, cookie);
    expect(textOf(page.html)).toContain("Organisationen är registrerad och du är inloggad");

    const again = await post(app.baseUrl, "/registrera", undefined, { ...fields, orgNumber: fields.orgNumber.replace("-", ""), email: "annan@testby.se" });
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toMatch(/finns redan registrerat \(Testby kommun\).*bjuda in dig/);
    expect(await db().organization.count({ where: { orgNumber: fields.orgNumber } })).toBe(1);
    expect(await db().user.count({ where: { email: "annan@testby.se" } })).toBe(0);
  });
});

describe("invitations", () => {
  it("stores only the token's hash, sends the link by e-mail, creates the user once, and refuses the link after use", async () => {
    const email = `kollega-${Date.now()}@alfa.se`;
    const bad = await post(app.baseUrl, "/organisation", cookieA, { organizationId: A.applicantOrgId, email: "inte en adress" });
    expect(bad.status).toBe(400);
    const sent = await post(app.baseUrl, "/organisation", cookieA, { organizationId: A.applicantOrgId, email });
    expect(sent.status).toBe(302);
    const invitation = await db().invitation.findFirstOrThrow({ where: { email } });
    const mail = await db().emailMessage.findFirstOrThrow({ where: { toAddress: email } });
    const token = /\/inbjudan\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    expect(invitation.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(invitation.tokenHash).not.toContain(token);
    expect(mail).toMatchObject({ status: "pending", subject: expect.stringContaining("Alfa kommun") });

    // Someone else's organization: not found.
    expect((await post(app.baseUrl, "/organisation", cookieB, { organizationId: A.applicantOrgId, email: "x@beta.se" })).status).toBe(404);

    const page = await get(app.baseUrl, `/inbjudan/${token}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain("Inbjudan till Alfa kommun");
    const short = await post(app.baseUrl, `/inbjudan/${token}`, undefined, { name: "Kalle Kollega", password: "kort", passwordConfirm: "kort" });
    expect(short.status).toBe(400);
    const accepted = await post(app.baseUrl, `/inbjudan/${token}`, undefined, { name: "Kalle Kollega", password: "Kollegans långa lösenord", passwordConfirm: "Kollegans långa lösenord" });
    expect(accepted.status).toBe(302);
    expect(accepted.setCookie).toContain("__session=");
    const user = await db().user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user.memberships.map((m) => [m.organizationId, m.role])).toEqual([[A.applicantOrgId, "applicant"]]);

    const replay = await post(app.baseUrl, `/inbjudan/${token}`, undefined, { name: "Kalle Kollega", password: "Kollegans långa lösenord", passwordConfirm: "Kollegans långa lösenord" });
    expect(replay.status).toBe(410);
    expect((await get(app.baseUrl, `/inbjudan/${token}`)).status).toBe(410);
    expect(await db().user.count({ where: { email } })).toBe(1);
  });

  it("a new account made while someone else is signed in is signed in itself, and the other session ends", async () => {
    const email = `ny-${Date.now()}@alfa.se`;
    await post(app.baseUrl, "/organisation", cookieA, { organizationId: A.applicantOrgId, email });
    const mail = await db().emailMessage.findFirstOrThrow({ where: { toAddress: email } });
    const token = /\/inbjudan\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    const other = await sessionCookie(db(), B.users.applicant.id);
    expect(textOf((await get(app.baseUrl, `/inbjudan/${token}`, other)).html)).toContain(`När kontot för ${email} skapas loggas du ut och in på det nya kontot.`);
    const accepted = await post(app.baseUrl, `/inbjudan/${token}`, other, { name: "Nora Ny", password: "Noras långa lösenord", passwordConfirm: "Noras långa lösenord" });
    expect(accepted.status).toBe(302);
    expect(accepted.setCookie).toContain("__session=");
    const page = textOf((await get(app.baseUrl, accepted.location!, accepted.setCookie!.split(";")[0])).html);
    expect(page).toContain("Välkommen! Du är nu med i organisationen.");
    expect(page).toContain("Nora Ny (du)");
    // The session of the one who was signed in before is over.
    expect((await get(app.baseUrl, "/ansokningar", other)).status).toBe(302);
  });
});

describe("an invitation to someone who already has an account", () => {
  it("asks them to sign in as that address, then adds the organization to their account", async () => {
    const other = await makeOrganization(db(), { name: "Gamma förening", kind: "nonprofit_association" });
    const existing = await makeUser(db(), [{ organizationId: other.id, role: "applicant" }], "Greta Gamma");
    await post(app.baseUrl, "/organisation", cookieA, { organizationId: A.applicantOrgId, email: existing.email });
    const mail = await db().emailMessage.findFirstOrThrow({ where: { toAddress: existing.email } });
    const token = /\/inbjudan\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    expect(textOf((await get(app.baseUrl, `/inbjudan/${token}`)).html)).toContain(`Logga in som ${existing.email}`);
    const anonymous = await post(app.baseUrl, `/inbjudan/${token}`, undefined, {});
    expect(anonymous.status).toBe(403);
    // Signed in as someone else: not theirs to accept either.
    expect((await post(app.baseUrl, `/inbjudan/${token}`, cookieB, {})).status).toBe(403);
    const cookie = await sessionCookie(db(), existing.id);
    const ok = await post(app.baseUrl, `/inbjudan/${token}`, cookie, {});
    expect(ok.location).toBe("/organisation?klart=inbjudan");
    expect((await db().membership.findMany({ where: { userId: existing.id } })).map((m) => m.organizationId).sort()).toEqual([A.applicantOrgId, other.id].sort());
    expect((await get(app.baseUrl, `/ansokningar/${A.grantedId}`, cookie)).status).toBe(200);
    // In two organizations, the list says whose each application is; with one, it needs not.
    const orgA = await db().organization.findUniqueOrThrow({ where: { id: A.applicantOrgId } });
    const list = await get(app.baseUrl, "/ansokningar", cookie);
    expect(list.html).toContain('<th scope="col">Organisation</th>');
    expect(list.html).toContain(`<td>${orgA.name}</td>`);
    expect((await get(app.baseUrl, "/ansokningar", cookieA)).html).not.toContain('<th scope="col">Organisation</th>');
  });
});

describe("the application form", () => {
  it("saves a draft, and a replayed first POST does not make a second draft", async () => {
    const { id, token } = await draft(A.callId);
    const again = await post(app.baseUrl, `/ansokan/ny?utlysning=${A.callId}`, cookieA, { ...applicationFields(), organizationId: A.applicantOrgId, formToken: token, version: "0", intent: "save" });
    expect(again.status).toBe(302);
    expect(idFrom(again.location)).toBe(id);
    const row = await db().application.findUniqueOrThrow({ where: { id }, include: { budgetLines: { orderBy: { position: "asc" } }, attachments: true } });
    expect(row).toMatchObject({ state: "draft", requestedOre: 15_000_000n, cofundingOre: 15_000_000n, countyCodes: ["05"], declaresNoTaxDebts: true });
    expect(row.budgetLines.map((l) => [l.category, l.amountOre])).toEqual([["Personal", 10_000_000n], ["Lokaler", 5_000_000n]]);
    expect(row.attachments).toHaveLength(1);
    expect(await db().application.count({ where: { title: "Trygga mötesplatser för unga", applicantOrgId: A.applicantOrgId, createdAt: row.createdAt } })).toBe(1);
    // The file is on disk under an opaque key.
    const bytes = await readFile(path.join(storageDir, row.attachments[0].storageKey));
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
  });

  it("marks the attachment as needed until the application has a file, since submitting requires one", async () => {
    const empty = textOf((await get(app.baseUrl, `/ansokan/ny?utlysning=${A.callId}`, cookieA)).html);
    expect(empty).toContain("Lägg till filer Minst en fil behövs för att skicka in ansökan.");
    expect(empty).not.toContain("Lägg till filer (frivilligt)");
    const { id } = await draft(A.callId, { title: "Med bilaga" });
    const withFile = textOf((await get(app.baseUrl, `/ansokan/${id}`, cookieA)).html);
    expect(withFile).toContain("Lägg till fler filer (frivilligt)");
    expect(withFile).not.toContain("Minst en fil behövs");
  });

  it("refuses a save from a page opened before a colleague saved the same draft, keeping what was typed and the colleague's work", async () => {
    const { id } = await draft(A.callId, { title: "Två kollegor" });
    const stampOf = async () => /name="savedAt" value="([^"]+)"/.exec((await get(app.baseUrl, `/ansokan/${id}`, cookieA)).html)![1];
    const seenByBoth = await stampOf();
    const first = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields({ title: "Två kollegor", aims: "Kollega 1:s mål." }), savedAt: seenByBoth, version: "1", intent: "save" }, { multipart: true });
    expect(first.status, textOf(first.html)).toBe(302);
    // The same form sent twice (a double click without JavaScript) is no conflict.
    const replay = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields({ title: "Två kollegor", aims: "Kollega 1:s mål." }), savedAt: seenByBoth, version: "1", intent: "save" }, { multipart: true });
    expect(replay.status, textOf(replay.html)).toBe(302);
    const second = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields({ title: "Två kollegor", aims: "Kollega 2:s mål." }), savedAt: seenByBoth, version: "1", intent: "save" }, { multipart: true });
    expect(second.status).toBe(409);
    expect(textOf(second.html)).toContain("Ansökan har sparats av någon annan sedan du öppnade sidan");
    expect(second.html).toContain("Kollega 2:s mål.");
    expect((await db().application.findUniqueOrThrow({ where: { id } })).aims).toBe("Kollega 1:s mål.");
    // From a page opened after the first save, saving works again.
    const third = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields({ title: "Två kollegor", aims: "Båda målen." }), savedAt: await stampOf(), version: "1", intent: "save" }, { multipart: true });
    expect(third.status).toBe(302);
    expect((await db().application.findUniqueOrThrow({ where: { id } })).aims).toBe("Båda målen.");
  });

  it("adds budget rows without JavaScript: the same form comes back with more empty rows and what was typed, nothing saved", async () => {
    const { id } = await draft(A.callId, { title: "Fler rader" });
    const before = await db().application.findUniqueOrThrow({ where: { id } });
    const res = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields({ title: "Fler rader, ändrad", budgetCategory: ["Personal", "Lokaler", "Resor"], budgetAmount: ["100 000", "40 000", "10 000"], budgetDescription: ["", "", ""] }), version: "1", intent: "addRow" });
    expect(res.status).toBe(200);
    expect(res.html).toContain('id="budget-5-category"');
    expect(res.html).not.toContain('id="budget-6-category"');
    expect(res.html).toContain('value="Resor"');
    expect(res.html).toContain('value="Fler rader, ändrad"');
    expect(await db().application.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it("reads Swedish amounts exactly and refuses negative and absurd ones, keeping what was typed and saving nothing", async () => {
    const { id } = await draft(A.callId, { requested: "1 500 000,50", budgetAmount: ["1500000", "0,50", ""] });
    expect((await db().application.findUniqueOrThrow({ where: { id } })).requestedOre).toBe(150_000_050n);
    const before = await db().application.findUniqueOrThrow({ where: { id } });
    const res = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields({ requested: "-5 000", cofunding: "99 999 999 999 999", title: "Ändrad titel" }), version: "1", intent: "save" });
    expect(res.status).toBe(400);
    const text = textOf(res.html);
    expect(text).toContain("Beloppet kan inte vara negativt.");
    expect(text).toContain("Beloppet är orimligt stort.");
    expect(text).toContain("Ingenting har sparats");
    expect(res.html).toContain('value="-5 000"');
    expect(res.html).toContain('value="Ändrad titel"');
    expect(res.html).toMatch(/href="#requested"/);
    expect(await db().application.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it("refuses a text over its limit with the limit written the Swedish way (10 000, not 10000), saving nothing", async () => {
    const { id } = await draft(A.callId, { title: "För lång text" });
    const res = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields({ title: "För lång text", description: "x".repeat(10_001) }), version: "1", intent: "save" }, { multipart: true });
    expect(res.status).toBe(400);
    expect(textOf(res.html)).toContain("Texten får vara högst 10 000 tecken.");
    expect((await db().application.findUniqueOrThrow({ where: { id } })).description).not.toHaveLength(10_001);
  });

  it("refuses budget lines that do not add up to the requested amount, and keeps the draft", async () => {
    const { id } = await draft(A.callId);
    const res = await submit(id, { budgetAmount: ["100 000", "40 000", ""], title: "Summan stämmer inte" });
    expect(res.status).toBe(400);
    expect(textOf(res.html)).toContain("Budgetraderna summerar till 140 000 kr men sökt belopp är 150 000 kr");
    expect(res.html).toContain('href="#budgetTotal"');
    const row = await db().application.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ state: "draft", title: "Summan stämmer inte", registrationNumber: null });
  });

  it("refuses a file of the wrong type (by content, not name), a text file and an oversized file", async () => {
    const { id } = await draft(A.callId);
    for (const [file, message] of [
      [disguisedExe(), "är inte en riktig PDF-fil"],
      [textFile(), "har en filtyp som inte tas emot"],
      [pdf("stor.pdf", 11 * 1024 * 1024), "är för stor"],
    ] as const) {
      const res = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields(), attachments: file, version: "1", intent: "save" });
      expect(res.status, message).toBe(400);
      expect(textOf(res.html)).toContain(message);
    }
    expect(await db().attachment.count({ where: { applicationId: id } })).toBe(1);
  });

  it("checks every call rule at once when submitting, with each rule's message at its field", async () => {
    const call = await openCall(db(), A.users.officer, A.boardId, {
      title: "Strikt utlysning",
      eligibleKinds: ["municipality"],
      maxAmountOre: 10_000_000n,
      maxProjectMonths: 6,
      requiresMultipleCounties: true,
      cofundingRules: { municipality: 50 },
    });
    const { id } = await draft(call.id, { requested: "150 000", cofunding: "10 000" });
    const res = await submit(id, { requested: "150 000", cofunding: "10 000" });
    expect(res.status).toBe(422);
    const text = textOf(res.html);
    expect(text).toContain("Det sökta beloppet är större än utlysningens högsta belopp per ansökan.");
    expect(text).toContain("Projektet är längre än utlysningen tillåter");
    expect(text).toContain("Utlysningen kräver att projektet omfattar flera län.");
    expect(text).toContain("större andel av projektets kostnad än utlysningen tillåter");
    expect(text).toContain("sparad som utkast");
    const row = await db().application.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe("draft");
    expect(await db().auditEvent.count({ where: { caseId: id, eventType: "SUBMIT" } })).toBe(0);

    const other = await openCall(db(), A.users.officer, A.boardId, { title: "Bara föreningar", eligibleKinds: ["nonprofit_association"] });
    const listed = textOf((await get(app.baseUrl, "/utlysningar", cookieA)).html);
    expect(listed).toContain("Er typ av organisation (Kommun) får inte söka i den här utlysningen.");
    const page = await get(app.baseUrl, `/utlysningar/${other.id}`, cookieA);
    expect(page.html).not.toContain(`/ansokan/ny?utlysning=${other.id}`);
  });

  it("refuses a submission after the call has closed", async () => {
    const call = await openCall(db(), A.users.officer, A.boardId, { title: "Stänger strax", closesAt: new Date(Date.now() + 4000) });
    const { id } = await draft(call.id);
    await new Promise((r) => setTimeout(r, 4500));
    const res = await submit(id);
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain("Utlysningen har stängt. Ansökan kan inte längre lämnas in.");
    expect((await db().application.findUniqueOrThrow({ where: { id } })).state).toBe("draft");
    const closedList = textOf((await get(app.baseUrl, "/utlysningar?visa=stangda", cookieA)).html);
    expect(closedList).toContain("Stänger strax");
    // The draft's pages say that the call has closed, instead of asking to submit before it closes.
    const casePage = textOf((await get(app.baseUrl, `/ansokningar/${id}`, cookieA)).html);
    expect(casePage).toContain("Inte inskickad. Utlysningen stängde");
    expect(casePage).toContain("Utlysningen har stängt: utkastet kan inte längre skickas in.");
    expect(casePage).not.toContain("Skicka in den innan utlysningen stänger");
    expect(textOf((await get(app.baseUrl, `/ansokan/${id}`, cookieA)).html)).toContain("Utlysningen har stängt och tar inte emot ansökningar. Utkastet kan inte längre skickas in.");
    const ownList = textOf((await get(app.baseUrl, "/ansokningar?status=draft", cookieA)).html);
    expect(ownList).toContain("Utlysningen har stängt: utkastet kan inte längre skickas in");
    expect(textOf((await get(app.baseUrl, "/", cookieA)).html)).toContain("Utlysningen har stängt: utkastet kan inte längre skickas in. Ni kan återta utkastet");
  });

  it("a new application whose first submission is refused is saved once: the form comes back posting to that draft, with its file listed", async () => {
    const title = `Första försöket ${Date.now()}`;
    const form = await get(app.baseUrl, `/ansokan/ny?utlysning=${A.callId}`, cookieA);
    const token = /name="formToken" value="([^"]+)"/.exec(form.html)![1];
    const first = await post(app.baseUrl, `/ansokan/ny?utlysning=${A.callId}`, cookieA, {
      ...applicationFields({ title, aims: "" }),
      organizationId: A.applicantOrgId,
      attachments: pdf("tidsplan.pdf"),
      formToken: token,
      version: "0",
      intent: "submit",
    });
    expect(first.status).toBe(400);
    expect(textOf(first.html)).toContain("Ansökan är sparad som utkast men inte inskickad");
    const draftRow = await db().application.findFirstOrThrow({ where: { title }, include: { attachments: true } });
    expect(draftRow.attachments.map((f) => f.fileName)).toEqual(["tidsplan.pdf"]);
    // The page a browser gets back (its loader makes a new token at every load) posts to the draft, and shows its file.
    const again = /name="formToken" value="([^"]+)"/.exec(first.html)![1];
    expect(again).toBe(draftRow.id);
    expect(textOf(first.html)).toContain("tidsplan.pdf");
    expect(textOf(first.html)).toContain("Lägg till fler filer (frivilligt)");

    const second = await post(app.baseUrl, `/ansokan/ny?utlysning=${A.callId}`, cookieA, { ...applicationFields({ title }), organizationId: A.applicantOrgId, formToken: again, version: "0", intent: "submit" }, { multipart: true });
    expect(second.status, textOf(second.html)).toBe(302);
    expect(second.location).toBe(`/ansokan/${draftRow.id}/kvitto`);
    const rows = await db().application.findMany({ where: { title }, include: { attachments: true } });
    expect(rows.map((r) => [r.id, r.state, r.attachments.length])).toEqual([[draftRow.id, "submitted", 1]]);
  });

  it("submits once: registration number and receipt; a replayed POST is answered as already done and changes nothing", async () => {
    const { id } = await draft(A.callId, { title: "Skickas en gång" });
    const res = await submit(id, { title: "Skickas en gång" });
    expect(res.status, textOf(res.html)).toBe(302);
    expect(res.location).toBe(`/ansokan/${id}/kvitto`);
    const row = await db().application.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe("submitted");
    expect(row.registrationNumber).toMatch(/^05-\d{4}-\d{4}$/);
    const receipt = textOf((await get(app.baseUrl, res.location!, cookieA)).html);
    expect(receipt).toContain(`registrerad med diarienummer ${row.registrationNumber}`);
    expect(receipt).toContain("En handläggare kommer att granska den");

    const replay = await submit(id, { title: "Skickas en gång" });
    expect(replay.status).toBe(302);
    expect(replay.location).toBe(`/ansokan/${id}/kvitto?redan=1`);
    expect(textOf((await get(app.baseUrl, replay.location!, cookieA)).html)).toContain("Ansökan var redan inskickad");
    expect(await db().auditEvent.count({ where: { caseId: id, eventType: "SUBMIT" } })).toBe(1);
    expect(await db().applicationRevision.count({ where: { applicationId: id } })).toBe(1);
    expect((await db().application.findUniqueOrThrow({ where: { id } })).version).toBe(row.version);
  });
});

describe("the start page", () => {
  it("tells the applicant what happens next in their own words, not the board's", async () => {
    const { id } = await draft(A.callId, { title: "Syns på startsidan" });
    await submit(id, { title: "Syns på startsidan" });
    await applyWorkflowEvent(db(), A.users.officer, "application", id, { type: "START_ASSESSMENT" });
    await applyWorkflowEvent(db(), A.users.officer, "application", id, { type: "REQUEST_COMPLETION", message: "Hur många deltar?", deadline: "2099-01-31T22:59:59Z" });
    const start = textOf((await get(app.baseUrl, "/", cookieA)).html);
    expect(start).toContain("Syns på startsidan");
    expect(start).toContain("Handläggaren behöver fler uppgifter. Läs frågan nedan, ändra ansökan och skicka kompletteringen före sista dag.");
    expect(start).not.toContain("den sökande");
  });
});

describe("another organization's ids", () => {
  it("answer 404 on every applicant page, including the attachment download", async () => {
    const { id } = await draft(A.callId, { title: "Bara Alfas" });
    const attachment = await db().attachment.findFirstOrThrow({ where: { applicationId: id } });
    const own = await fetch(`${app.baseUrl}/filer/${attachment.id}`, { headers: { Cookie: cookieA } });
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Disposition")).toContain('filename="projektplan.pdf"');
    expect(new TextDecoder().decode((await own.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    for (const p of [`/ansokan/${id}`, `/ansokningar/${id}`, `/ansokningar/${A.grantedId}`, `/ansokan/${A.submittedId}/kvitto`, `/ansokningar/${A.grantedId}/redovisning`, `/filer/${attachment.id}`]) {
      const res = await get(app.baseUrl, p, cookieB);
      expect(res.status, p).toBe(404);
      expect(res.html).not.toContain("Bara Alfas");
    }
    const res = await post(app.baseUrl, `/ansokan/${id}`, cookieB, { ...applicationFields(), version: "1", intent: "submit" });
    expect(res.status).toBe(404);
    // A call id that is not an id at all: 404 as well, not a server error.
    expect((await get(app.baseUrl, "/ansokan/ny?utlysning=abc", cookieA)).status).toBe(404);
    expect((await post(app.baseUrl, "/ansokan/ny?utlysning=abc", cookieA, { ...applicationFields(), version: "0", intent: "save" })).status).toBe(404);
    expect((await db().application.findUniqueOrThrow({ where: { id } })).state).toBe("draft");
  });
});

describe("after submission", () => {
  it("withdraws before a decision, once", async () => {
    const { id } = await draft(A.callId, { title: "Återtas" });
    await submit(id);
    const v = (await db().application.findUniqueOrThrow({ where: { id } })).version;
    const res = await post(app.baseUrl, `/ansokningar/${id}`, cookieA, { intent: "withdraw", version: String(v), reasons: "Projektet genomförs inte." });
    expect(res.location).toBe(`/ansokningar/${id}?klart=atertagen`);
    const replay = await post(app.baseUrl, `/ansokningar/${id}`, cookieA, { intent: "withdraw", version: String(v), reasons: "Projektet genomförs inte." });
    expect(replay.location).toBe(`/ansokningar/${id}?klart=redan-atertagen`);
    expect((await db().application.findUniqueOrThrow({ where: { id } })).state).toBe("withdrawn");
    expect(await db().auditEvent.count({ where: { caseId: id, eventType: "WITHDRAW" } })).toBe(1);
    // A granted case offers no withdrawal.
    expect(textOf((await get(app.baseUrl, `/ansokningar/${A.grantedId}`, cookieA)).html)).not.toContain("Återta ansökan");
  });

  it("answers a completion request by editing the application: both versions are kept and shown", async () => {
    const { id } = await draft(A.callId, { title: "Kompletteras" });
    await submit(id, { title: "Kompletteras" });
    await applyWorkflowEvent(db(), A.users.officer, "application", id, { type: "START_ASSESSMENT" });
    await applyWorkflowEvent(db(), A.users.officer, "application", id, { type: "REQUEST_COMPLETION", message: "Beskriv hur ni når föräldrarna.", deadline: "2099-01-31T22:59:59Z" });
    const form = await get(app.baseUrl, `/ansokan/${id}`, cookieA);
    expect(textOf(form.html)).toContain("Beskriv hur ni når föräldrarna.");
    // A completion whose last day has passed is marked as late in the list, as a late report is.
    await db().completionRequest.updateMany({ where: { applicationId: id }, data: { dueOn: new Date("2026-01-15") } });
    expect(textOf((await get(app.baseUrl, "/ansokningar?status=completionRequested", cookieA)).html)).toContain("Komplettera senast 2026-01-15 (försenad)");
    await db().completionRequest.updateMany({ where: { applicationId: id }, data: { dueOn: new Date("2099-01-31") } });
    const v = (await db().application.findUniqueOrThrow({ where: { id } })).version;
    const changed = { title: "Kompletteras", targetGroup: "Unga 13–19 år och deras föräldrar, som nås via skolans föräldramöten.", requested: "120 000", budgetAmount: ["80 000", "40 000", ""] };
    const filesBefore = await db().attachment.count({ where: { applicationId: id } });
    const bad = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields({ ...changed, budgetAmount: ["80 000", "10 000", ""] }), attachments: pdf("rekrytering.pdf"), version: String(v), intent: "complete" });
    expect(bad.status).toBe(400);
    // The chosen file was not kept: the page says so, as it does for any other refused form.
    expect(textOf(bad.html)).toContain("Kompletteringen är inte inskickad. Rätta felen nedan. Filer du valde har inte sparats: välj dem igen.");
    expect(await db().attachment.count({ where: { applicationId: id } })).toBe(filesBefore);
    const res = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields(changed), completionResponse: "Målgruppen är förtydligad.", version: String(v), intent: "complete" }, { multipart: true });
    expect(res.status, textOf(res.html)).toBe(302);
    const row = await db().application.findUniqueOrThrow({ where: { id }, include: { revisions: { orderBy: { number: "asc" } }, completionRequests: true } });
    expect(row.state).toBe("inAssessment");
    expect(row.requestedOre).toBe(12_000_000n);
    expect(row.revisions.map((r) => (r.data as { targetGroup: string; requestedOre: string }).requestedOre)).toEqual(["15000000", "12000000"]);
    expect(row.completionRequests[0]).toMatchObject({ response: "Målgruppen är förtydligad." });
    expect(row.completionRequests[0].completedAt).not.toBeNull();
    const page = textOf((await get(app.baseUrl, `/ansokningar/${id}`, cookieA)).html);
    expect(page).toContain("Version 1: inskickad ansökan");
    expect(page).toContain("Version 2: komplettering");
    expect(page).toContain("som nås via skolans föräldramöten");
    expect(page).toMatch(/Ändrat jämfört med version 1 .*Sökt belopp 150 000 kr 120 000 kr/);
    // The receipt still shows what was submitted, and says that the application was completed since.
    const receipt = textOf((await get(app.baseUrl, `/ansokan/${id}/kvitto`, cookieA)).html);
    expect(receipt).toContain("Sökt belopp 150 000 kr");
    expect(receipt).toContain("Personal: 100 000 kr; Lokaler: 50 000 kr");
    expect(receipt).not.toContain("120 000 kr");
    expect(receipt).toMatch(/Ansökan kompletterades \d{4}-\d{2}-\d{2} \d{2}:\d{2} ?\. Kvittot visar ansökan som den skickades in/);
    const replay = await post(app.baseUrl, `/ansokan/${id}`, cookieA, { ...applicationFields(changed), version: String(v), intent: "complete" }, { multipart: true });
    expect(replay.location).toBe(`/ansokningar/${id}?klart=redan-kompletterad`);
    expect(await db().applicationRevision.count({ where: { applicationId: id } })).toBe(2);
  });

  it("shows the decision, takes a payment request before its deadline, and the report with its unused amount", async () => {
    const call = await openCall(db(), A.users.officer, A.boardId, {
      title: "Utlysning med rekvisition",
      paymentRequestRequired: true,
      paymentRequestDays: 60,
      paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
      appealNotice: "Beslutet kan överklagas hos förvaltningsrätten inom tre veckor.",
      indicators: [{ name: "Deltagare", unit: "personer" }],
    });
    const { id } = await draft(call.id, { title: "Beviljas" });
    await submit(id, { title: "Beviljas" });
    await applyWorkflowEvent(db(), A.users.officer, "application", id, { type: "START_ASSESSMENT" });
    await applyWorkflowEvent(db(), A.users.officer, "application", id, { type: "PRESENT", recommendation: "approved" }, { details: { summary: "Bra." } });
    await applyWorkflowEvent(db(), A.users.decision_maker, "application", id, { type: "DECIDE", outcome: "approved", grantedOre: 15_000_000, reasons: "Projektet motsvarar utlysningens prioriteringar." }, { details: { conditions: "Redovisa deltagarantal." } });

    const page = await get(app.baseUrl, `/ansokningar/${id}`, cookieA);
    const text = textOf(page.html);
    expect(text).toContain("Bifall");
    expect(text).toContain("Projektet motsvarar utlysningens prioriteringar.");
    expect(text).toContain("Redovisa deltagarantal.");
    expect(text).toContain("Beslutet kan överklagas hos förvaltningsrätten inom tre veckor.");
    expect(page.html).toMatch(new RegExp(`href="/arenden/${id}/beslutsbrev\\?beslut=[0-9a-f-]{36}"`));
    expect(text).toMatch(/Rekvirera senast \d{4}-\d{2}-\d{2} \(\d+ dagar kvar\)\. Om pengarna inte rekvireras i tid betalas de inte ut\./);

    const d = await db().disbursement.findFirstOrThrow({ where: { grant: { applicationId: id } } });
    const empty = await post(app.baseUrl, `/ansokningar/${id}`, cookieA, { intent: "requestPayment", disbursementId: d.id, version: String(d.version), accountKind: "bankgiro", accountNumber: "5050-1056" });
    expect(empty.status).toBe(400);
    expect(textOf(empty.html)).toContain("Bankgironumret är inte giltigt");
    expect(empty.html).toContain('value="5050-1056"');
    const ok = await post(app.baseUrl, `/ansokningar/${id}`, cookieA, { intent: "requestPayment", disbursementId: d.id, version: String(d.version), accountKind: "bankgiro", accountNumber: "5050-1055" });
    expect(ok.location).toBe(`/ansokningar/${id}?klart=rekvirerad`);
    const replay = await post(app.baseUrl, `/ansokningar/${id}`, cookieA, { intent: "requestPayment", disbursementId: d.id, version: String(d.version), accountKind: "bankgiro", accountNumber: "5050-1055" });
    expect(replay.location).toBe(`/ansokningar/${id}?klart=redan-rekvirerad`);
    expect(await db().disbursement.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ state: "requested", bankAccount: "Bankgiro 5050-1055" });
    expect(await db().auditEvent.count({ where: { caseId: d.id, eventType: "REQUEST_PAYMENT" } })).toBe(1);
    // Another grant's instalment through this case: not found.
    expect((await post(app.baseUrl, `/ansokningar/${id}`, cookieA, { intent: "requestPayment", disbursementId: A.disbursementIds[0], version: "1", accountKind: "bankgiro", accountNumber: "5050-1055" })).status).toBe(404);

    const lines = await db().budgetLine.findMany({ where: { applicationId: id }, orderBy: { position: "asc" } });
    const indicator = await db().callIndicator.findFirstOrThrow({ where: { callId: call.id } });
    const report = await get(app.baseUrl, `/ansokningar/${id}/redovisning`, cookieA);
    expect(report.status).toBe(200);
    const version = String((await db().application.findUniqueOrThrow({ where: { id } })).version);
    const fields = { version, intent: "submit", activitySummary: "Tre mötesplatser öppnade.", [`used-${lines[0].id}`]: "100 000", [`used-${lines[1].id}`]: "30 000,50", [`result-${indicator.id}`]: "212", [`comment-${indicator.id}`]: "Fler än målet." };
    const missing = await post(app.baseUrl, `/ansokningar/${id}/redovisning`, cookieA, fields, { multipart: true });
    expect(missing.status).toBe(400);
    expect(textOf(missing.html)).toContain("Bifoga ett utdrag ur bokföringen");
    expect(textOf(missing.html)).toContain("Outnyttjat belopp: 19 999,50 kr");
    const sent = await post(app.baseUrl, `/ansokningar/${id}/redovisning`, cookieA, { ...fields, ledger: pdf("huvudbok.pdf") });
    expect(sent.location).toBe(`/ansokningar/${id}?klart=redovisad`);
    const stored = await db().report.findFirstOrThrow({ where: { grant: { applicationId: id }, kind: "final" }, include: { lines: true, results: true, attachments: true } });
    expect(stored).toMatchObject({ usedOre: 13_000_050n, unusedOre: 1_999_950n, activitySummary: "Tre mötesplatser öppnade.", state: "submitted" });
    expect(stored.lines.map((l) => [l.category, l.usedOre]).sort()).toEqual([["Lokaler", 3_000_050n], ["Personal", 10_000_000n]]);
    expect(stored.results.map((r) => [r.value.toString(), r.comment])).toEqual([["212", "Fler än målet."]]);
    expect(stored.attachments.map((f) => [f.fileName, f.purpose])).toEqual([["huvudbok.pdf", "ledger_extract"]]);
    expect((await db().application.findUniqueOrThrow({ where: { id } })).state).toBe("grantActive.finalReport.submitted");
    const again = await post(app.baseUrl, `/ansokningar/${id}/redovisning`, cookieA, { ...fields, ledger: pdf("huvudbok.pdf") });
    expect(again.location).toBe(`/ansokningar/${id}?klart=redan-redovisad`);
    expect(await db().auditEvent.count({ where: { caseId: id, eventType: "SUBMIT_REPORT" } })).toBe(1);

    // The officer asks for more; the applicant sees the question and sends the report again.
    await applyWorkflowEvent(db(), A.users.officer, "application", id, { type: "REQUEST_REPORT_COMPLETION", kind: "final", message: "Bifoga underlag för lokalkostnaderna." });
    const asked = await get(app.baseUrl, `/ansokningar/${id}/redovisning`, cookieA);
    expect(textOf(asked.html)).toContain("Bifoga underlag för lokalkostnaderna.");
    expect(asked.html).toContain('value="30 000,50"');
    const v2 = String((await db().application.findUniqueOrThrow({ where: { id } })).version);
    const resent = await post(app.baseUrl, `/ansokningar/${id}/redovisning`, cookieA, { ...fields, version: v2, ledger: pdf("huvudbok-2.pdf") });
    expect(resent.location).toBe(`/ansokningar/${id}?klart=redovisad`);
    expect((await db().application.findUniqueOrThrow({ where: { id } })).state).toBe("grantActive.finalReport.resubmitted");
  });
});

describe("accessibility statement", () => {
  it("is public, names DIGG, and stores a reported problem", async () => {
    const page = await get(app.baseUrl, "/tillganglighet");
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain("lagen (2018:1937) om tillgänglighet till digital offentlig service");
    expect(text).toContain("Myndigheten för digital förvaltning (DIGG)");
    expect(text).toContain("Kända brister");
    const empty = await post(app.baseUrl, "/tillganglighet", undefined, { message: " ", email: "fel" });
    expect(empty.status).toBe(400);
    expect(textOf(empty.html)).toContain("Beskriv problemet");
    const ok = await post(app.baseUrl, "/tillganglighet", undefined, { message: "Knappen syns inte i högkontrastläge.", pageUrl: "/ansokningar", email: "" });
    expect(ok.status).toBe(302);
    expect(await db().accessibilityFeedback.findFirstOrThrow({ where: { message: "Knappen syns inte i högkontrastläge." } })).toMatchObject({ pageUrl: "/ansokningar" });
  });

  it("e-mails a reported problem to every active administrator, so that someone reads it and can answer", async () => {
    const message = "Felmeddelandet läses inte upp av <skärmläsaren>.";
    const ok = await post(app.baseUrl, "/tillganglighet", undefined, { message, pageUrl: "/ansokan/ny", name: "Sara", email: "sara@exempel.se" });
    expect(ok.status).toBe(302);
    const feedback = await db().accessibilityFeedback.findFirstOrThrow({ where: { message } });
    const mails = await db().emailMessage.findMany({ where: { dedupeKey: { startsWith: `accessibility-feedback:${feedback.id}:` } }, orderBy: { toAddress: "asc" } });
    expect(mails.map((m) => m.toAddress)).toEqual([A.users.admin.email, B.users.admin.email].sort());
    expect(mails[0]).toMatchObject({ status: "pending", subject: "Tillgänglighet: ett problem har rapporterats" });
    expect(mails[0].text).toContain(message);
    expect(mails[0].text).toContain("Sida: /ansokan/ny");
    expect(mails[0].text).toContain("Svara till sara@exempel.se");
    expect(mails[0].html).toContain("&lt;skärmläsaren&gt;");
  });
});
