// The sign-in page's markup, rendered on the server as a browser without JavaScript gets it.
// Remix's hooks are replaced by fixed values; the form's behaviour is tested in routes.test.ts.
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

const state = vi.hoisted(() => ({ actionData: undefined as unknown, loaderData: { redirectTo: "/" } as unknown }));

vi.mock("@remix-run/react", () => ({
  Form: ({ children, ...props }: { children: ReactNode }) => createElement("form", props, children),
  Link: ({ children, to, ...props }: { children: ReactNode; to: string }) => createElement("a", { ...props, href: to }, children),
  useActionData: () => state.actionData,
  useLoaderData: () => state.loaderData,
  useNavigation: () => ({ state: "idle" }),
}));

const { default: SignIn } = await import("../../app/routes/logga-in");

function render(actionData?: unknown, redirectTo = "/") {
  state.actionData = actionData;
  state.loaderData = { redirectTo };
  return renderToStaticMarkup(createElement(SignIn));
}

describe("sign-in page", () => {
  it("has labelled fields, a plain POST form and no error markup when first shown", () => {
    const html = render(undefined, "/ansokningar");
    expect(html).toContain("<h1>Logga in</h1>");
    expect(html).toMatch(/<form method="post"/);
    expect(html).toContain('<label for="email">E-postadress</label>');
    expect(html).toContain('<label for="password">Lösenord</label>');
    expect(html).toMatch(/<input id="email" name="email"[^>]*type="email"[^>]*autocomplete="username"/i);
    expect(html).toMatch(/<input id="password" name="password"[^>]*type="password"[^>]*autocomplete="current-password"/i);
    expect(html).toContain('<input type="hidden" name="redirectTo" value="/ansokningar"/>');
    expect(html).toMatch(/<button type="submit"[^>]*>Logga in<\/button>/);
    expect(html).not.toContain("error-summary");
    expect(html).not.toContain("aria-invalid");
  });

  it("shows field errors next to the fields and in a summary linking to them, keeping the e-mail", () => {
    const html = render({ email: "anna.lansstyrelsen.se", fieldErrors: { email: "Ange en e-postadress i rätt format.", password: "Ange ditt lösenord." } });
    expect(html).toMatch(/class="error-summary" role="alert"/);
    expect(html).toContain('<a href="#email">Ange en e-postadress i rätt format.</a>');
    expect(html).toContain('<a href="#password">Ange ditt lösenord.</a>');
    expect(html).toContain('<p class="field-error" id="email-error">Ange en e-postadress i rätt format.</p>');
    expect(html).toMatch(/<input id="email"[^>]*aria-invalid="true" aria-describedby="email-error"[^>]*value="anna.lansstyrelsen.se"/);
    expect(html).toMatch(/<input id="password"[^>]*aria-invalid="true" aria-describedby="password-error"/);
    expect(html).not.toMatch(/<input id="password"[^>]*value=/);
  });

  it("shows a failed sign-in in the summary without marking a field", () => {
    const html = render({ email: "anna@lansstyrelsen.se", fieldErrors: {}, formError: "Fel e-postadress eller lösenord." });
    expect(html).toContain("<p>Fel e-postadress eller lösenord.</p>");
    expect(html).toContain("Inloggningen misslyckades");
    expect(html).not.toContain("aria-invalid");
    expect(html).toMatch(/<input id="email"[^>]*value="anna@lansstyrelsen.se"/);
  });
});
