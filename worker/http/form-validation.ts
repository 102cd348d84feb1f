import { zValidator } from "@hono/zod-validator";
import type { Context, Env, MiddlewareHandler } from "hono";
import type * as z from "zod";
import { fieldErrors } from "../accounts/validation";

/** A form as it was sent, for showing it again: a name sent more than once comes as an array. */
export type SentForm = Record<string, string | File | (string | File)[]>;

/** Field name → message, shown next to the field ("form" for the form as a whole). */
export type FieldErrors = Record<string, string>;

/** A form's page (or htmx fragment) again: the values as sent, an error by each refused field. */
export type FormPage<E extends Env> = (c: Context<E>, sent: SentForm, errors: FieldErrors) => Response | Promise<Response>;

/**
 * The schema for this request, when it depends on who asks (their plan, their company's rooms) or
 * on what was sent (money fields are read in the currency chosen in the same form).
 */
type SchemaFor<S extends z.ZodType, E extends Env> = (c: Context<E>, sent: SentForm) => S;

/** The form body as sent. Hono keeps the FormData it read (for CSRF or validation): no second read. */
export const sentForm = (c: Context): Promise<SentForm> => c.req.parseBody({ all: true });

/** One text field as sent; a file or a repeated name is not text. */
export const sentText = (sent: SentForm, name: string): string | undefined => {
  const value = sent[name];
  return typeof value === "string" ? value : undefined;
};

/** The form's page again with `errors`, status 422 (htmx swaps that in like a success). */
export async function refuseForm<E extends Env>(c: Context<E>, page: FormPage<E>, errors: FieldErrors): Promise<Response> {
  const sent = await sentForm(c);
  c.status(422);
  return page(c, sent, errors);
}

/**
 * Validates a route's form with zod before its handler, which reads `c.req.valid("form")`. A
 * refused form is answered by `page` with each field's first message and status 422. Errors only
 * known after parsing (an email already taken) go through `refuseForm` with the same page.
 */
export function formValidator<S extends z.ZodType, E extends Env>(
  schema: S | SchemaFor<S, E>,
  page: FormPage<E>,
): MiddlewareHandler<E, string, { out: { form: z.output<S> } }> {
  const hook = (result: { success: true } | { success: false; error: z.core.$ZodError }, c: Context<E>) =>
    result.success ? undefined : refuseForm(c, page, fieldErrors(result.error));
  const validate = (s: S): MiddlewareHandler<E, string, { out: { form: z.output<S> } }> => zValidator("form", s, hook);
  if (typeof schema !== "function") return validate(schema);
  return async (c, next) => validate(schema(c, await sentForm(c)))(c, next);
}
