// "Försenade slutredovisningar" counts a final report as late once its last day has passed, with the
// last day moved past a weekend or holiday (1930:173), as the reminders count it: on the Monday after
// a report due on Saturday, the report is in time in the figures too, and late from Tuesday.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { generateDataset, type Dataset } from "../bench/dataset";
import { figuresBy, overdueBefore, prismaRunner, type ReportFilter, type Runner } from "../../app/reports/figures.server";
import { ensureFigureSums } from "../../app/reports/overview.server";
import { reportLastDay } from "../../app/notifications/reminders.server";
import { plainDate } from "../../app/lib/dates";
import { sqlOf, type SqlParam } from "../../app/sql.server";

const t = useTestDatabase();
let ds: Dataset;

beforeAll(async () => {
  ds = await generateDataset(t.url, { applications: 150, seed: 11 });
}, 120_000);

const all = (): ReportFilter => ({ assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null });
const sums = <T,>(fn: (run: Runner) => Promise<T>): Promise<T> =>
  sqlOf(t.db).transaction((tx) => fn({ rows: <R,>(q: { text: string; values: unknown[] }) => tx.query(q.text, q.values as SqlParam[]) as Promise<R[]>, factsMode: "sums" }));

describe("overdue final reports", () => {
  it("overdueBefore agrees with the reminders' last day for every day of two years", () => {
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 86_400_000) {
      const today = new Date(ms).toISOString().slice(0, 10);
      const cut = overdueBefore(today);
      // The day before the cut is late today; the cut itself is not.
      const addDay = (d: string, n: number) => new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);
      expect(reportLastDay(plainDate(addDay(cut, -1))) < today, `${today}: ${cut}`).toBe(true);
      expect(reportLastDay(plainDate(cut)) >= today, `${today}: ${cut}`).toBe(true);
    }
    expect(overdueBefore("2026-02-02")).toBe("2026-01-31"); // Monday: Saturday's and Sunday's are in time
    expect(overdueBefore("2026-11-24")).toBe("2026-11-24"); // Tuesday: yesterday's is late
  });

  it("a report due on a Saturday is late on Tuesday, not on Monday, in the live figures and the kept sums", async () => {
    await ensureFigureSums(t.db, ds.assignmentId);
    const [report] = await sqlOf(t.db).query<{ id: string }>(
      `select r.id::text as id from "Report" r join "Grant" g on g.id = r."grantId"
        where r.kind = 'final' and r."submittedAt" is null and g.state = 'active' limit 1`,
    );
    expect(report).toBeDefined();
    await sqlOf(t.db).query(`update "Report" set "dueOn" = '2026-01-31' where id = $1::uuid`, [report.id]); // a Saturday
    for (const mode of ["live", "sums"] as const) {
      const overdue = async (today: string) => (mode === "live" ? (await figuresBy(prismaRunner(t.db), "board", all(), today)).total.overdue : (await sums((run) => figuresBy(run, "board", all(), today))).total.overdue);
      const monday = await overdue("2026-02-02");
      const tuesday = await overdue("2026-02-03");
      expect(tuesday - monday, mode).toBe(1);
    }
  });
});
