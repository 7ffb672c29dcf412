// Applicant organizations: registration of an organization with its first
// user, the organization's page (members, open invitations), and invitations
// of colleagues by e-mail. An invitation token is shown to nobody but the
// recipient: only its SHA-256 is stored, it expires, and it is used once.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "~/db.server";
import type { OrganizationKind } from "~/generated/prisma/enums";
import { requireApplicantOrg, type Principal } from "~/access/permissions.server";
import { hashPassword, MAX_PASSWORD_LENGTH } from "~/auth/password.server";
import { parseOrgNumber } from "~/lib/org-number";
import { formatDateTime } from "~/lib/dates";
import { ORGANIZATION_KIND_LABELS } from "~/lib/state-labels";
import { ROLE_LABELS } from "~/access/navigation";
import { appUrl, escapeHtml } from "~/notifications/mail.server";

/** Kinds of organization that register themselves to apply (boards and agencies are set up by the administrators). */
export const APPLICANT_KINDS: OrganizationKind[] = ["municipality", "region", "municipal_federation", "nonprofit_association", "foundation", "other"];

export const INVITATION_DAYS = 14;
export const MIN_PASSWORD_LENGTH = 12;

export type FormFailure = { values: Record<string, string>; fieldErrors: Record<string, string>; formError?: string };
export type FormOutcome<T> = { ok: true; value: T } | { ok: false; status: number; data: FormFailure };

const field = (form: FormData, name: string, max = 2000) => {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, max) : "";
};

function emailSchema(required: string) {
  return z
    .string()
    .trim()
    .min(1, required)
    .max(254, "E-postadressen är för lång.")
    .pipe(z.email("Ange e-postadressen i rätt format, till exempel namn@kommun.se."))
    .transform((e) => e.toLowerCase());
}

/** The password rules, in one place for registration and invitations. */
function passwordErrors(password: string, confirm: string, email: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (password.length < MIN_PASSWORD_LENGTH) errors.password = `Lösenordet ska ha minst ${MIN_PASSWORD_LENGTH} tecken. En mening av flera ord är lätt att minnas och svår att gissa.`;
  else if (password.length > MAX_PASSWORD_LENGTH) errors.password = "Lösenordet är för långt.";
  else if (password.trim().toLowerCase() === email.trim().toLowerCase()) errors.password = "Lösenordet får inte vara din e-postadress.";
  else if (new Set(password).size < 5) errors.password = "Lösenordet är för enkelt. Använd fler olika tecken.";
  if (!errors.password && password !== confirm) errors.passwordConfirm = "Lösenorden är inte lika. Skriv samma lösenord två gånger.";
  return errors;
}

function issuesToErrors(issues: { path: PropertyKey[]; message: string }[], errors: Record<string, string>) {
  for (const issue of issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
}

// ---------------------------------------------------------------------------
// Registration

export async function registrationOptions(db: Db) {
  const municipalities = await db.municipality.findMany({ orderBy: { name: "asc" }, select: { code: true, name: true, county: { select: { name: true } } } });
  return {
    kinds: APPLICANT_KINDS.map((k) => ({ value: k, label: ORGANIZATION_KIND_LABELS[k] })),
    municipalities: municipalities.map((m) => ({ code: m.code, label: `${m.name} (${m.county.name})` })),
    minPasswordLength: MIN_PASSWORD_LENGTH,
  };
}

/**
 * Registers an organization and its first user (who becomes its applicant) in one
 * transaction. An organisationsnummer already registered is refused with what to do instead.
 */
export async function registerOrganization(db: Db, form: FormData, now = new Date()): Promise<FormOutcome<{ userId: string; organizationId: string }>> {
  const values = {
    orgNumber: field(form, "orgNumber", 40),
    orgName: field(form, "orgName", 300),
    kind: field(form, "kind", 40),
    municipalityCode: field(form, "municipalityCode", 10),
    name: field(form, "name", 300),
    email: field(form, "email", 300),
  };
  const password = field(form, "password", MAX_PASSWORD_LENGTH + 1);
  const errors: Record<string, string> = {};
  const parsed = z
    .object({
      orgName: z.string().trim().min(1, "Ange organisationens namn.").max(200, "Namnet får vara högst 200 tecken."),
      kind: z.enum(APPLICANT_KINDS as [OrganizationKind, ...OrganizationKind[]], { error: () => "Välj vilken typ av organisation det är." }),
      municipalityCode: z.string().regex(/^\d{4}$/, "Välj kommun i listan."),
      name: z.string().trim().min(1, "Ange ditt namn.").max(200, "Namnet får vara högst 200 tecken."),
      email: emailSchema("Ange din e-postadress."),
    })
    .safeParse(values);
  if (!parsed.success) issuesToErrors(parsed.error.issues, errors);
  const kind = parsed.success ? parsed.data.kind : APPLICANT_KINDS.includes(values.kind as OrganizationKind) ? (values.kind as OrganizationKind) : undefined;
  const orgNumber = values.orgNumber.trim() ? parseOrgNumber(values.orgNumber, kind) : { ok: false as const, message: "Ange organisationsnumret, tio siffror." };
  if (!orgNumber.ok) errors.orgNumber = orgNumber.message;
  Object.assign(errors, passwordErrors(password, field(form, "passwordConfirm", MAX_PASSWORD_LENGTH + 1), values.email));
  const municipality = parsed.success ? await db.municipality.findUnique({ where: { code: parsed.data.municipalityCode } }) : null;
  if (parsed.success && !municipality) errors.municipalityCode = "Välj kommun i listan.";

  const fail = (status: number, formError?: string): FormOutcome<never> => ({ ok: false, status, data: { values, fieldErrors: errors, ...(formError ? { formError } : {}) } });
  if (Object.keys(errors).length || !parsed.success || !orgNumber.ok || !municipality) return fail(400);

  const duplicateMessage = (name: string) =>
    `Organisationsnumret ${orgNumber.value} finns redan registrerat (${name}). Organisationen kan bara ha ett konto: be en kollega som redan använder tjänsten att bjuda in dig under ”Vår organisation”.`;
  const existing = await db.organization.findUnique({ where: { orgNumber: orgNumber.value }, select: { name: true } });
  if (existing) {
    errors.orgNumber = duplicateMessage(existing.name);
    return fail(409);
  }
  if (await db.user.findUnique({ where: { email: parsed.data.email }, select: { id: true } })) {
    errors.email = "Det finns redan ett konto med den här e-postadressen. Logga in i stället, eller be om en inbjudan till organisationen.";
    return fail(409);
  }

  const passwordHash = await hashPassword(password);
  try {
    const created = await db.$transaction(async (tx) => {
      const org = await tx.organization.create({
        data: { name: parsed.data.orgName, kind: parsed.data.kind, orgNumber: orgNumber.value, municipalityCode: municipality.code, countyCode: municipality.countyCode, email: parsed.data.email, createdAt: now },
      });
      const user = await tx.user.create({ data: { email: parsed.data.email, name: parsed.data.name, passwordHash, createdAt: now } });
      await tx.membership.create({ data: { userId: user.id, organizationId: org.id, role: "applicant", createdAt: now } });
      return { userId: user.id, organizationId: org.id };
    });
    return { ok: true, value: created };
  } catch (error) {
    // Two registrations of the same number at once: the unique index decides, the second gets the same message.
    if ((error as { code?: string }).code === "P2002") {
      const again = await db.organization.findUnique({ where: { orgNumber: orgNumber.value }, select: { name: true } });
      if (again) errors.orgNumber = duplicateMessage(again.name);
      else errors.email = "Det finns redan ett konto med den här e-postadressen. Logga in i stället.";
      return fail(409);
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------
// The organization's page

export async function loadOrganization(db: Db, user: Principal, organizationId: string, now = new Date()) {
  requireApplicantOrg(user, organizationId);
  const org = await db.organization.findUniqueOrThrow({
    where: { id: organizationId },
    include: { municipality: { select: { name: true } }, county: { select: { name: true } } },
  });
  const members = await db.membership.findMany({ where: { organizationId }, include: { user: { select: { id: true, name: true, email: true, active: true } } }, orderBy: { user: { name: "asc" } } });
  const invitations = await db.invitation.findMany({ where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } });
  return {
    id: org.id,
    name: org.name,
    orgNumber: org.orgNumber,
    kind: ORGANIZATION_KIND_LABELS[org.kind] ?? org.kind,
    municipality: org.municipality?.name ?? null,
    county: org.county?.name ?? null,
    members: members.map((m) => ({ id: m.id, name: m.user.name, email: m.user.email, role: ROLE_LABELS[m.role], active: m.user.active, isMe: m.user.id === user.id })),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, createdAt: formatDateTime(i.createdAt), expiresAt: formatDateTime(i.expiresAt) })),
  };
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Invites a colleague: the invitation and its e-mail are written in one transaction; the worker sends the e-mail. */
export async function inviteColleague(db: Db, user: Principal & { name?: string }, organizationId: string, form: FormData, now = new Date()): Promise<FormOutcome<{ email: string }>> {
  requireApplicantOrg(user, organizationId);
  const values = { email: field(form, "email", 300) };
  const parsed = emailSchema("Ange kollegans e-postadress.").safeParse(values.email);
  if (!parsed.success) return { ok: false, status: 400, data: { values, fieldErrors: { email: parsed.error.issues[0]?.message ?? "Ogiltig e-postadress." } } };
  const email = parsed.data;
  const member = await db.membership.findFirst({ where: { organizationId, role: "applicant", user: { email } } });
  if (member) return { ok: false, status: 409, data: { values, fieldErrors: { email: `${email} är redan med i organisationen.` } } };

  const org = await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { name: true } });
  const inviter = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true } });
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  const link = `${appUrl()}/inbjudan/${token}`;
  const subject = `Inbjudan till ${org.name} i Länsstyrelsens system för utvecklingsmedel`;
  const text =
    `Hej!\n\n${inviter.name} har bjudit in dig att söka och följa utvecklingsmedel för ${org.name}.\n\n` +
    `Öppna länken för att skapa ditt konto eller lägga till organisationen i ditt befintliga konto:\n${link}\n\n` +
    `Länken gäller till ${formatDateTime(expiresAt)} och kan bara användas en gång. Om du inte väntade dig inbjudan kan du bortse från den.\n`;
  const html =
    `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:Arial,sans-serif;line-height:1.5">` +
    `<p>Hej!</p><p>${escapeHtml(inviter.name)} har bjudit in dig att söka och följa utvecklingsmedel för ${escapeHtml(org.name)}.</p>` +
    `<p><a href="${escapeHtml(link)}">Acceptera inbjudan</a></p><p>Länken gäller till ${escapeHtml(formatDateTime(expiresAt))} och kan bara användas en gång.</p></body></html>`;
  await db.$transaction(async (tx) => {
    // A new invitation replaces an open one to the same address.
    await tx.invitation.updateMany({ where: { organizationId, email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const invitation = await tx.invitation.create({ data: { organizationId, email, role: "applicant", tokenHash: hashToken(token), invitedById: user.id, createdAt: now, expiresAt } });
    await tx.emailMessage.create({ data: { toAddress: email, subject, text, html, dedupeKey: `invitation:${invitation.id}`, createdAt: now } });
  });
  return { ok: true, value: { email } };
}

export type InvitationView = { organization: string; email: string; hasAccount: boolean; expiresAt: string };

async function openInvitation(db: Db, token: string, now: Date) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const invitation = await db.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= now) return null;
  return invitation;
}

/** The invitation behind a token, or null when it is unknown, used, withdrawn or expired. */
export async function loadInvitation(db: Db, token: string, now = new Date()): Promise<InvitationView | null> {
  const invitation = await openInvitation(db, token, now);
  if (!invitation) return null;
  const org = await db.organization.findUniqueOrThrow({ where: { id: invitation.organizationId }, select: { name: true } });
  const hasAccount = (await db.user.count({ where: { email: invitation.email } })) > 0;
  return { organization: org.name, email: invitation.email, hasAccount, expiresAt: formatDateTime(invitation.expiresAt) };
}

/**
 * Accepts an invitation in one transaction: marks it used (once, even under two clicks) and
 * creates the user, or adds the organization to the signed-in user whose address it was sent to.
 */
export async function acceptInvitation(db: Db, token: string, form: FormData, signedIn: Principal & { email: string } | null, now = new Date()): Promise<FormOutcome<{ userId: string }> | { ok: false; status: 410 }> {
  const invitation = await openInvitation(db, token, now);
  if (!invitation) return { ok: false, status: 410 };
  const existing = await db.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
  const values = { name: field(form, "name", 300) };

  let create: { name: string; passwordHash: string } | null = null;
  if (existing) {
    if (!signedIn || signedIn.id !== existing.id) {
      return { ok: false, status: 403, data: { values, fieldErrors: {}, formError: `Logga in som ${invitation.email} för att ta emot inbjudan.` } };
    }
  } else {
    const errors: Record<string, string> = {};
    const name = values.name.trim();
    if (!name) errors.name = "Ange ditt namn.";
    else if (name.length > 200) errors.name = "Namnet får vara högst 200 tecken.";
    const password = field(form, "password", MAX_PASSWORD_LENGTH + 1);
    Object.assign(errors, passwordErrors(password, field(form, "passwordConfirm", MAX_PASSWORD_LENGTH + 1), invitation.email));
    if (Object.keys(errors).length) return { ok: false, status: 400, data: { values, fieldErrors: errors } };
    create = { name, passwordHash: await hashPassword(password) };
  }

  const userId = await db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: now } });
    if (claimed.count !== 1) return null;
    const id = existing?.id ?? (await tx.user.create({ data: { email: invitation.email, name: create!.name, passwordHash: create!.passwordHash, createdAt: now } })).id;
    await tx.membership.upsert({
      where: { userId_organizationId_role: { userId: id, organizationId: invitation.organizationId, role: invitation.role } },
      create: { userId: id, organizationId: invitation.organizationId, role: invitation.role, createdAt: now },
      update: {},
    });
    return id;
  });
  if (!userId) return { ok: false, status: 410 };
  return { ok: true, value: { userId } };
}
