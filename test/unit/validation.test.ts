import { describe, expect, it } from "vitest";
import { fieldErrors, handleFrom, signUpForm } from "../../worker/accounts/validation";

const good = { accountType: "solo", companyName: "Dr Ada", companySlug: "dr-ada", name: "Ada Lovelace", email: "Ada@Example.com ", password: "correct horse 9" };

describe("sign-up form", () => {
  it("accepts a good form and normalises the email", async () => {
    const parsed = await signUpForm.parseAsync(good);
    expect(parsed.email).toBe("ada@example.com");
  });

  it("names each bad field with a message a person understands", async () => {
    const result = await signUpForm.safeParseAsync({ ...good, email: "ada@", password: "short", companySlug: "Not OK!" });
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(errors.email).toMatch(/valid email/);
    expect(errors.password).toMatch(/at least 10/);
    expect(errors.companySlug).toMatch(/lower-case/);
  });

  it("takes a password of letters only: no rules about mixing kinds of characters", async () => {
    expect((await signUpForm.safeParseAsync({ ...good, password: "tram lemon violet" })).success).toBe(true);
  });

  it("refuses a common password, also with digits and symbols added", async () => {
    for (const password of ["password12", "Password123!", "qwertyuiop"]) {
      const result = await signUpForm.safeParseAsync({ ...good, password });
      expect(fieldErrors(result.error!).password, password).toMatch(/one of the most common ones/);
    }
  });

  it("refuses a password built from the person's name, email or business, or from Parley", async () => {
    for (const password of ["ada-lovelace-1815", "dr-ada-2024!", "parley-password", "Lovelace1815"]) {
      const result = await signUpForm.safeParseAsync({ ...good, password });
      expect(result.success, password).toBe(false);
      expect(fieldErrors(result.error!).password, password).toMatch(/easy to guess/);
    }
  });

  it("refuses repeats and sequences", async () => {
    const result = await signUpForm.safeParseAsync({ ...good, password: "zzzzzz12345" });
    expect(fieldErrors(result.error!).password).toMatch(/a repeat or a sequence/);
  });
});

describe("handleFrom", () => {
  it("makes a URL-safe handle from a name", () => {
    expect(handleFrom("Zoë O'Neil")).toBe("zoe-o-neil");
    expect(handleFrom("!!!")).toBe("agent");
  });
});
