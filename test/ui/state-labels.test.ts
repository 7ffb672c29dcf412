// Every state key and every event type of every statechart has Swedish words.
import { describe, expect, it } from "vitest";
import { WORKFLOW_KINDS, allStateKeys, workflows } from "../../workflows";
import { EVENT_DONE_LABELS, EVENT_LABELS, STATE_LABELS, eventDoneLabel, eventLabel, stateLabel } from "../../app/lib/state-labels";
import { EVENT_FIELDS } from "../../app/cases/event-fields";

describe("state labels", () => {
  for (const kind of WORKFLOW_KINDS) {
    it(`names every state of the ${kind} machine, with a one-sentence "what happens now"`, () => {
      for (const key of allStateKeys(kind)) {
        const label = STATE_LABELS[kind][key];
        expect(label, `${kind} state ${key}`).toBeDefined();
        expect(label.label.trim().length, `${kind} ${key} label`).toBeGreaterThan(0);
        expect(label.next, `${kind} ${key} next`).toMatch(/^[A-ZÅÄÖ].*\.$/);
        expect(stateLabel(kind, key)).toBe(label.label);
      }
      // and nothing for states that no longer exist
      expect(Object.keys(STATE_LABELS[kind]).sort()).toEqual([...allStateKeys(kind)].sort());
    });

    it(`labels every event of the ${kind} machine, as a button and in the timeline`, () => {
      for (const type of workflows[kind].eventTypes) {
        expect(EVENT_LABELS[kind][type], `${kind} event ${type}`).toBeTruthy();
        expect(EVENT_DONE_LABELS[kind][type], `${kind} event ${type} (done)`).toBeTruthy();
        expect(eventLabel(kind, type)).not.toBe(type);
      }
      expect(Object.keys(EVENT_LABELS[kind]).sort()).toEqual([...workflows[kind].eventTypes].sort());
    });
  }

  it("has a form for every event a person can send on an application or a disbursement", () => {
    for (const kind of ["application", "disbursement"] as const) {
      const personEvents = workflows[kind].eventTypes.filter((t) => !(workflows[kind].systemEventTypes as readonly string[]).includes(t));
      expect(Object.keys(EVENT_FIELDS[kind]).sort()).toEqual([...personEvents].sort());
    }
  });

  it("names the events that are not the statecharts' own but reach the timeline (records written beside them)", () => {
    for (const type of ["CREATED", "ALLOCATE", "PLANNED", "IMPORTED"]) {
      for (const kind of ["application", "disbursement"]) expect(eventDoneLabel(kind, type), `${kind} ${type}`).not.toBe(type);
    }
    expect(eventDoneLabel("application", "IMPORTED")).toBe("Importerat från tidigare år");
  });

  it("uses the same button texts the design names", () => {
    expect(eventLabel("application", "START_ASSESSMENT")).toBe("Påbörja handläggning");
    expect(eventLabel("application", "REQUEST_COMPLETION")).toBe("Begär komplettering");
    expect(eventLabel("application", "PRESENT")).toBe("Föredra ärendet");
    expect(eventLabel("application", "DECIDE")).toBe("Fatta beslut");
    expect(eventLabel("application", "WITHDRAW")).toBe("Återta ansökan");
    expect(eventLabel("disbursement", "ATTEST")).toBe("Attestera");
    expect(eventLabel("disbursement", "MARK_PAID")).toBe("Markera som utbetald");
  });
});
