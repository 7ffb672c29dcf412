// Static files: the client build under /build (cached for a year, content-hashed names) and any
// other file at the top of public/ (cached for an hour). A page's path is never looked up on the
// disk first: that was a stat call on every request.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { startHttpServer } from "../../app/http-server";
import { projectRoot } from "../support/app-server";

let root: string;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let baseUrl: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "static-files-"));
  await mkdir(path.join(root, "public/build"), { recursive: true });
  await writeFile(path.join(root, "public/robots.txt"), "User-agent: *\nDisallow: /\n");
  await writeFile(path.join(root, "public/build/entry-ABC123.js"), "export {};\n");
  // The production build is made once per run, by test/support/global-setup.ts.
  const build = (await import(/* @vite-ignore */ pathToFileURL(path.join(projectRoot, "build/index.js")).href)) as ServerBuild;
  server = await startHttpServer({ build, port: 0, root, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  server.server.closeAllConnections();
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe("static files", () => {
  it("serves the client build as immutable and other public files for an hour", async () => {
    const asset = await fetch(`${baseUrl}/build/entry-ABC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await asset.text()).toBe("export {};\n");

    const robots = await fetch(`${baseUrl}/robots.txt`);
    expect(robots.status).toBe(200);
    expect(robots.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await robots.text()).toContain("Disallow: /");
  });

  it("sends a page's path straight to the app, without looking for a file of that name", async () => {
    const stat = vi.spyOn(fs, "stat");
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok" });
      expect(stat.mock.calls.map(([p]) => String(p)).filter((p) => p.startsWith(path.join(root, "public")))).toEqual([]);
    } finally {
      stat.mockRestore();
    }
  });
});
