/** A form that cannot be saved as typed: field name → message, shown next to each field (422). */
export class FormError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields)[0] ?? "Please check the form.");
  }
}
