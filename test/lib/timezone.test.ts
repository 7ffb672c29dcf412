// The helpers must give Stockholm answers whatever TZ the server runs with.
// Changing process.env.TZ inside a running process is not reliable, so each
// zone gets its own Node process (with tsx to load TypeScript), started with
// TZ set, running test/lib/fixtures/tz-probe.ts.
import { describe, it, expect } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const probe = path.join(root, "test/lib/fixtures/tz-probe.ts");

async function probeIn(tz: string) {
  const { stdout } = await run(process.execPath, ["--import", "tsx", probe], {
    cwd: root,
    env: { ...process.env, TZ: tz },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { processZone: string; processOffsetMinutes: number } & Record<string, unknown>;
}

const EXPECTED = {
  dates: [
    ["2020-03-31", "2020-03-31", "2020-03-31 23:59", "31 mars 2020"],
    ["2020-04-01", "2020-04-01", "2020-04-01 00:00", "1 april 2020"],
    ["2020-01-01", "2020-01-01", "2020-01-01 00:30", "1 januari 2020"],
    ["2020-03-01", "2020-03-01", "2020-03-01 05:30", "1 mars 2020"],
    ["2020-10-25", "2020-10-25", "2020-10-25 02:30", "25 oktober 2020"],
  ],
  toUtc: ["2020-03-31T21:59:00.000Z", "2020-03-29T01:30:00.000Z", "2020-10-25T00:30:00.000Z"],
  dbDate: ["2024-02-29T00:00:00.000Z", "2024-02-29"],
  periods: ["2024-02-29", "2026-06-22"],
  money: ["1\u00A0500\u00A0000,50\u00A0kr", "33,3"],
};

describe("results do not depend on the process time zone", () => {
  it.each([
    ["UTC", 0],
    ["America/New_York", 300],
    ["Asia/Tokyo", -540],
    ["Pacific/Kiritimati", -840],
    ["Europe/Stockholm", -60],
  ])("TZ=%s", async (tz, offset) => {
    const { processZone, processOffsetMinutes, ...results } = await probeIn(tz);
    // The child really ran in that zone…
    expect(processZone).toEqual(tz === "UTC" ? expect.stringMatching(/^(Etc\/)?UTC$/) : tz);
    expect(processOffsetMinutes).toBe(offset);
    // …and still answered in Stockholm time.
    expect(results).toEqual(EXPECTED);
  });
});
