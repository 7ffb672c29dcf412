// The job queue's error log line: the error's name, message, code and stack, not the node-postgres
// client that pg hangs on its errors (connection parameters, type parsers, query queues), which
// made a Ctrl-C of `npm start` print kilobytes of JSON per connection.
import { describe, expect, it } from "vitest";
import { briefError } from "~/notifications/queue.server";

describe("briefError", () => {
  it("keeps name, message, code and stack, and nothing hung on the error", () => {
    const error = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01", severity: "FATAL", client: { connectionParameters: { user: "postgres", host: "/tmp" }, _types: {} } });
    const brief = briefError(error);
    expect(Object.keys(brief).sort()).toEqual(["code", "message", "stack", "type"]);
    expect(brief).toMatchObject({ type: "Error", message: "terminating connection due to administrator command", code: "57P01" });
    expect(JSON.stringify(brief)).not.toContain("connectionParameters");
  });

  it("describes what is not an Error", () => {
    expect(briefError(undefined)).toEqual({ type: "undefined", message: "undefined" });
    expect(briefError("lost")).toEqual({ type: "string", message: "lost" });
  });
});
