// Batch decisions: the same outcome, conditions, reasons and rejection
// category applied to a selection of presented cases of one call, or to every
// case matching the list's filter (not only the visible page). Each case still
// goes through the workflow engine (four eyes, jäv, amount, call budget), all
// in ONE transaction: the first refusal rolls everything back and names the
// case and the rule. The granted amount per case: the whole requested amount
// for approval, the presenting officer's proposed amount for partial approval,
// nothing for rejection.
import { z } from "zod";
import type { Db } from "~/db.server";
import type { RejectionCategory } from "~/generated/prisma/enums";
import type { Principal } from "~/access/permissions.server";
import { applyInTransaction } from "~/workflow/engine.server";
import { WorkflowRefused } from "~/workflow/errors";
import { text } from "~/finance/form-fields";
import { REJECTION_CATEGORIES } from "./labels";
import { presentedWhere } from "./queue.server";
import { parseDecisionQueueQuery, type DecisionQueueFilters } from "./queue-query";

/** More than this in one go is refused: split the batch by filter. */
export const MAX_BATCH = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const schema = z
  .object({
    scope: z.enum(["selected", "filter"], { error: () => "Välj om beslutet gäller markerade ärenden eller alla som matchar filtret." }),
    outcome: z.enum(["approved", "partly_approved", "rejected"], { error: () => "Välj bifall, delvis bifall eller avslag." }),
    reasons: text("Skriv en motivering till besluten."),
    conditions: text(null),
    rejectionCategory: z.union([z.literal(""), z.enum(REJECTION_CATEGORIES)], { error: () => "Välj ett skäl i listan." }).optional().default(""),
  })
  .superRefine((v, ctx) => {
    if (v.outcome !== "approved" && v.rejectionCategory === "") {
      ctx.addIssue({ code: "custom", path: ["rejectionCategory"], message: "Välj skäl till avslaget eller det delvisa bifallet." });
    }
  });

export type BatchResult =
  | { ok: true; decided: number; callId: string }
  | { ok: false; status: number; fieldErrors: Record<string, string>; formError?: string; values: Record<string, string>; selected: string[] };

/** Reads the batch form (checkboxes `ids`, the list's filter in `query`) and decides. */
export async function handleBatchDecision(db: Db, user: Principal, form: FormData, now = new Date()): Promise<BatchResult> {
  const values: Record<string, string> = {};
  for (const key of ["scope", "outcome", "reasons", "conditions", "rejectionCategory"]) values[key] = String(form.get(key) ?? "").slice(0, 10_001);
  const selected = form.getAll("ids").map(String).filter((id) => UUID.test(id)).slice(0, MAX_BATCH + 1);
  const filters = parseDecisionQueueQuery(new URLSearchParams(String(form.get("query") ?? "")));
  const fail = (status: number, fieldErrors: Record<string, string>, formError?: string): BatchResult => ({ ok: false, status, fieldErrors, formError, values, selected });

  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    return fail(400, fieldErrors);
  }
  const input = parsed.data;
  if (input.scope === "selected" && selected.length === 0) return fail(400, {}, "Markera de ärenden som beslutet gäller.");
  if (input.scope === "filter" && !filters.callId) return fail(400, {}, "Välj en utlysning i filtret: ett beslut för alla som matchar gäller ärenden i samma utlysning.");

  const where = await presentedWhere(db, user, { callId: filters.callId, q: filters.q });
  const cases = await db.application.findMany({
    where: input.scope === "selected" ? { AND: [where, { id: { in: selected } }] } : where,
    // A fixed order: the rows are locked one after another.
    orderBy: { id: "asc" },
    take: MAX_BATCH + 1,
    select: { id: true, callId: true, title: true, registrationNumber: true },
  });
  if (input.scope === "selected" && cases.length !== new Set(selected).size) {
    return fail(404, {}, "Något av de markerade ärendena finns inte längre bland de föredragna ärendena. Ladda om sidan.");
  }
  if (cases.length === 0) return fail(400, {}, "Inga ärenden matchar filtret.");
  if (cases.length > MAX_BATCH) return fail(400, {}, `Högst ${MAX_BATCH} ärenden kan beslutas på en gång. Begränsa urvalet.`);
  const callIds = new Set(cases.map((c) => c.callId));
  if (callIds.size > 1) return fail(400, {}, "Ett gemensamt beslut gäller ärenden i samma utlysning. Markera bara ärenden i en utlysning.");

  try {
    await decideAll(db, user, cases, input, now);
  } catch (error) {
    if (error instanceof BatchRefused) return fail(error.status, {}, error.message);
    throw error;
  }
  return { ok: true, decided: cases.length, callId: cases[0].callId };
}

class BatchRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

type BatchInput = { outcome: "approved" | "partly_approved" | "rejected"; reasons: string; conditions: string; rejectionCategory: RejectionCategory | "" };

async function decideAll(db: Db, user: Principal, cases: { id: string; title: string; registrationNumber: string | null }[], input: BatchInput, now: Date) {
  const details = {
    ...(input.conditions ? { conditions: input.conditions } : {}),
    ...(input.outcome !== "approved" && input.rejectionCategory ? { rejectionCategory: input.rejectionCategory } : {}),
  };
  await db.$transaction(
    async (tx) => {
      for (const c of cases) {
        const label = `${c.registrationNumber ?? ""} ${c.title}`.trim();
        // One query at a time inside the transaction (prisma/prisma#30374).
        const application = await tx.application.findUniqueOrThrow({ where: { id: c.id }, select: { requestedOre: true } });
        const proposal = await tx.assessment.findFirst({ where: { applicationId: c.id }, orderBy: { createdAt: "desc" }, select: { recommendedOre: true } });
        let grantedOre = 0n;
        if (input.outcome === "approved") grantedOre = application.requestedOre;
        if (input.outcome === "partly_approved") {
          if (proposal?.recommendedOre == null) throw new BatchRefused(`${label}: Föredraganden har inte föreslagit något belopp. Besluta ärendet för sig.`, 422);
          grantedOre = proposal.recommendedOre;
        }
        try {
          await applyInTransaction(tx, user, "application", c.id, { type: "DECIDE", outcome: input.outcome, grantedOre: Number(grantedOre), reasons: input.reasons }, { details, now });
        } catch (error) {
          if (error instanceof WorkflowRefused) throw new BatchRefused(`${label}: ${error.userMessage} Inget av ärendena har beslutats.`, error.status);
          throw error;
        }
      }
    },
    { timeout: 120_000, maxWait: 20_000 },
  );
}

export type { DecisionQueueFilters };
