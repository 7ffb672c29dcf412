// Calling route modules directly, as Remix would: shared by the route-level tests.

/** Runs a loader or action and returns its Response whether it was returned or thrown (data becomes JSON, so a bigint fails here). */
export async function responseOf(run: () => Promise<unknown> | unknown): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    return Response.json(result);
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

/** "name=value" from a Set-Cookie header value, for sending back as a Cookie header. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0];
}
