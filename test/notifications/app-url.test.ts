// The links in e-mails point at the server the user started: `PORT=3103 npm start` without
// APP_URL must not send links to port 3000.
import { afterEach, describe, expect, it } from "vitest";
import { appUrl } from "~/notifications/mail.server";

const saved = { APP_URL: process.env.APP_URL, PORT: process.env.PORT };

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("appUrl", () => {
  it("is the local server on PORT when APP_URL is not set", () => {
    delete process.env.APP_URL;
    process.env.PORT = "3103";
    expect(appUrl()).toBe("http://localhost:3103");
  });

  it("is port 3000 when neither is set", () => {
    delete process.env.APP_URL;
    delete process.env.PORT;
    expect(appUrl()).toBe("http://localhost:3000");
  });

  it("is APP_URL when set, without a trailing slash", () => {
    process.env.APP_URL = "https://utvecklingsmedel.lansstyrelsen.se/";
    process.env.PORT = "3103";
    expect(appUrl()).toBe("https://utvecklingsmedel.lansstyrelsen.se");
  });
});
