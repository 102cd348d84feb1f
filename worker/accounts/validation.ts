import * as z from "zod";

// What a person may type into the account forms. Messages are shown next to the field.
export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const PASSWORD_MIN = 10;
export const passwordField = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(200, "Use at most 200 characters.")
  .refine((p) => /[a-zA-Z]/.test(p) && /[^a-zA-Z]/.test(p), "Mix letters with digits or symbols.");

export const personName = z.string().trim().min(1, "Enter a name.").max(80, "Use at most 80 characters.");

// Company URL names appear in /c/{company}/…: lower-case letters, digits and dashes.
export const companySlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Use at least 2 characters.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and dashes.");

export const signUpForm = z.object({
  accountType: z.enum(["solo", "company"], { error: "Choose Solo User or Company." }),
  companyName: z.string().trim().min(1, "Enter your business or your own name.").max(80, "Use at most 80 characters."),
  companySlug,
  name: personName,
  email: emailField,
  password: passwordField,
});
export type SignUpInput = z.infer<typeof signUpForm>;

export const signInForm = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(200),
});

/** Field name → first message, for re-rendering a form with its errors. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
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
