// The web app connects as its own role, not as the owner that runs migrations.
// That role may read and write the case tables but has no UPDATE, DELETE or
// TRUNCATE on the audit trail: append-only by privilege as well as by trigger.
import pg from "pg";

export const APP_ROLE = "utvecklingsmedel_app";

export async function ensureAppRole(ownerUrl: string, password: string, role = APP_ROLE): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const ident = pg.escapeIdentifier(role);
    const exists = await client.query("select 1 from pg_roles where rolname = $1", [role]);
    // Role names and passwords cannot be bound as parameters; both are escaped.
    if (exists.rowCount === 0) await client.query(`create role ${ident} login password ${pg.escapeLiteral(password)}`);
    else await client.query(`alter role ${ident} with login password ${pg.escapeLiteral(password)}`);
    const database = (await client.query<{ db: string }>("select current_database() as db")).rows[0].db;
    await client.query(`grant connect on database ${pg.escapeIdentifier(database)} to ${ident}`);
    await client.query(`grant usage on schema public to ${ident}`);
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${ident}`);
    await client.query(`grant usage, select on all sequences in schema public to ${ident}`);
    await client.query(`revoke update, delete, truncate on "AuditEvent" from ${ident}`);
    await client.query(`revoke insert, update, delete, truncate on "_prisma_migrations" from ${ident}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}
