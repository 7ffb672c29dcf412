// An export whose database connection is lost (a restart, a terminated backend) fails with an
// error and leaves the process running: the connection's 'error' event has a listener.
import { describe, expect, it } from "vitest";
import pg from "pg";
import { openExportSources } from "../../app/reports/source.server";
import { useTestDatabase } from "../support/db";

const t = useTestDatabase();

describe("export connections", () => {
  it("a connection lost between statements fails the export's next statement, not the process", async () => {
    const filter = { assignmentId: "00000000-0000-0000-0000-000000000000", boardIds: null, year: null, callId: null };
    const [source] = await openExportSources(t.url, { filter, today: "2026-11-23" }, ["grants"]);
    expect(await source.rows<{ n: number }>({ text: "select 1 as n", values: [] })).toEqual([{ n: 1 }]);

    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ok: boolean }>("select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()", ["redovisning-export"]);
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // The idle connection learns of its end from the server: give the 'error' event its turn.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(source.rows({ text: "select 1 as n", values: [] })).rejects.toThrow();
    await source.close();
  });
});
