// The fields of the call form (new call and draft edit): terms, who may apply,
// limits, assessment criteria with weights, indicators, reporting and payment.
// Repeated rows are a fixed number of plain inputs; blank rows are ignored, so
// the form works without JavaScript.
import type { FormFailure } from "./form-fields";
import { CRITERIA_ROWS, INDICATOR_ROWS, TERM_ROWS, kindOptions, triggerOptions } from "./call-form";
import { CheckboxField, SelectField, TextField } from "./FormField";

export function CallFormFields({ values, failure }: { values: Record<string, string>; failure?: FormFailure }) {
  const f = { failure };
  const v = (name: string) => values[name] ?? "";
  return (
    <>
      <fieldset className="section">
        <legend>Utlysningen</legend>
        <TextField {...f} name="title" label="Rubrik" required value={v("title")} />
        <TextField {...f} name="description" label="Beskrivning" multiline required value={v("description")} />
        <TextField {...f} name="priorities" label="Prioriteringar" multiline value={v("priorities")} />
        <TextField {...f} name="budget" label="Budget" type="kronor" required value={v("budget")} hint="Tas från länsstyrelsens tilldelning under uppdraget." />
      </fieldset>

      <fieldset className="section">
        <legend>Ansökningstid (svensk tid)</legend>
        <TextField {...f} name="opensOn" label="Öppnar dag" type="date" required value={v("opensOn")} />
        <TextField {...f} name="opensTime" label="Öppnar klockan" type="time" required value={v("opensTime")} />
        <TextField {...f} name="closesOn" label="Sista ansökningsdag" type="date" required value={v("closesOn")} />
        <TextField {...f} name="closesTime" label="Stänger klockan" type="time" required value={v("closesTime")} />
      </fieldset>

      <fieldset className="section">
        <legend>Vem kan söka, och största andel av projektets kostnad som bidraget får täcka</legend>
        <table>
          <caption className="sr-only">Typer av organisationer och medfinansiering</caption>
          <thead>
            <tr>
              <th scope="col">Får söka</th>
              <th scope="col">Största andel i procent (tomt: hela kostnaden)</th>
            </tr>
          </thead>
          <tbody>
            {kindOptions.map((k) => (
              <tr key={k.value}>
                <td>
                  <CheckboxField failure={failure} name={`kind.${k.value}`} label={k.label} checked={v(`kind.${k.value}`) === "on"} />
                </td>
                <td>
                  <TextField {...f} name={`cofunding.${k.value}`} label={`Största andel för ${k.label.toLowerCase()} (%)`} type="number" value={v(`cofunding.${k.value}`)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>

      <fieldset className="section">
        <legend>Gränser</legend>
        <TextField {...f} name="maxAmount" label="Högsta belopp per ansökan" type="kronor" value={v("maxAmount")} />
        <TextField {...f} name="maxProjectMonths" label="Längsta projekttid i månader" type="number" value={v("maxProjectMonths")} />
        <CheckboxField failure={failure} name="requiresMultipleCounties" label="Projektet måste omfatta flera län" checked={v("requiresMultipleCounties") === "on"} />
        <TextField {...f} name="secondDecisionMakerAbove" label="Två beslutsfattare för belopp över" type="kronor" value={v("secondDecisionMakerAbove")} hint="Lämna tomt om en beslutsfattare alltid räcker." />
      </fieldset>

      <fieldset className="section">
        <legend>Bedömningskriterier</legend>
        <p className="hint">Vikterna ska tillsammans bli 100. Tomma rader sparas inte.</p>
        {Array.from({ length: CRITERIA_ROWS }, (_, i) => (
          <div key={i} className="record">
            <TextField {...f} name={`criteria.${i}.name`} label={`Kriterium ${i + 1}`} value={v(`criteria.${i}.name`)} />
            <TextField {...f} name={`criteria.${i}.description`} label={`Beskrivning av kriterium ${i + 1}`} value={v(`criteria.${i}.description`)} />
            <TextField {...f} name={`criteria.${i}.weight`} label={`Vikt för kriterium ${i + 1}`} type="number" value={v(`criteria.${i}.weight`)} />
          </div>
        ))}
      </fieldset>

      <fieldset className="section">
        <legend>Indikatorer som ska redovisas</legend>
        {Array.from({ length: INDICATOR_ROWS }, (_, i) => (
          <div key={i} className="record">
            <TextField {...f} name={`indicators.${i}.name`} label={`Indikator ${i + 1}`} value={v(`indicators.${i}.name`)} />
            <TextField {...f} name={`indicators.${i}.unit`} label={`Enhet för indikator ${i + 1}`} value={v(`indicators.${i}.unit`)} hint="Till exempel personer, skolor eller st." />
          </div>
        ))}
      </fieldset>

      <fieldset className="section">
        <legend>Redovisning</legend>
        <CheckboxField failure={failure} name="interimReportRequired" label="Mottagaren ska lämna en delredovisning" checked={v("interimReportRequired") === "on"} />
        <TextField {...f} name="interimReportDueOn" label="Delredovisning senast" type="date" value={v("interimReportDueOn")} hint="Krävs om det ska finnas en delredovisning." />
        <TextField {...f} name="finalReportDueOn" label="Slutredovisning senast" type="date" required value={v("finalReportDueOn")} />
      </fieldset>

      <fieldset className="section">
        <legend>Utbetalning</legend>
        <p className="hint">Andelarna ska tillsammans bli 100 %.</p>
        {Array.from({ length: TERM_ROWS }, (_, i) => (
          <div key={i} className="record">
            <TextField {...f} name={`terms.${i}.share`} label={`Utbetalning ${i + 1}: andel i procent`} type="number" value={v(`terms.${i}.share`)} />
            <SelectField {...f} name={`terms.${i}.trigger`} label={`Utbetalning ${i + 1}: när`} options={triggerOptions} value={v(`terms.${i}.trigger`)} />
          </div>
        ))}
        <CheckboxField failure={failure} name="paymentRequestRequired" label="Mottagaren ska rekvirera pengarna" checked={v("paymentRequestRequired") === "on"} />
        <TextField {...f} name="paymentRequestDays" label="Rekvireras inom antal dagar" type="number" value={v("paymentRequestDays")} hint="Räknas från den planerade utbetalningsdagen." />
      </fieldset>

      <fieldset className="section">
        <legend>Överklagande</legend>
        <TextField {...f} name="appealNotice" label="Hur man överklagar" multiline required value={v("appealNotice")} hint="Skrivs ut i varje beslut under utlysningen. Skriv om beslutet inte kan överklagas." />
      </fieldset>
    </>
  );
}
