import { describe, expect, it } from "vitest";
import { fieldErrors, handleFrom, signUpForm } from "../../worker/accounts/validation";

const good = { accountType: "solo", companyName: "Dr Ada", companySlug: "dr-ada", name: "Ada Lovelace", email: "Ada@Example.com ", password: "correct horse 9" };

describe("sign-up form", () => {
  it("accepts a good form and normalises the email", () => {
    const parsed = signUpForm.parse(good);
    expect(parsed.email).toBe("ada@example.com");
  });

  it("names each bad field with a message a person understands", () => {
    const result = signUpForm.safeParse({ ...good, email: "ada@", password: "short", companySlug: "Not OK!" });
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(errors.email).toMatch(/valid email/);
    expect(errors.password).toMatch(/at least 10/);
    expect(errors.companySlug).toMatch(/lower-case/);
  });

  it("refuses a password of letters only", () => {
    const result = signUpForm.safeParse({ ...good, password: "onlylettershere" });
    expect(fieldErrors(result.error!).password).toMatch(/digits or symbols/);
  });
});

describe("handleFrom", () => {
  it("makes a URL-safe handle from a name", () => {
    expect(handleFrom("Zoë O'Neil")).toBe("zoe-o-neil");
    expect(handleFrom("!!!")).toBe("agent");
  });
});
