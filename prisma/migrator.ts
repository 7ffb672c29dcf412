// Applies and creates migrations with Prisma's own schema engine compiled to
// WebAssembly, because the native engine cannot be downloaded here (see
// docs/decisions/0002-offline-migrations.md). The migration folder keeps
// Prisma's standard layout, so `prisma migrate deploy` works on the same files
// wherever the native engine is available.
import { readFile, readdir, writeFile, mkdir, copyFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const here = path.dirname(fileURLToPath(import.meta.url));
export const PRISMA_DIR = here;
export const SCHEMA_PATH = path.join(here, "schema.prisma");
export const MIGRATIONS_DIR = path.join(here, "migrations");
/** Each migration folder keeps the schema it was made from, the `from` side of the next diff. */
const SCHEMA_COPY = "schema.prisma.snapshot";
const FILTERS = { externalTables: [], externalEnums: [] };

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>;
  applyMigrations(params: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
};

let wasmModule: Promise<{ SchemaEngine: { new: (...a: unknown[]) => Promise<Engine> } }> | undefined;

function loadWasm() {
  wasmModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bindings = await import(pathToFileURL(path.join(dir, "schema_engine_bg.js")).href);
    const bytes = await readFile(path.join(dir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bindings;
  })();
  return wasmModule;
}

type ScriptRunner = {
  executeScript(script: string): Promise<void>;
  underlyingDriver(): { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
};

/**
 * `@prisma/adapter-pg` runs a migration script by splitting it on ";" and
 * sending the pieces one by one: that breaks PL/pgSQL bodies and leaves a
 * failed migration half-applied. Sending the script whole instead lets
 * PostgreSQL run it as one implicit transaction: all of it or none of it.
 */
function wholeScriptAdapterFactory(connectionString: string, opened: { dispose(): Promise<void> }[]) {
  const factory = new PrismaPg({ connectionString });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    opened.push(adapter);
    const runner = adapter as unknown as ScriptRunner;
    runner.executeScript = async (script: string) => {
      try {
        await runner.underlyingDriver().query(script);
      } catch (error) {
        runner.onError(error);
      }
    };
    return adapter;
  };
  return factory;
}

async function withEngine<T>(connectionString: string, schemaText: string, fn: (e: Engine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  // engine.free() does not close the pool: without this a template database stays "in use".
  const opened: { dispose(): Promise<void> }[] = [];
  const adapter = bindMigrationAwareSqlAdapterFactory(wholeScriptAdapterFactory(connectionString, opened));
  const logs: string[] = [];
  const engine = await SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schemaText]] },
    (line: string) => logs.push(line),
    adapter,
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((a) => a.dispose()));
  }
}

export async function listMigrations(): Promise<string[]> {
  if (!existsSync(MIGRATIONS_DIR)) return [];
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(MIGRATIONS_DIR, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
}

/** Applies every pending migration and records it in `_prisma_migrations`. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const names = await listMigrations();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const schemaText = await readFile(SCHEMA_PATH, "utf8");
  return withEngine(connectionString, schemaText, async (engine) => {
    const out = await engine.applyMigrations({
      migrationsList: {
        baseDir: MIGRATIONS_DIR,
        lockfile: { path: "migration_lock.toml", content: null },
        shadowDbInitScript: "",
        migrationDirectories,
      },
      filters: FILTERS,
    });
    return out.appliedMigrationNames;
  });
}

/** SQL that takes a database from `fromSchema` (or nothing) to `toSchema`; no database needed. */
export async function diffSchemas(connectionString: string, fromSchema: string | null, toSchema: string): Promise<string> {
  const from = fromSchema === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: fromSchema }] };
  const to = { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: toSchema }] };
  // A diff between two datamodels reads no tables, but the engine connects when it starts.
  return withEngine(connectionString, toSchema, async (engine) => {
    const result = await engine.diff({ from, to, script: true, exitCode: null, filters: FILTERS });
    return result.stdout;
  });
}

/** The schema the newest migration was made from, or null when there is none. */
export async function lastMigratedSchema(): Promise<string | null> {
  const names = await listMigrations();
  const last = names.at(-1);
  if (!last) return null;
  const copy = path.join(MIGRATIONS_DIR, last, SCHEMA_COPY);
  return existsSync(copy) ? readFile(copy, "utf8") : null;
}

const EMPTY_DIFF = /^\s*(-- This is an empty migration\.)?\s*$/;

export function isEmptyDiff(sql: string): boolean {
  return EMPTY_DIFF.test(sql);
}

/** Writes prisma/migrations/<timestamp>_<name>/ with the SQL for the change to schema.prisma. */
export async function createMigration(connectionString: string, name: string, now = new Date()): Promise<string | null> {
  const current = await readFile(SCHEMA_PATH, "utf8");
  const sql = await diffSchemas(connectionString, await lastMigratedSchema(), current);
  if (isEmptyDiff(sql)) return null;
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dirName = `${stamp}_${name.replace(/[^a-z0-9_]+/gi, "_").toLowerCase()}`;
  const dir = path.join(MIGRATIONS_DIR, dirName);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql);
  await copyFile(SCHEMA_PATH, path.join(dir, SCHEMA_COPY));
  const lock = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  if (!existsSync(lock)) await writeFile(lock, 'provider = "postgresql"\n');
  return dirName;
}
