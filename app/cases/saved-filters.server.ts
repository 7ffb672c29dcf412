// Saved filters: a named query string of a case list ("arenden" or "beslut"),
// kept per user. Only the list's own, known parameters are stored (parsed and
// re-serialised by the list), so a saved filter can never carry anything else.
// Another user's filter id is not found (404), like any out-of-scope record.
import { z } from "zod";
import type { Db } from "~/db.server";
import { sqlOf } from "~/sql.server";
import { isUuid, notFound, type Principal } from "~/access/permissions.server";

export type SavedFilterList = "arenden" | "beslut";

export type SavedFilterView = { id: string; name: string; href: string };

const PATHS: Record<SavedFilterList, string> = { arenden: "/arenden", beslut: "/beslut" };

export async function listSavedFilters(db: Db, user: Principal, list: SavedFilterList): Promise<SavedFilterView[]> {
  // Shown beside the work queue on every visit: plain SQL (decision 0008).
  const rows = await sqlOf(db).query<{ id: string; name: string; query: string }>(
    `select id, name, query from "SavedFilter" where "userId" = $1::uuid and list = $2 order by name asc, id asc`,
    [user.id, list],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, href: r.query ? `${PATHS[list]}?${r.query}` : PATHS[list] }));
}

const nameSchema = z.string().trim().min(1, "Ge filtret ett namn.").max(80, "Namnet får vara högst 80 tecken.");

export type SaveFilterResult = { ok: true } | { ok: false; fieldErrors: { filterName: string }; values: { filterName: string } };

/**
 * Saves the list's current filters under a name; the same name again replaces that filter.
 * `query` must be the list's own canonical query string (without page).
 */
export async function saveFilter(db: Db, user: Principal, list: SavedFilterList, name: unknown, query: string): Promise<SaveFilterResult> {
  const parsed = nameSchema.safeParse(typeof name === "string" ? name : "");
  if (!parsed.success) return { ok: false, fieldErrors: { filterName: parsed.error.issues[0].message }, values: { filterName: typeof name === "string" ? name : "" } };
  if (!query) return { ok: false, fieldErrors: { filterName: "Välj minst ett filter eller en sökning att spara." }, values: { filterName: parsed.data } };
  await db.savedFilter.upsert({
    where: { userId_list_name: { userId: user.id, list, name: parsed.data } },
    create: { userId: user.id, list, name: parsed.data, query },
    update: { query },
  });
  return { ok: true };
}

export async function deleteFilter(db: Db, user: Principal, list: SavedFilterList, id: unknown): Promise<void> {
  if (typeof id !== "string" || !isUuid(id)) throw notFound();
  const { count } = await db.savedFilter.deleteMany({ where: { id, userId: user.id, list } });
  if (count === 0) throw notFound();
}
