import * as z from "zod";
import { CONTEXT, contextWords, isBuiltFrom, passwordProblem } from "./password-policy";

// What a person may type into the account forms. Messages are shown next to the field.
export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

// A new password: long enough, and not easy to guess (password-policy.ts), with no rules about
// mixing kinds of characters. Forms with a password parse asynchronously (safeParseAsync): the
// list of common passwords is loaded on first use.
export const PASSWORD_MIN = 10;
export const passwordField = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(200, "Use at most 200 characters.")
  .superRefine(async (password, ctx) => {
    if (password.length < PASSWORD_MIN) return; // already refused; no need to load the list
    const problem = await passwordProblem(password);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

type PasswordContext = Parameters<typeof contextWords>[0];

/**
 * Refuses a password built from the words round it: the form's own name and email, and what
 * else the caller knows (the company's name). On the whole form, since those words are fields.
 */
export const passwordNotFrom =
  (known: PasswordContext = {}) =>
  async (form: { password?: string } & PasswordContext, ctx: z.RefinementCtx): Promise<void> => {
    if (form.password && (await isBuiltFrom(form.password, contextWords({ ...known, ...form })))) {
      ctx.addIssue({ code: "custom", path: ["password"], message: CONTEXT });
    }
  };

export const personName = z.string().trim().min(1, "Enter a name.").max(80, "Use at most 80 characters.");

// Company URL names appear in /c/{company}/…: lower-case letters, digits and dashes.
export const companySlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Use at least 2 characters.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and dashes.");

export const signUpForm = z
  .object({
    accountType: z.enum(["solo", "company"], { error: "Choose Solo User or Company." }),
    companyName: z.string().trim().min(1, "Enter your business or your own name.").max(80, "Use at most 80 characters."),
    companySlug,
    name: personName,
    email: emailField,
    password: passwordField,
  })
  .superRefine(passwordNotFrom());
export type SignUpInput = z.infer<typeof signUpForm>;

export const signInForm = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(200),
});

/** Field name → first message, for re-rendering a form with its errors. */
export function fieldErrors(error: z.core.$ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

/** A handle for URLs derived from a person's name or email: "Alice Smith" → "alice-smith". */
export function handleFrom(text: string): string {
  const slug = text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return slug || "agent";
}

/** An http(s) address with a host: what a photo or logo URL may be (never javascript: or data:). */
export function isWebUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return (url.protocol === "https:" || url.protocol === "http:") && !!url.hostname;
  } catch {
    return false;
  }
}
