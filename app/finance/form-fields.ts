// Form parsing shared by the administration and finance screens (assignments,
// allocations, calls, payment plans, payments): zod field parsers with Swedish
// messages, and the shape a refused form comes back in (what the user typed,
// one message per field, one for the whole form). Amounts go through
// parseKronor, dates through parseDateInput; nothing here knows a rule of the
// domain, only how a person writes an amount, a date or a time.
import { z } from "zod";
import { parseKronor } from "~/lib/money";
import { parseDateInput, type PlainDate } from "~/lib/dates";

export const MAX_TEXT = 10_000;

/** What a refused form sends back to the page. */
export type FormFailure = { values: Record<string, string>; fieldErrors: Record<string, string>; formError?: string };

export type FormResult<T> = { ok: true; data: T } | { ok: false; failure: FormFailure };

/** The form's text fields (first value of each name), cut to a sane length. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string" && !(key in values)) values[key] = value.slice(0, MAX_TEXT + 1);
  return values;
}

/** Every value of a repeated field (checkboxes). */
export function formList(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string");
}

/** Runs a schema over the values; issues become one message per field (the first). */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, values: Record<string, string>): FormResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: Record<string, string> = {};
  let formError: string | undefined;
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join(".");
    if (field === "") formError ??= issue.message;
    else fieldErrors[field] ??= issue.message;
  }
  return { ok: false, failure: { values, fieldErrors, ...(formError ? { formError } : {}) } };
}

export function failure(values: Record<string, string>, fieldErrors: Record<string, string>, formError?: string): FormFailure {
  return { values, fieldErrors, ...(formError ? { formError } : {}) };
}

/** "Texten får vara högst 10 000 tecken.": the limit grouped the Swedish way. */
export function tooLong(max: number): string {
  return `Texten får vara högst ${max.toLocaleString("sv-SE")} tecken.`;
}

export function text(required: string | null, max = MAX_TEXT) {
  const base = z.string().trim().max(max, tooLong(max));
  return required === null ? base.optional().default("") : z.string({ error: () => required }).trim().min(1, required).max(max, tooLong(max));
}

/** Kronor as typed ("1 500 000", "1 500 000,50") → öre. Empty gives null (or the `required` message). */
export function kronor(required: string | null, opts: { positive?: string } = {}) {
  return z
    .string()
    .optional()
    .default("")
    .transform((value, ctx): bigint | null => {
      if (value.trim() === "") {
        if (required !== null) {
          ctx.addIssue({ code: "custom", message: required });
          return z.NEVER;
        }
        return null;
      }
      const r = parseKronor(value);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: r.message });
        return z.NEVER;
      }
      if (r.ore > BigInt(Number.MAX_SAFE_INTEGER)) {
        ctx.addIssue({ code: "custom", message: "Beloppet är för stort." });
        return z.NEVER;
      }
      if (opts.positive && r.ore <= 0n) {
        ctx.addIssue({ code: "custom", message: opts.positive });
        return z.NEVER;
      }
      return r.ore;
    });
}

/** A calendar date as YYYY-MM-DD (what <input type="date"> sends). Empty gives null (or the `required` message). */
export function date(required: string | null) {
  return z
    .string()
    .optional()
    .default("")
    .transform((value, ctx): PlainDate | null => {
      if (value.trim() === "") {
        if (required !== null) {
          ctx.addIssue({ code: "custom", message: required });
          return z.NEVER;
        }
        return null;
      }
      const r = parseDateInput(value);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: r.message });
        return z.NEVER;
      }
      return r.date;
    });
}

/** A time of day as HH:MM, 24-hour (what <input type="time"> sends). */
export function timeOfDay(required: string) {
  return z
    .string()
    .optional()
    .default("")
    .transform((value, ctx): string => {
      const v = value.trim();
      if (v === "") {
        ctx.addIssue({ code: "custom", message: required });
        return z.NEVER;
      }
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v)) {
        ctx.addIssue({ code: "custom", message: "Ange klockslaget som TT:MM, till exempel 23:59." });
        return z.NEVER;
      }
      return v;
    });
}

/** A whole number in a range, typed. Empty gives null (or the `required` message). */
export function wholeNumber(required: string | null, min: number, max: number, outOfRange: string) {
  return z
    .string()
    .optional()
    .default("")
    .transform((value, ctx): number | null => {
      const v = value.trim();
      if (v === "") {
        if (required !== null) {
          ctx.addIssue({ code: "custom", message: required });
          return z.NEVER;
        }
        return null;
      }
      if (!/^\d{1,9}$/.test(v)) {
        ctx.addIssue({ code: "custom", message: "Ange ett heltal, till exempel 12." });
        return z.NEVER;
      }
      const n = Number(v);
      if (n < min || n > max) {
        ctx.addIssue({ code: "custom", message: outOfRange });
        return z.NEVER;
      }
      return n;
    });
}

/** A checkbox: present ("on") or absent. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");
