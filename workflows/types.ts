/**
 * Shared vocabulary of the workflow statecharts.
 *
 * Everything in `workflows/` is pure: no I/O, no clock, no database. Time only
 * arrives inside events (`at`, ISO 8601 strings), money is integer öre held in
 * a JS `number` (always a safe integer, never a fraction).
 */

/** Roles a user can hold in an organisation (through a membership). */
export type Role =
  | "applicant"
  | "officer"
  | "decision_maker"
  | "finance"
  | "coordinator"
  | "admin";

export const ROLES: readonly Role[] = [
  "applicant",
  "officer",
  "decision_maker",
  "finance",
  "coordinator",
  "admin",
];

/**
 * Who sends an event. `roles` are the roles the user holds in the organisation
 * that matters for this case (the applicant organisation for applicant actions,
 * the responsible county board for case work); the server computes them from
 * memberships before it calls a machine.
 */
export type Actor = { userId: string; roles: Role[] };

/** The actor of time-driven events sent by background jobs (CLOSE_BY_TIME, LAPSE). */
export const SYSTEM_ACTOR: Actor = { userId: "system", roles: [] };

/** Integer öre (1 kr = 100 öre). Always a non-negative safe integer. */
export type Ore = number;

/** An instant or a date as an ISO 8601 string, e.g. "2025-03-31T22:00:00Z". */
export type IsoDateTime = string;

/** Every event carries who sent it and when (the machines have no clock). */
export type BaseEvent = { actor: Actor; at: IsoDateTime };

/** An event without its actor (distributes over a union of events). */
export type WithoutActor<E> = E extends unknown ? Omit<E, "actor"> : never;

// ---------------------------------------------------------------------------
// Rules (guards) carry their own name, kind and messages.
// ---------------------------------------------------------------------------

/**
 * - `actor`: decided by who sends the event (role, jäv, four-eyes). The UI can
 *   rely on these to show or hide a button.
 * - `data`: decided by the event's data (amounts, deadlines, texts). Re-checked
 *   when the real event is sent.
 * - `branch`: not a rule at all but a choice between targets (for example a
 *   rejection goes to `rejected`, an approval to `grantActive`). Never reported
 *   as the reason for a refusal.
 */
export type RuleKind = "actor" | "data" | "branch";

export type RuleArgs<TContext, TEvent> = { context: TContext; event: TEvent };

export interface Rule<TContext, TEvent> {
  kind: RuleKind;
  /** Message to the user, in Swedish. */
  sv: string;
  /** Message for the log, in English. */
  en: string;
  check: (args: RuleArgs<TContext, TEvent>) => boolean;
}

/** Turns a table of rules into the `guards` object that `setup()` wants. */
export function guardsOf<R extends Record<string, Rule<never, never>>>(
  rules: R,
): { [K in keyof R]: R[K]["check"] } {
  const guards = {} as { [K in keyof R]: R[K]["check"] };
  for (const name of Object.keys(rules) as Array<keyof R>) {
    guards[name] = rules[name]!.check;
  }
  return guards;
}

/**
 * A named action with no implementation inside the machine: an effect the
 * server carries out as a database write in the same transaction. Pure
 * `transition()` returns these (by name, with params) so the server knows what
 * to do; context updates are separate `assign` actions and never returned.
 */
export const serverEffect = (): void => {};

/** The `actions` entries for a list of effect names: one list names them, not two. */
export function serverEffectsOf<const N extends readonly string[]>(names: N): { [K in N[number]]: typeof serverEffect } {
  return Object.fromEntries(names.map((n) => [n, serverEffect])) as { [K in N[number]]: typeof serverEffect };
}

// ---------------------------------------------------------------------------
// Small helpers used by the rules.
// ---------------------------------------------------------------------------

export function hasRole(actor: Actor | undefined, ...roles: Role[]): boolean {
  return (
    actor !== undefined &&
    Array.isArray(actor.roles) &&
    roles.some((role) => actor.roles.includes(role))
  );
}

/** A non-negative safe integer: an amount in öre. */
export function isWholeOre(value: unknown): value is Ore {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Every field whose name ends in `Ore` and is present holds a non-negative
 * safe integer. Used by the rule `amountsInWholeOre` in every machine.
 */
export function allAmountsInWholeOre(event: object): boolean {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("Ore") && value !== undefined && value !== null && !isWholeOre(value)) {
      return false;
    }
  }
  return true;
}

export function isNonEmptyText(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

function instant(iso: unknown): number {
  return typeof iso === "string" ? Date.parse(iso) : Number.NaN;
}

/** `a` is strictly before `b`. False if either is missing or not a date. */
export function isBefore(a: unknown, b: unknown): boolean {
  return instant(a) < instant(b);
}

/** `a` is at or after `b`. False if either is missing or not a date. */
export function isAtOrAfter(a: unknown, b: unknown): boolean {
  return instant(a) >= instant(b);
}

/** The instant one millisecond before `iso` (used for representative events). */
export function instantBefore(iso: IsoDateTime): IsoDateTime {
  const t = instant(iso);
  return Number.isNaN(t) ? iso : new Date(t - 1).toISOString();
}

/** Fixed instants for representative events when no real time matters. */
export const PROBE_TIME: IsoDateTime = "2000-01-01T00:00:00.000Z";
export const PROBE_FAR_FUTURE: IsoDateTime = "9999-12-31T23:59:59.999Z";

/**
 * The flat, dotted state name to store in a queryable `state` column, e.g.
 * `{ grantActive: { finalReport: "submitted" } }` → "grantActive.finalReport.submitted".
 * (No machine here has parallel states, so the value is always a single path.)
 */
export function stateKey(snapshot: { value: unknown }): string {
  const parts: string[] = [];
  let value: unknown = snapshot.value;
  while (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      throw new Error(`stateKey: expected a single active path, got ${JSON.stringify(snapshot.value)}`);
    }
    parts.push(keys[0]!);
    value = (value as Record<string, unknown>)[keys[0]!];
  }
  if (typeof value === "string") parts.push(value);
  return parts.join(".");
}
