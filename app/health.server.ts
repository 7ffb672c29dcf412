// Readiness: the database answers and every migration in prisma/migrations has been applied.
import { readdirSync, existsSync } from "node:fs";
import path from "node:path";
import type { Db } from "./db.server";

export type Readiness = { ready: boolean; database: "ok" | "unreachable"; pendingMigrations: string[]; error?: string };

function migrationNames(): string[] {
  const dir = path.join(process.cwd(), "prisma/migrations");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export async function checkReadiness(db: Db): Promise<Readiness> {
  try {
    const rows = await db.$queryRaw<{ migration_name: string }[]>`select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null`;
    const applied = new Set(rows.map((r) => r.migration_name));
    const pendingMigrations = migrationNames().filter((m) => !applied.has(m));
    return { ready: pendingMigrations.length === 0, database: "ok", pendingMigrations };
  } catch (error) {
    return { ready: false, database: "unreachable", pendingMigrations: [], error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  }
}
