// Problems reported through the accessibility statement (tillgänglighetsredogörelse).
// Anyone may report, signed in or not; the report is stored for the administrators.
import { z } from "zod";
import type { Db } from "~/db.server";

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
  await db.accessibilityFeedback.create({ data: { ...parsed.data, createdAt: now } });
  return { ok: true };
}
