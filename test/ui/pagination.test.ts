// The count under a list reads as Swedish: "1 ärende", "2 ärenden".
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Pagination } from "../../app/components/Pagination";

const count = (total: number, one: string) => renderToStaticMarkup(createElement(Pagination, { page: 1, pages: 1, total, hrefFor: () => "", noun: "ärenden", one }));

describe("Pagination's count", () => {
  it("uses the singular for exactly one, the plural otherwise", () => {
    expect(count(1, "ärende")).toBe('<p class="muted">1 ärende</p>');
    expect(count(0, "ärende")).toBe('<p class="muted">0 ärenden</p>');
    expect(count(2, "ärende")).toBe('<p class="muted">2 ärenden</p>');
  });
});
