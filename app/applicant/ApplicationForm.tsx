// The application form (new application, draft, completion). A plain multipart
// form that works without JavaScript: a fixed number of empty budget rows and a
// "Lägg till rad" button that asks the server for more. With JavaScript the rows
// are added in place and the budget's sum is shown against the requested amount
// as the user types.
import { useRef, useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { formatKronor, parseKronor } from "~/lib/money";
import { ErrorSummary } from "~/components/ErrorSummary";
import { EMPTY_BUDGET_ROWS, budgetFieldId, orderedErrors, type ApplicationFormError, type ApplicationFormValues } from "./application-form";
import { FieldMessages, SelectField, TextArea, TextField } from "./ui";
import type { ApplicationFormView } from "./applications.server";

type View = Pick<ApplicationFormView, "mode" | "version" | "savedAt" | "formToken" | "call" | "callOpen" | "values" | "attachments" | "completion" | "counties" | "accept" | "organizations">;

function sumOf(values: string[]): { ok: boolean; ore: bigint } {
  let ore = 0n;
  for (const v of values) {
    if (!v.trim()) continue;
    const r = parseKronor(v);
    if (!r.ok) return { ok: false, ore };
    ore += r.ore;
  }
  return { ok: true, ore };
}

function BudgetSum({ amounts, requested, error }: { amounts: string[]; requested: string; error?: string }) {
  const sum = sumOf(amounts);
  const req = requested.trim() ? parseKronor(requested) : null;
  let status = "";
  if (sum.ok && req?.ok) status = sum.ore === req.ore ? "Summan är lika med sökt belopp." : `Summan skiljer sig från sökt belopp (${formatKronor(req.ore)}) med ${formatKronor(sum.ore > req.ore ? sum.ore - req.ore : req.ore - sum.ore)}.`;
  return (
    <div className="field">
      <p id="budgetTotal" tabIndex={-1} aria-live="polite" aria-describedby={error ? "budgetTotal-error" : undefined}>
        <strong>Summa budget: {sum.ok ? formatKronor(sum.ore) : "kan inte räknas ut (kontrollera beloppen)"}</strong> {status}
      </p>
      <FieldMessages id="budgetTotal" error={error} />
    </div>
  );
}

export function ApplicationForm({ view, failure }: { view: View; failure?: ApplicationFormError }) {
  const v: ApplicationFormValues = failure?.values ?? view.values;
  const e = failure?.fieldErrors ?? {};
  const formRef = useRef<HTMLFormElement>(null);
  const busy = useNavigation().state === "submitting";
  const initialRows = Math.max(failure?.rows ?? 0, v.budget.length + EMPTY_BUDGET_ROWS);
  const [extraRows, setExtraRows] = useState(0);
  const rows = initialRows + extraRows;
  const [live, setLive] = useState<{ amounts: string[]; requested: string } | null>(null);
  const amounts = live?.amounts ?? v.budget.map((b) => b.amount);
  const requested = live?.requested ?? v.requested;
  const completion = view.mode === "completion";
  // After a new application's first "Skicka in" saved a draft: post to that draft, list its files.
  const formToken = failure?.draft?.formToken ?? view.formToken;
  const attachments = failure?.draft?.attachments ?? view.attachments;

  const recompute = () => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    setLive({ amounts: data.getAll("budgetAmount").map(String), requested: String(data.get("requested") ?? "") });
  };

  const summaryMessage =
    failure?.formError ?? (Object.keys(e).length ? "Rätta felen nedan." : undefined);

  return (
    <>
      {failure && (failure.formError || Object.keys(e).length) ? <ErrorSummary title={failure.savedAsDraft ? "Ansökan är inte inskickad" : "Det finns fel i ansökan"} message={summaryMessage} errors={orderedErrors(e)} /> : null}
      <Form method="post" encType="multipart/form-data" noValidate ref={formRef} onChange={recompute}>
        <input type="hidden" name="version" value={view.version} />
        <input type="hidden" name="savedAt" value={view.savedAt} />
        <input type="hidden" name="formToken" value={formToken} />
        {/* First submit button in the form: the one Enter in a text field presses, so Enter saves the draft. */}
        {!completion ? (
          <p>
            <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
              Spara utkast
            </button>
          </p>
        ) : null}

        {view.mode === "new" && view.organizations.length > 1 ? (
          <SelectField
            id="organizationId"
            label="Organisation som ansöker"
            required
            defaultValue={v.organizationId}
            error={e.organizationId}
            options={view.organizations.map((o) => ({ value: o.id, label: `${o.name} (${o.kind})${o.eligible ? "" : ", får inte söka i den här utlysningen"}` }))}
          />
        ) : (
          <input type="hidden" name="organizationId" value={v.organizationId} />
        )}

        {completion && view.completion ? (
          <section aria-labelledby="completion-question" className="notice">
            <h2 id="completion-question">Handläggarens fråga</h2>
            <p className="prose">{view.completion.message}</p>
            <p>Komplettera senast {view.completion.dueOn}. Ändra det som behövs i ansökan nedan och skicka kompletteringen.</p>
          </section>
        ) : null}

        <fieldset>
          <legend>
            <h2>Projektet</h2>
          </legend>
          <TextField id="title" label="Projektets titel" required defaultValue={v.title} error={e.title} />
          <TextArea id="description" label="Beskrivning av projektet" required hint="Vad ska ni göra, hur och varför?" defaultValue={v.description} error={e.description} rows={8} />
          <TextArea id="aims" label="Mål" required hint="Vad ska projektet ha uppnått när det är slut? Skriv gärna mätbara mål." defaultValue={v.aims} error={e.aims} />
          <TextArea id="targetGroup" label="Målgrupp" required hint="Vilka ska projektet nå? Skriv om grupper, inte om enskilda personer." defaultValue={v.targetGroup} error={e.targetGroup} rows={3} />
          <TextField id="projectStart" label="Projektet börjar" required type="date" hint="Till exempel 2026-03-01." defaultValue={v.projectStart} error={e.projectStart} className="date-input" />
          <TextField
            id="projectEnd"
            label="Projektet slutar"
            required
            type="date"
            hint={view.call.maxProjectMonths ? `Projektet får vara högst ${view.call.maxProjectMonths} månader.` : "Till exempel 2026-12-31."}
            defaultValue={v.projectEnd}
            error={e.projectEnd}
            className="date-input"
          />
          <fieldset className="radios" aria-describedby={[view.call.requiresMultipleCounties ? "countyCodes-hint" : null, e.countyCodes ? "countyCodes-error" : null].filter(Boolean).join(" ") || undefined}>
            <legend>Län som projektet omfattar</legend>
            <FieldMessages id="countyCodes" hint={view.call.requiresMultipleCounties ? "Utlysningen kräver att projektet omfattar flera län." : undefined} error={e.countyCodes} />
            <div style={{ columns: "3 14rem" }}>
              {view.counties.map((c, i) => (
                <div className="radio" key={c.code}>
                  <input type="checkbox" id={i === 0 ? "countyCodes" : `countyCodes-${c.code}`} name="countyCodes" value={c.code} defaultChecked={v.countyCodes.includes(c.code)} />
                  <label htmlFor={i === 0 ? "countyCodes" : `countyCodes-${c.code}`}>{c.name}</label>
                </div>
              ))}
            </div>
          </fieldset>
        </fieldset>

        <fieldset>
          <legend>
            <h2>Pengar</h2>
          </legend>
          <TextField
            id="requested"
            label="Sökt belopp (kronor)"
            required
            hint={`Skriv till exempel 1 500 000 eller 1 500 000,50.${view.call.maxAmount ? ` Högst ${view.call.maxAmount}.` : ""}`}
            defaultValue={v.requested}
            error={e.requested}
            inputMode="decimal"
            className="amount-input"
          />
          <h3 id="budget-heading">Budget</h3>
          <p className="hint" id="budget-hint">
            Fördela det sökta beloppet på kostnadsslag. Summan av raderna ska vara lika med det sökta beloppet. Tomma rader räknas inte.
          </p>
          <table aria-labelledby="budget-heading" aria-describedby="budget-hint">
            <thead>
              <tr>
                <th scope="col">Rad</th>
                <th scope="col">Kostnadsslag</th>
                <th scope="col">Beskrivning</th>
                <th scope="col" className="amount">
                  Belopp (kronor)
                </th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: rows }, (_, i) => {
                const row = v.budget[i] ?? { category: "", description: "", amount: "" };
                const cat = budgetFieldId(i, "category");
                const desc = budgetFieldId(i, "description");
                const amt = budgetFieldId(i, "amount");
                return (
                  <tr key={i}>
                    <th scope="row">{i + 1}</th>
                    <td>
                      <label htmlFor={cat} className="sr-only">
                        Kostnadsslag, rad {i + 1}
                      </label>
                      <FieldMessages id={cat} error={e[cat]} />
                      <input id={cat} name="budgetCategory" defaultValue={row.category} aria-invalid={e[cat] ? true : undefined} aria-describedby={e[cat] ? `${cat}-error` : undefined} />
                    </td>
                    <td>
                      <label htmlFor={desc} className="sr-only">
                        Beskrivning, rad {i + 1}
                      </label>
                      <input id={desc} name="budgetDescription" defaultValue={row.description} />
                    </td>
                    <td>
                      <label htmlFor={amt} className="sr-only">
                        Belopp i kronor, rad {i + 1}
                      </label>
                      <FieldMessages id={amt} error={e[amt]} />
                      <input
                        id={amt}
                        name="budgetAmount"
                        inputMode="decimal"
                        className="amount-input"
                        defaultValue={row.amount}
                        aria-invalid={e[amt] ? true : undefined}
                        aria-describedby={e[amt] ? `${amt}-error` : undefined}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button
            type="submit"
            name="intent"
            value="addRow"
            className="secondary"
            onClick={(event) => {
              // With JavaScript the rows are added in place; without, the server sends the form back with more rows.
              event.preventDefault();
              setExtraRows((n) => n + EMPTY_BUDGET_ROWS);
            }}
          >
            Lägg till rad
          </button>
          <BudgetSum amounts={amounts} requested={requested} error={e.budgetTotal} />
          <TextField
            id="cofunding"
            label="Medfinansiering (kronor)"
            hint={`Egna eller andras pengar till samma projekt. ${view.call.cofunding.length ? `Bidraget får täcka: ${view.call.cofunding.join("; ")}.` : ""}`}
            defaultValue={v.cofunding}
            error={e.cofunding}
            inputMode="decimal"
            className="amount-input"
          />
          <TextArea
            id="otherPublicFunding"
            label="Annan offentlig finansiering till samma projekt"
            hint="Har ni sökt eller fått pengar från andra myndigheter, kommuner eller regioner för samma projekt? Skriv från vem och hur mycket."
            defaultValue={v.otherPublicFunding}
            error={e.otherPublicFunding}
            rows={3}
          />
        </fieldset>

        <fieldset>
          <legend>
            <h2>Kontaktperson och firmatecknare</h2>
          </legend>
          <TextField id="contactName" label="Kontaktperson" required defaultValue={v.contactName} error={e.contactName} autoComplete="name" />
          <TextField id="contactEmail" label="Kontaktpersonens e-post" required type="email" defaultValue={v.contactEmail} error={e.contactEmail} autoComplete="email" inputMode="email" />
          <TextField id="contactPhone" label="Kontaktpersonens telefon" type="tel" defaultValue={v.contactPhone} error={e.contactPhone} autoComplete="tel" inputMode="tel" />
          <TextField id="signatoryName" label="Firmatecknare" required hint="Den som får skriva under för organisationen." defaultValue={v.signatoryName} error={e.signatoryName} />
          <TextField id="signatoryTitle" label="Firmatecknarens befattning" required defaultValue={v.signatoryTitle} error={e.signatoryTitle} />
        </fieldset>

        <fieldset className="radios" aria-describedby={e.declarations ? "declarations-error" : undefined}>
          <legend>
            <h2>Försäkran</h2>
          </legend>
          <FieldMessages id="declarations" error={e.declarations} />
          <div className="radio">
            <input type="checkbox" id="declarations" name="declaresNoTaxDebts" defaultChecked={v.declaresNoTaxDebts} />
            <label htmlFor="declarations">Organisationen har inga obetalda skulder för skatter eller avgifter hos Kronofogden.</label>
          </div>
          <div className="radio">
            <input type="checkbox" id="declaresNotInLiquidation" name="declaresNotInLiquidation" defaultChecked={v.declaresNotInLiquidation} />
            <label htmlFor="declaresNotInLiquidation">Organisationen är inte i likvidation eller konkurs.</label>
          </div>
        </fieldset>

        <fieldset>
          <legend>
            <h2>Bilagor</h2>
          </legend>
          {attachments.length ? (
            <ul className="plain">
              {attachments.map((f) => (
                <li key={f.id}>
                  <a href={`/filer/${f.id}`}>{f.fileName}</a> ({f.size})
                  {f.removable ? (
                    <span className="radio">
                      <input type="checkbox" id={`remove-${f.id}`} name="removeAttachment" value={f.id} />
                      <label htmlFor={`remove-${f.id}`}>Ta bort {f.fileName}</label>
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          {/* Submitting needs at least one file (completenessErrors): the field is optional only once there is one.
              Keyed by the saved files: once the chosen files are saved, the input is emptied so they are not sent twice. */}
          <TextField
            key={attachments.map((f) => f.id).join(",")}
            id="attachments"
            label={attachments.length ? "Lägg till fler filer" : "Lägg till filer"}
            required={attachments.length === 0}
            type="file"
            accept={view.accept}
            multiple
            hint={`${attachments.length ? "" : "Minst en fil behövs för att skicka in ansökan. "}Projektplan, budget eller annat som stöder ansökan. PDF, Word, Excel eller OpenDocument, högst 10 MB per fil.`}
            error={e.attachments}
          />
        </fieldset>

        {completion ? (
          <TextArea id="completionResponse" label="Meddelande till handläggaren" hint="Skriv kort vad ni har ändrat." defaultValue={v.completionResponse} error={e.completionResponse} rows={3} />
        ) : null}

        <div className="actions">
          {completion ? (
            <button type="submit" name="intent" value="complete" disabled={busy}>
              Skicka kompletteringen
            </button>
          ) : (
            <>
              <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
                Spara utkast
              </button>
              {view.callOpen ? (
                <button type="submit" name="intent" value="submit" disabled={busy}>
                  Skicka in ansökan
                </button>
              ) : (
                <p className="notice">Utlysningen är stängd. Ansökan kan inte skickas in.</p>
              )}
            </>
          )}
        </div>
      </Form>
    </>
  );
}
