// Calling the administration and finance routes as Remix would, with a real
// session cookie: the route's loader or action, its Response (returned or thrown).
import { browserRequest, responseOf } from "../access/world";

type RouteModule = { loader?: (args: never) => unknown; action?: (args: never) => unknown };

export async function callRoute(mod: RouteModule, which: "loader" | "action", path: string, opts: { cookie: string; params?: Record<string, string>; form?: Record<string, string> }): Promise<Response> {
  const request = browserRequest(path, { cookie: opts.cookie, form: which === "action" ? (opts.form ?? {}) : undefined });
  const fn = mod[which] as unknown as (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
  return responseOf(() => fn({ request, params: opts.params ?? {}, context: {} }));
}

/** The JSON a refused form answers with. */
export async function failureOf(res: Response): Promise<{ values: Record<string, string>; fieldErrors: Record<string, string>; formError?: string }> {
  return (await res.json()) as { values: Record<string, string>; fieldErrors: Record<string, string>; formError?: string };
}
