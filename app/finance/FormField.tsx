// Form fields for the administration and finance screens: a label, an optional
// hint, the error next to the field, and the value the user typed. Plain
// inputs, so every form works without JavaScript.
import type { ReactNode } from "react";
import type { FormFailure } from "./form-fields";

/**
 * The id of a field's input, for labels and the error summary's links. A page
 * with one form per row (/ekonomi) gives each row its own `idPrefix`, so ids
 * stay unique and the summary links to the row that was sent.
 */
export function inputId(name: string, idPrefix?: string): string {
  const id = name.replace(/[^A-Za-z0-9_-]/g, "-");
  return idPrefix ? `f-${idPrefix.replace(/[^A-Za-z0-9_-]/g, "-")}-${id}` : `f-${id}`;
}

/** The id prefix of one row's form on a list page (the row's record id). */
export const rowIdPrefix = (recordId: string) => `rad-${recordId}`;

/** Links for the error summary: one per field with an error (give the `idPrefix` of the form that was sent). */
export function summaryOf(failure: FormFailure | undefined, idPrefix?: string): { href: string; message: string }[] {
  if (!failure) return [];
  return Object.entries(failure.fieldErrors).map(([name, message]) => ({ href: `#${inputId(name, idPrefix)}`, message }));
}

type Common = {
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  failure?: FormFailure;
  /** The value to start from when the form has not been sent back. */
  value?: string;
  /** Set when the page has several forms with the same field names (one per row). */
  idPrefix?: string;
};

function useField({ name, hint, failure, value, idPrefix }: Common) {
  const id = inputId(name, idPrefix);
  const error = failure?.fieldErrors[name];
  const current = failure ? (failure.values[name] ?? "") : (value ?? "");
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { id, error, current, hintId, errorId, describedBy: [hintId, errorId].filter(Boolean).join(" ") || undefined };
}

function Wrapper({ id, label, required, hint, hintId, error, errorId, children }: { id: string; label: string; required?: boolean; hint?: string; hintId?: string; error?: string; errorId?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{required ? label : `${label} (frivilligt)`}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          <span className="sr-only">Fel: </span>
          {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}

export function TextField(props: Common & { type?: "text" | "kronor" | "date" | "time" | "number"; multiline?: boolean; autoComplete?: string }) {
  const f = useField(props);
  const common = {
    id: f.id,
    name: props.name,
    defaultValue: f.current,
    "aria-describedby": f.describedBy,
    "aria-invalid": f.error ? true : undefined,
    "aria-required": props.required ? true : undefined,
  };
  let input: ReactNode;
  if (props.multiline) input = <textarea {...common} rows={4} />;
  else if (props.type === "kronor")
    input = (
      <span className="with-unit">
        <input {...common} type="text" inputMode="decimal" autoComplete="off" spellCheck={false} className="amount-input" />
        <span aria-hidden="true">kr</span>
      </span>
    );
  else if (props.type === "date") input = <input {...common} type="date" className="date-input" />;
  else if (props.type === "time") input = <input {...common} type="time" className="date-input" />;
  else if (props.type === "number") input = <input {...common} type="text" inputMode="numeric" className="date-input" autoComplete="off" />;
  else input = <input {...common} type="text" autoComplete={props.autoComplete ?? "off"} />;
  return (
    <Wrapper id={f.id} label={props.label} required={props.required} hint={props.hint} hintId={f.hintId} error={f.error} errorId={f.errorId}>
      {input}
    </Wrapper>
  );
}

export function SelectField(props: Common & { options: { value: string; label: string }[]; placeholder?: string }) {
  const f = useField(props);
  return (
    <Wrapper id={f.id} label={props.label} required={props.required} hint={props.hint} hintId={f.hintId} error={f.error} errorId={f.errorId}>
      <select id={f.id} name={props.name} defaultValue={f.current} aria-describedby={f.describedBy} aria-invalid={f.error ? true : undefined} aria-required={props.required ? true : undefined}>
        <option value="">{props.placeholder ?? "Välj …"}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrapper>
  );
}

/** One checkbox; `checked` is what to show when the form has not been sent back. */
export function CheckboxField({ name, label, hint, failure, checked }: { name: string; label: string; hint?: string; failure?: FormFailure; checked?: boolean }) {
  const id = inputId(name);
  const error = failure?.fieldErrors[name];
  const on = failure ? failure.values[name] === "on" : Boolean(checked);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <div className="radio">
        <input type="checkbox" id={id} name={name} defaultChecked={on} aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined} aria-invalid={error ? true : undefined} />
        <label htmlFor={id}>{label}</label>
      </div>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          <span className="sr-only">Fel: </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}
