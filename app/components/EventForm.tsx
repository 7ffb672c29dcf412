// One form per event the statecharts allow: hidden bookkeeping (intent, kind,
// caseId, eventType, version) and the fields the event needs. Events with
// fields open in a <details> (no JavaScript needed); events without fields are
// a single button. After a refused or invalid submission the form reopens with
// what the user typed and the messages next to the fields.
import type React from "react";
import { Form, useNavigation } from "@remix-run/react";
import { EVENT_FIELDS, formKeyOf, type EventFormSpec, type FieldSpec } from "~/cases/event-fields";

export type EventFormError = { formKey: string; values: Record<string, string>; fieldErrors: Record<string, string>; formError?: string };

export function fieldId(formKey: string, name: string): string {
  return `${formKey}-${name}`;
}

/** Summary entries (links to fields) for an action's error. */
export function summaryErrorsOf(error: EventFormError | undefined): { href: string; message: string }[] {
  if (!error) return [];
  return Object.entries(error.fieldErrors).map(([name, message]) => ({ href: `#${fieldId(error.formKey, name)}`, message }));
}

export function EventForm({ spec, error, destructive = false, children }: { spec: EventFormSpec; error?: EventFormError; destructive?: boolean; children?: React.ReactNode }) {
  const formKey = formKeyOf(spec);
  const mine = error && error.formKey === formKey ? error : undefined;
  const values: Record<string, string> = { ...spec.defaults, ...(mine?.values ?? {}) };
  const fieldErrors = mine?.fieldErrors ?? {};
  const fields = [...(EVENT_FIELDS[spec.kind][spec.type] ?? []), ...(spec.extraFields ?? [])];
  const visible = fields.filter((f) => f.type !== "hidden");
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("eventType") === spec.type && navigation.formData?.get("caseId") === spec.caseId;

  const form = (
    <Form method="post" id={formKey} className="event-form" noValidate aria-label={visible.length ? undefined : spec.label}>
      <input type="hidden" name="intent" value="event" />
      <input type="hidden" name="kind" value={spec.kind} />
      <input type="hidden" name="caseId" value={spec.caseId} />
      <input type="hidden" name="eventType" value={spec.type} />
      <input type="hidden" name="version" value={String(spec.version)} />
      {fields
        .filter((f) => f.type === "hidden")
        .map((f) => (
          <input key={f.name} type="hidden" name={f.name} value={values[f.name] ?? ""} />
        ))}
      {mine?.formError ? (
        <p className="field-error" id={`${formKey}-form-error`}>
          {mine.formError}
        </p>
      ) : null}
      {visible.map((f) => (
        <Field key={f.name} formKey={formKey} field={f} value={values[f.name] ?? ""} error={fieldErrors[f.name]} />
      ))}
      {children}
      <button type="submit" className={destructive ? "secondary" : undefined} disabled={busy} aria-describedby={mine?.formError ? `${formKey}-form-error` : undefined}>
        {busy ? "Sparar…" : spec.label}
      </button>
    </Form>
  );

  if (visible.length === 0) return <div className="event-action">{form}</div>;
  return (
    <details className="event-details" open={mine ? true : undefined}>
      <summary>{spec.label}</summary>
      {form}
    </details>
  );
}

function Field({ formKey, field, value, error }: { formKey: string; field: FieldSpec; value: string; error?: string }) {
  const id = fieldId(formKey, field.name);
  const hintId = field.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const labelText = field.required || field.label.includes("frivilligt") ? field.label : `${field.label} (frivilligt)`;

  const hint = field.hint ? (
    <p className="hint" id={hintId}>
      {field.hint}
    </p>
  ) : null;
  const message = error ? (
    <p className="field-error" id={errorId}>
      <span className="sr-only">Fel: </span>
      {error}
    </p>
  ) : null;

  if (field.type === "radio") {
    return (
      <fieldset className="radios" aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
        <legend>{labelText}</legend>
        {hint}
        {message}
        {(field.options ?? []).map((o, i) => (
          <div className="radio" key={o.value}>
            <input type="radio" id={i === 0 ? id : `${id}-${o.value}`} name={field.name} value={o.value} defaultChecked={value === o.value} />
            <label htmlFor={i === 0 ? id : `${id}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </fieldset>
    );
  }

  const common = {
    id,
    name: field.name,
    defaultValue: value,
    "aria-describedby": describedBy,
    "aria-invalid": error ? true : undefined,
    "aria-required": field.required ? true : undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{labelText}</label>
      {hint}
      {message}
      {field.type === "textarea" ? (
        <textarea {...common} rows={4} />
      ) : field.type === "select" ? (
        <select {...common}>
          <option value="">Välj …</option>
          {(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : field.type === "kronor" ? (
        <span className="with-unit">
          <input {...common} type="text" inputMode="decimal" autoComplete="off" spellCheck={false} className="amount-input" />
          <span aria-hidden="true">kr</span>
        </span>
      ) : field.type === "date" ? (
        <input {...common} type="date" className="date-input" />
      ) : (
        <input {...common} type="text" autoComplete="off" />
      )}
    </div>
  );
}
