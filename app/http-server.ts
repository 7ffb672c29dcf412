// The HTTP server: static assets plus the Remix request handler. Keeps no state
// of its own (sessions live in the database), so several can run behind a load balancer.
import express from "express";
import path from "node:path";
import { existsSync, readdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { logger } from "./logger.server";

/** The largest request body the server reads: a few 10 MB attachments and the form around them. */
export const MAX_REQUEST_BODY_BYTES = 50 * 1024 * 1024;

export async function startHttpServer(opts: { build: ServerBuild; port: number; root: string; host?: string }): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "1");
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.setHeader("X-Request-Id", requestId);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (req.path.startsWith("/build/")) return;
      logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, "request");
    });
    next();
  });
  // Every body is read into memory by the form parsers, so its size is bounded before any
  // route runs: a declared length over the limit is refused, and so is a body without one
  // (browsers always send Content-Length with a form; Node never reads past it).
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const declared = req.headers["content-length"];
    // The unread body stays on the socket: close it rather than parse that as the next request.
    if (declared === undefined && req.headers["transfer-encoding"] !== undefined) {
      res.setHeader("Connection", "close");
      res.status(411).type("text/plain; charset=utf-8").send("Begäran saknar längduppgift (Content-Length).");
      return;
    }
    if (declared !== undefined && Number(declared) > MAX_REQUEST_BODY_BYTES) {
      res.setHeader("Connection", "close");
      res.status(413).type("text/plain; charset=utf-8").send(`Det du skickade är för stort (högst ${MAX_REQUEST_BODY_BYTES / 1024 / 1024} MB per gång). Skicka färre eller mindre filer åt gången.`);
      return;
    }
    next();
  });
  app.use("/build", express.static(path.join(opts.root, "public/build"), { immutable: true, maxAge: "1y" }));
  // Other files at the top of public/, as they were at start. Only their paths go to the disk:
  // looking every page's path up there first cost a stat call per request.
  const publicDir = path.join(opts.root, "public");
  const publicEntries = new Set(existsSync(publicDir) ? readdirSync(publicDir).filter((entry) => entry !== "build") : []);
  if (publicEntries.size) {
    const publicFiles = express.static(publicDir, { maxAge: "1h" });
    app.use((req, res, next) => (publicEntries.has(req.path.split("/")[1] ?? "") ? publicFiles(req, res, next) : next()));
  }
  // The client's address reaches loaders through the load context (sign-in throttling uses it).
  app.all("*", createRequestHandler({ build: opts.build, mode: process.env.NODE_ENV ?? "production", getLoadContext: (req) => ({ clientIp: req.ip ?? null }) }));

  return new Promise((resolve) => {
    const server = app.listen(opts.port, opts.host ?? "0.0.0.0", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : opts.port;
      resolve({
        server,
        port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
