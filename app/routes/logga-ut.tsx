// Sign-out: POST only, so that no link, image or prefetch can sign anyone out.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { db } from "~/db.server";
import { assertSameOrigin } from "~/auth/csrf.server";
import { destroySession } from "~/auth/session.server";

// A GET changes nothing: it just leaves for the start page.
export const loader = () => redirect("/");

export const action = async ({ request }: ActionFunctionArgs) => {
  assertSameOrigin(request);
  const cookie = await destroySession(db(), request);
  return redirect("/logga-in", { headers: { "Set-Cookie": cookie } });
};
