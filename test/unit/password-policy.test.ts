import { describe, expect, it } from "vitest";
import { COMMON, CONTEXT, PATTERN, contextWords, isBuiltFrom, isCommon, passwordProblem, patternlessLength } from "../../worker/accounts/password-policy";

describe("common passwords", () => {
  it("refuses passwords from the list of the most common ones", async () => {
    for (const p of ["password12", "1234567890", "qwertyuiop", "iloveyou123", "football10"]) expect(await isCommon(p), p).toBe(true);
  });

  it("sees through capitals, digits and symbols round a common word, repeats and l33t", async () => {
    for (const p of ["Password2024!", "!!monkey!!99", "P@ssw0rd2024", "dragondragon", "Sunshine#1987"]) expect(await isCommon(p), p).toBe(true);
  });

  it("accepts long passwords no list has", async () => {
    for (const p of ["correct horse 9", "tram lemon violet", "Kx7#pQ2!mZ9w"]) expect(await isCommon(p), p).toBe(false);
  });
});

describe("repeats and sequences", () => {
  it("counts a run of three or more repeating or following characters as one", () => {
    expect(patternlessLength("aaaaaaaaaa")).toBe(1);
    expect(patternlessLength("1234abcd")).toBe(2);
    expect(patternlessLength("zyxwvu9876")).toBe(2);
    expect(patternlessLength("asdfghjkl;")).toBe(2);
    expect(patternlessLength("xoxoxoxoxo")).toBe(2);
    expect(patternlessLength("correct horse 9")).toBe(15);
  });
});

describe("words from the account", () => {
  const words = contextWords({ email: "alice.martin@acme-corp.test", name: "Alice Martin", companyName: "Acme Corp", companySlug: "acme-corp" });

  it("takes the service's name, the email's parts, the person's and the business's names", () => {
    expect(words).toEqual(expect.arrayContaining(["parley", "alice.martin", "acme-corp", "alice", "martin", "acme", "corp"]));
  });

  it("refuses a password that is little more than those words with digits and symbols", async () => {
    for (const p of ["alice.martin2024", "Parley-demo", "AcmeCorp!!2025", "martin1987alice", "P4rl3y-rocks"]) expect(await isBuiltFrom(p, words), p).toBe(true);
  });

  it("refuses one of those words with a common password", async () => {
    for (const p of ["parley-password", "alice_sunshine", "acme-dragon-1"]) expect(await isBuiltFrom(p, words), p).toBe(true);
  });

  it("accepts a password that only mentions one among other words", async () => {
    for (const p of ["alice rides a purple tram", "correct horse 9"]) expect(await isBuiltFrom(p, words), p).toBe(false);
  });
});

describe("passwordProblem", () => {
  it("says in plain words why a password is refused, or null", async () => {
    expect(await passwordProblem("password12")).toBe(COMMON);
    expect(await passwordProblem("aaaaaaaaaaab")).toBe(PATTERN);
    expect(await passwordProblem("alice-martin-99", contextWords({ name: "Alice Martin" }))).toBe(CONTEXT);
    expect(await passwordProblem("correct horse 9", contextWords({ name: "Alice Martin" }))).toBeNull();
  });
});
