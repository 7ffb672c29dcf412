// /ekonomi has one "Markera som utbetald" form per instalment, all with the same
// field names. Each row's fields get their own ids (rowIdPrefix), so labels
// point at their own input and the error summary links to the row that was sent.
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SelectField, TextField, rowIdPrefix, summaryOf } from "../../app/finance/FormField";

const rowForm = (rowId: string, failure?: { values: Record<string, string>; fieldErrors: Record<string, string> }) =>
  createElement(
    Fragment,
    null,
    createElement(TextField, { failure, idPrefix: rowIdPrefix(rowId), name: "paidOn", label: "Utbetalningsdag", type: "date", required: true }),
    createElement(SelectField, { failure, idPrefix: rowIdPrefix(rowId), name: "accountKind", label: "Betalas till", required: true, options: [{ value: "bankgiro", label: "Bankgiro" }] }),
    createElement(TextField, { failure, idPrefix: rowIdPrefix(rowId), name: "accountNumber", label: "Nummer", required: true, hint: "Bankgiro, plusgiro eller kontonummer." }),
  );

describe("field ids on a page with one form per row", () => {
  it("are unique across rows, and the error summary links to the field in the row that was sent", () => {
    const failure = { values: { accountNumber: "5050-1056" }, fieldErrors: { accountNumber: "Bankgironumret är inte giltigt." } };
    const html = renderToStaticMarkup(createElement(Fragment, null, rowForm("a1"), rowForm("b2", failure), rowForm("c3")));
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(9);
    expect(new Set(ids).size).toBe(ids.length);
    // Every label points at an input that exists.
    for (const [, target] of html.matchAll(/<label for="([^"]+)"/g)) expect(ids).toContain(target);

    const [link] = summaryOf(failure, rowIdPrefix("b2"));
    const target = link.href.slice(1);
    // The link's target is row b2's input: the one with the typed value and the error.
    const input = html.match(new RegExp(`<input[^>]* id="${target}"[^>]*>`))?.[0] ?? "";
    expect(input).toContain('value="5050-1056"');
    expect(input).toContain('aria-invalid="true"');
  });
});

describe("why finance has no button on an open instalment", () => {
  it("says jäv, the planner's four eyes, or the trigger still to be met, and nothing otherwise", async () => {
    const { whyNoAction } = await import("../../app/finance/payments.server");
    const none = { jav: false, plannedByMe: false };
    expect(whyNoAction({ state: "requested", trigger: "at_start" }, { jav: true, plannedByMe: false })).toBe("Du har anmält jäv i ärendet.");
    expect(whyNoAction({ state: "requested", trigger: "at_start" }, { jav: false, plannedByMe: true })).toBe("Du planerade utbetalningen. En annan person attesterar.");
    expect(whyNoAction({ state: "requested", trigger: "after_final_report" }, none)).toBe("Attesteras när slutredovisningen är godkänd.");
    expect(whyNoAction({ state: "planned", trigger: "after_interim_report" }, none)).toBe("Attesteras när delredovisningen är godkänd.");
    expect(whyNoAction({ state: "planned", trigger: "at_start" }, none)).toBeNull();
  });
});
