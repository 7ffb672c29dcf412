// Server rendering. Pages are rendered to one string and sent as one body
// (decision 0011): no page streams (no Suspense or deferred data), and React's
// streaming renderer handed the socket about 30 small writes per page, which
// cost more CPU than rendering the page itself.
import type { EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { logger } from "./logger.server";

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  // A render error throws here; Remix then renders the error boundary through this same function.
  const html = "<!DOCTYPE html>" + renderToString(<RemixServer context={remixContext} url={request.url} />);
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.set("Content-Length", String(Buffer.byteLength(html)));
  return new Response(html, { status: responseStatusCode, headers: responseHeaders });
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  // A client that went away is not a server error.
  if (request.signal.aborted) return;
  logger.error({ err: error, method: request.method, url: request.url }, "unhandled error in a loader, action or render");
};
