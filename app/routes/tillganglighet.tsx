// /tillganglighet: the accessibility statement that lag (2018:1937) om tillgänglighet till
// digital offentlig service requires, with a form to report a problem. Public.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { assertSameOrigin } from "~/auth/csrf.server";
import { saveAccessibilityFeedback, type FeedbackFailure } from "~/applicant/accessibility.server";
import { ErrorSummary } from "~/components/ErrorSummary";
import { Confirmation, TextArea, TextField } from "~/applicant/ui";

export const meta: MetaFunction = () => [{ title: "Tillgänglighet för Utvecklingsmedel – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  return { sent: url.searchParams.get("skickat") === "1", from: (url.searchParams.get("sida") ?? "").slice(0, 500) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  assertSameOrigin(request);
  const result = await saveAccessibilityFeedback(db(), await request.formData());
  if (!result.ok) return Response.json(result.data, { status: result.status });
  return redirect("/tillganglighet?skickat=1#rapportera");
};

export default function AccessibilityStatement() {
  const { sent, from } = useLoaderData<typeof loader>();
  const failure = useActionData<FeedbackFailure>();
  const e = failure?.fieldErrors ?? {};
  const summary = ["message", "pageUrl", "name", "email"].filter((f) => e[f]).map((f) => ({ href: `#${f}`, message: e[f] }));
  return (
    <main className="page" id="main">
      <p className="breadcrumbs">
        <Link to="/">Startsidan</Link>
      </p>
      <h1>Tillgänglighet för Utvecklingsmedel</h1>
      <p>
        Länsstyrelserna står bakom den här webbtjänsten för utvecklingsmedel. Vi vill att så många som möjligt ska kunna använda den. Här beskriver vi hur tjänsten
        uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, vilka kända brister som finns och hur du kan rapportera problem så att vi kan
        åtgärda dem.
      </p>

      <section aria-labelledby="status">
        <h2 id="status">Hur tillgänglig är tjänsten?</h2>
        <p>
          Tjänsten är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund av de brister som beskrivs nedan. Vi utgår från
          standarden EN 301 549 och nivå AA i WCAG 2.1.
        </p>
        <p>
          Alla formulär fungerar utan JavaScript och med tangentbord. Felmeddelanden visas både vid fältet och i en sammanfattning överst. Sidorna testas
          automatiskt med verktyget axe vid varje ändring.
        </p>
      </section>

      <section aria-labelledby="brister">
        <h2 id="brister">Kända brister</h2>
        <ul>
          <li>Bilagor som sökande laddar upp (PDF, Word, Excel) kontrolleras inte för tillgänglighet. Länsstyrelsen kan inte ansvara för deras innehåll.</li>
          <li>Beslutsbrev i utskriftsformat har inte testats med alla skärmläsare.</li>
          <li>Tabeller med många kolumner kan kräva vågrät rullning på små skärmar.</li>
        </ul>
        <p>Vi arbetar med att åtgärda bristerna.</p>
      </section>

      <section aria-labelledby="rapportera">
        <h2 id="rapportera">Rapportera ett problem</h2>
        <p>
          Om du upptäcker problem som inte beskrivs här, eller om du behöver innehåll i ett annat format, vill vi gärna veta det. Du får svar inom två veckor om
          du lämnar din e-postadress.
        </p>
        <Confirmation text={sent ? "Tack! Din rapport har skickats till oss." : null} />
        {failure ? <ErrorSummary title="Rapporten kunde inte skickas" errors={summary} /> : null}
        <Form method="post" noValidate>
          <TextArea id="message" label="Vad är problemet?" required hint="Beskriv vad du försökte göra och vad som hände." defaultValue={failure?.values.message} error={e.message} />
          <TextField id="pageUrl" label="Sida där problemet finns" defaultValue={failure?.values.pageUrl ?? from} error={e.pageUrl} />
          <TextField id="name" label="Ditt namn" defaultValue={failure?.values.name} error={e.name} autoComplete="name" />
          <TextField id="email" label="Din e-postadress" type="email" hint="Om du vill ha svar." defaultValue={failure?.values.email} error={e.email} autoComplete="email" />
          <button type="submit">Skicka rapporten</button>
        </Form>
      </section>

      <section aria-labelledby="tillsyn">
        <h2 id="tillsyn">Tillsyn</h2>
        <p>
          Myndigheten för digital förvaltning (DIGG) har ansvaret för tillsyn över lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med
          hur vi hanterar dina synpunkter kan du{" "}
          <a href="https://www.digg.se/tdosanmalan">kontakta DIGG och påtala bristande tillgänglighet</a>.
        </p>
      </section>

      <section aria-labelledby="bedomning">
        <h2 id="bedomning">Hur vi har testat tjänsten</h2>
        <p>Vi har gjort en egen granskning av tjänsten och testar varje sida automatiskt med axe i webbläsaren Chromium. Redogörelsen uppdaterades senast 23 november 2026.</p>
      </section>
    </main>
  );
}
