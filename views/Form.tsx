import type { Child } from "hono/jsx";

export type Errors = Record<string, string>;

type FieldProps = {
  name: string;
  label: string;
  value?: string | null;
  errors?: Errors;
  type?: string;
  required?: boolean;
  hint?: Child;
  autocomplete?: string;
  placeholder?: string;
  maxlength?: number;
};

/** A labelled input with its error message under it; the error is announced to screen readers. */
export function Field({ name, label, value, errors, type = "text", required, hint, autocomplete, placeholder, maxlength }: FieldProps) {
  const error = errors?.[name];
  const id = `f-${name}`;
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for={id}>
        {label}
        {required ? <span class="req"> *</span> : null}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        value={value ?? ""}
        required={required}
        autocomplete={autocomplete}
        placeholder={placeholder}
        maxlength={maxlength}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-help` : undefined}
      />
      <FieldNote id={id} error={error} hint={hint} />
    </div>
  );
}

/** Under a field: its error, announced to screen readers, or else its hint. */
export function FieldNote({ id, error, hint }: { id: string; error?: string; hint?: Child }) {
  if (error)
    return (
      <p class="error" id={`${id}-error`} role="alert">
        {error}
      </p>
    );
  return hint ? (
    <p class="hint" id={`${id}-help`}>
      {hint}
    </p>
  ) : null;
}

/** A form's submit button and the Cancel link back to where the admin came from. */
export function FormActions({ submit, cancel }: { submit: Child; cancel: string }) {
  return (
    <div class="actions">
      <button type="submit" class="btn btn-primary">
        {submit}
      </button>
      <a href={cancel} class="btn btn-ghost">
        Cancel
      </a>
    </div>
  );
}

export function FormAlert({ message }: { message?: string | null }) {
  return message ? (
    <div class="alert alert-error" role="alert">
      {message}
    </div>
  ) : null;
}
