import { describe, expect, it } from "vitest";
import { type AssignmentEvent, applyEvent, assignmentRules, availableEvents, start } from "../../workflows/index";
import { NOW, drive, people } from "./helpers";

const e = (type: AssignmentEvent["type"], who = people.officer): AssignmentEvent => ({ type, actor: who, at: NOW });
const fresh = () => start("assignment", { reportDueDate: "2026-03-31" }).snapshot;

describe("assignment machine", () => {
  it("runs draft → active → reporting → reported → closed with its effects", () => {
    let s = fresh();
    const seen: Array<[string, string[]]> = [];
    for (const [type, who] of [
      ["ACTIVATE", people.officer],
      ["START_REPORTING", people.admin],
      ["SUBMIT_REPORT", people.coordinator],
      ["CLOSE", people.officer],
    ] as const) {
      const r = applyEvent("assignment", s, e(type, who));
      if (!r.ok) throw new Error(r.logMessage);
      seen.push([r.state, r.actions]);
      s = r.next;
    }
    expect(seen).toEqual([
      ["active", ["activateAssignment"]],
      ["reporting", ["openReporting"]],
      ["reported", ["recordGovernmentReport"]],
      ["closed", ["closeAssignment"]],
    ]);
    expect(s.status).toBe("done");
    expect(s.context).toMatchObject({ activatedBy: people.officer.userId, reportSubmittedBy: people.coordinator.userId, closedAt: NOW });
  });

  describe("rules", () => {
    it("isOfficerOrAdmin: refuses a coordinator activating, allows officer and admin", () => {
      const r = applyEvent("assignment", fresh(), e("ACTIVATE", people.coordinator));
      expect(r.ok ? "accepted" : r.rule).toBe("isOfficerOrAdmin");
      expect(r.ok ? "" : r.message).toBe(assignmentRules.isOfficerOrAdmin.sv);
      expect(applyEvent("assignment", fresh(), e("ACTIVATE", people.officer)).ok).toBe(true);
      expect(applyEvent("assignment", fresh(), e("ACTIVATE", people.admin)).ok).toBe(true);
    });

    it("isCoordinator: only the coordinator submits the report", () => {
      const s = drive("assignment", fresh(), [e("ACTIVATE"), e("START_REPORTING")]);
      const r = applyEvent("assignment", s, e("SUBMIT_REPORT", people.officer));
      expect(r.ok ? "accepted" : r.rule).toBe("isCoordinator");
      expect(applyEvent("assignment", s, e("SUBMIT_REPORT", people.coordinator)).ok).toBe(true);
    });
  });

  it("offers each role its buttons", () => {
    const s = drive("assignment", fresh(), [e("ACTIVATE"), e("START_REPORTING")]);
    expect(availableEvents("assignment", s, people.coordinator)).toEqual(["SUBMIT_REPORT"]);
    expect(availableEvents("assignment", s, people.officer)).toEqual([]);
  });

  it("refuses events out of order", () => {
    const r = applyEvent("assignment", fresh(), e("CLOSE"));
    expect(r.ok ? "accepted" : r.rule).toBe("eventNotAllowedInState");
  });
});
