// The server bounds what it reads into memory before any route runs: a body over the
// limit is refused with 413 without being read, one without a declared length with 411,
// and ordinary forms and uploads within the limit pass through untouched.
import http from "node:http";
import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BODY_BYTES } from "../../app/http-server";
import { useAppServer } from "../support/app-server";

const app = useAppServer();

function post(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string; connection: string | undefined }> {
  const url = new URL(path, app.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("request body limits", () => {
  it("refuses a declared body over the limit with 413 and a Swedish message, without reading it", async () => {
    const res = await post("/registrera", { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(MAX_REQUEST_BODY_BYTES + 1), Origin: app.baseUrl }, "");
    expect(res.status).toBe(413);
    // The unread body must not be taken for the next request on the same connection.
    expect(res.connection).toBe("close");
    expect(res.text).toMatch(/för stort \(högst 50 MB per gång\)/);
  });

  it("refuses a chunked body without a declared length with 411", async () => {
    // A streamed body: fetch sends it chunked, with no Content-Length.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("title=x"));
        controller.close();
      },
    });
    const res = await fetch(new URL("/registrera", app.baseUrl), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.baseUrl },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(411);
    expect(await res.text()).toMatch(/längduppgift/);
  });

  it("lets an ordinary form through to its route", async () => {
    const body = "email=&password=";
    const res = await post("/logga-in", { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)), Origin: app.baseUrl }, body);
    // The sign-in page answers the empty form itself (validation), not the limit.
    expect([400, 401, 422]).toContain(res.status);
    expect(res.text).not.toMatch(/för stort|längduppgift/);
  });
});
