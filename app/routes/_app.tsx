// Signed-in layout: header with navigation for the user's roles, and sign-out.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { navigationFor, ROLE_LABELS } from "~/access/navigation";
import { NoticeBell } from "~/components/NoticeBell";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const roles = [...new Set(user.memberships.map((m) => m.role))];
  return {
    user: { name: user.name, email: user.email },
    nav: navigationFor(roles),
    memberships: user.memberships.map((m) => `${ROLE_LABELS[m.role]}, ${m.organizationName}`),
    unread: user.unreadNotices,
  };
};

export default function AppLayout() {
  const { user, nav, memberships, unread } = useLoaderData<typeof loader>();
  return (
    <>
      <a className="skip-link" href="#main">
        Hoppa till innehållet
      </a>
      <header className="site">
        <div className="bar">
          <Link to="/" className="brand">
            Utvecklingsmedel
          </Link>
          <nav aria-label="Huvudmeny">
            <ul>
              {nav.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === "/"}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who">
            <NoticeBell unread={unread} />
            <span title={memberships.join("\n")}>
              {user.name} <span className="sr-only">({memberships.join("; ")})</span>
            </span>
            <Form method="post" action="/logga-ut">
              <button type="submit" className="link">
                Logga ut
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main id="main" className="page">
        <Outlet />
      </main>
    </>
  );
}
