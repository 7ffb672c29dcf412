import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, Link } from "@remix-run/react";
import type { LinksFunction } from "@remix-run/node";
import styles from "./styles/app.css";

const favicon = "data:image/svg+xml," + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#00508c"/><text x="8" y="12" font-size="11" text-anchor="middle" fill="#fff" font-family="sans-serif">U</text></svg>');

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: favicon },
];

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="sv">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <footer className="page muted">
          <a href="/tillganglighet">Tillgänglighet</a> · Länsstyrelsernas tjänst för utvecklingsmedel
        </footer>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title =
    status === 404 ? "Sidan finns inte" : status === 403 ? "Du har inte behörighet" : status === 400 ? "Felaktig begäran" : "Något gick fel";
  const text =
    status === 404
      ? "Sidan du söker finns inte, eller så har du inte tillgång till den. Kontrollera adressen."
      : status === 403
        ? "Ditt konto har inte behörighet till den här sidan. Kontakta din administratör om du behöver tillgång."
        : status === 400
          ? "Begäran kunde inte behandlas. Gå tillbaka och försök igen."
          : "Ett oväntat fel inträffade. Försök igen om en stund. Om felet kvarstår, kontakta support.";
  return (
    <main className="page narrow" id="main">
      <h1>{title}</h1>
      <p>{text}</p>
      <p className="muted">Felkod: {status}</p>
      <p>
        <Link to="/">Till startsidan</Link>
      </p>
    </main>
  );
}
