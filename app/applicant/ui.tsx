// Form fields of the applicant pages: label, hint, the error next to the field
// (linked with aria-describedby), and what the user typed as the value.
import type { ReactNode } from "react";

type Common = { id: string; label: string; hint?: ReactNode; error?: string; required?: boolean };

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

export function FieldMessages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="sr-only">Fel: </span>
          {error}
        </p>
      ) : null}
    </>
  );
}

const labelOf = (label: string, required?: boolean) => (required ? label : `${label} (frivilligt)`);

export function TextField({
  id,
  name,
  label,
  hint,
  error,
  required,
  defaultValue,
  type = "text",
  autoComplete,
  inputMode,
  className,
  accept,
  multiple,
}: Common & { name?: string; defaultValue?: string; type?: string; autoComplete?: string; inputMode?: "numeric" | "decimal" | "email" | "tel" | "text"; className?: string; accept?: string; multiple?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={id}>{labelOf(label, required)}</label>
      <FieldMessages id={id} hint={hint} error={error} />
      <input
        id={id}
        name={name ?? id}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        inputMode={inputMode}
        className={className}
        accept={accept}
        multiple={multiple}
        aria-required={required ? true : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </div>
  );
}

export function TextArea({ id, name, label, hint, error, required, defaultValue, rows = 5 }: Common & { name?: string; defaultValue?: string; rows?: number }) {
  return (
    <div className="field">
      <label htmlFor={id}>{labelOf(label, required)}</label>
      <FieldMessages id={id} hint={hint} error={error} />
      <textarea
        id={id}
        name={name ?? id}
        rows={rows}
        defaultValue={defaultValue}
        aria-required={required ? true : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </div>
  );
}

export function SelectField({
  id,
  name,
  label,
  hint,
  error,
  required,
  defaultValue,
  options,
  placeholder = "Välj …",
}: Common & { name?: string; defaultValue?: string; options: { value: string; label: string }[]; placeholder?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{labelOf(label, required)}</label>
      <FieldMessages id={id} hint={hint} error={error} />
      <select
        id={id}
        name={name ?? id}
        defaultValue={defaultValue}
        aria-required={required ? true : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Confirmation({ text }: { text: string | null }) {
  return text ? (
    <p className="notice success" role="status">
      {text}
    </p>
  ) : null;
}
