// Problems reported through the accessibility statement (tillgänglighetsredogörelse).
// Anyone may report, signed in or not. The report is stored and, in the same
// transaction, e-mailed to every active administrator (the worker sends it), so that
// someone reads it and can answer within the two weeks the statement promises.
import { z } from "zod";
import type { Db } from "~/db.server";
import { formatDateTime } from "~/lib/dates";
import { escapeHtml } from "~/notifications/mail.server";

export type FeedbackFailure = { values: Record<string, string>; fieldErrors: Record<string, string> };

const field = (form: FormData, name: string, max: number) => {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, max) : "";
};

export async function saveAccessibilityFeedback(db: Db, form: FormData, now = new Date()): Promise<{ ok: true } | { ok: false; status: number; data: FeedbackFailure }> {
  const values = { name: field(form, "name", 300), email: field(form, "email", 300), pageUrl: field(form, "pageUrl", 1000), message: field(form, "message", 5001) };
  const parsed = z
    .object({
      name: z.string().trim().max(200, "Namnet får vara högst 200 tecken."),
      email: z.union([z.literal(""), z.string().trim().max(254, "E-postadressen är för lång.").pipe(z.email("Ange e-postadressen i rätt format, till exempel namn@exempel.se, eller lämna fältet tomt."))]),
      pageUrl: z.string().trim().max(500, "Adressen får vara högst 500 tecken."),
      message: z.string().trim().min(1, "Beskriv problemet: vad du försökte göra och vad som hände.").max(5000, "Beskrivningen får vara högst 5 000 tecken."),
    })
    .safeParse({ ...values, email: values.email.trim() });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    return { ok: false, status: 400, data: { values, fieldErrors } };
  }
  const admins = await db.user.findMany({ where: { active: true, memberships: { some: { role: "admin" } } }, select: { id: true, email: true }, orderBy: { email: "asc" } });
  await db.$transaction(async (tx) => {
    const feedback = await tx.accessibilityFeedback.create({ data: { ...parsed.data, createdAt: now } });
    const mail = feedbackEmail(parsed.data, now);
    for (const admin of admins) {
      await tx.emailMessage.create({ data: { userId: admin.id, toAddress: admin.email, ...mail, dedupeKey: `accessibility-feedback:${feedback.id}:${admin.id}`, createdAt: now } });
    }
  });
  return { ok: true };
}

function feedbackEmail(f: { name: string; email: string; pageUrl: string; message: string }, now: Date) {
  const subject = "Tillgänglighet: ett problem har rapporterats";
  const from = [f.name, f.email].filter(Boolean).join(", ") || "anonym (ingen e-postadress)";
  const rows: [string, string][] = [
    ["Rapporterat", formatDateTime(now)],
    ["Sida", f.pageUrl || "ej angiven"],
    ["Från", from],
  ];
  const answer = f.email ? `Svara till ${f.email} inom två veckor, som tillgänglighetsredogörelsen lovar.` : "Personen lämnade ingen e-postadress och väntar inte på svar.";
  const text = `Ett problem har rapporterats via tillgänglighetsredogörelsen.\n\n${rows.map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${f.message}\n\n${answer}\n`;
  const html =
    `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:Arial,sans-serif;line-height:1.5">` +
    `<p>Ett problem har rapporterats via tillgänglighetsredogörelsen.</p><ul>${rows.map(([k, v]) => `<li>${escapeHtml(k)}: ${escapeHtml(v)}</li>`).join("")}</ul>` +
    `<blockquote style="white-space:pre-wrap">${escapeHtml(f.message)}</blockquote><p>${escapeHtml(answer)}</p></body></html>`;
  return { subject, text, html };
}
