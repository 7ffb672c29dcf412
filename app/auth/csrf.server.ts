// Cross-site request forgery protection for every state-changing request.
//
// Why not only SameSite=Lax: Lax still sends the cookie on top-level cross-site GETs, does not
// separate sibling subdomains (same "site"), and some older browsers ignore it. Why not tokens:
// every browser we support sends `Origin` on POST (and modern ones `Sec-Fetch-Site` too), which
// the page cannot forge, so checking them is as strong as a double-submit token without state or
// hidden fields in every form. A non-GET request carrying neither header did not come from a
// current browser form, so it is refused. The rule is the one OWASP lists as primary defence
// ("verifying origin with standard headers") plus Fetch Metadata.
import type { Db } from "~/db.server";
import { requireUser, type SessionUser } from "./session.server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function forbidden(): Response {
  return new Response("Begäran stoppades eftersom den inte kom från den här webbplatsen. Gå tillbaka, ladda om sidan och försök igen.", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** The host the browser addressed: X-Forwarded-Host behind a trusted proxy (TRUST_PROXY=1), else Host. */
function expectedHost(request: Request): string {
  const forwarded = process.env.TRUST_PROXY === "1" ? request.headers.get("X-Forwarded-Host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || request.headers.get("Host") || new URL(request.url).host).toLowerCase();
}

/** Throws a 403 Response unless a state-changing request provably comes from this site's own pages. */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;

  const fetchSite = request.headers.get("Sec-Fetch-Site");
  const origin = request.headers.get("Origin");
  if (fetchSite === null && origin === null) throw forbidden();

  // "none" is a navigation the user started (address bar, bookmark), not another site.
  if (fetchSite !== null && fetchSite !== "same-origin" && fetchSite !== "none") throw forbidden();

  if (origin !== null) {
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase(); // "null" (sandboxed or privacy-restricted) fails here
    } catch {
      throw forbidden();
    }
    if (host !== expectedHost(request)) throw forbidden();
  }
}

/** For every action: refuses cross-site requests, then requires a signed-in user. */
export async function requireUserForAction(request: Request, database?: Db): Promise<SessionUser> {
  assertSameOrigin(request);
  return requireUser(request, database);
}
