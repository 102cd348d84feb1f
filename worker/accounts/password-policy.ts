// What makes a password too easy to guess, NIST SP 800-63B style: no rules about which kinds of
// characters to mix (they push people to "Password1!"), but no common or leaked passwords, none
// built from the person's or the business's names, and no keyboard runs or repeats. Pure apart
// from loading the list.

/**
 * About 49,000 passwords seen most often in leaks (zxcvbn-ts's list, from the same data as
 * "10 million passwords"). Loaded on first use only: decompressing it takes some 20 ms, which
 * only the requests that set a password should pay.
 */
let common: Promise<Set<string>> | undefined;
const commonPasswords = () =>
  (common ??= import("@zxcvbn-ts/language-common").then(({ dictionary }) => new Set(dictionary["passwords-common"])));

export const COMMON = "This password is one of the most common ones, so it is easy to guess. Try a few unrelated words instead.";
export const PATTERN = "This password is mostly a repeat or a sequence, like aaaa, 1234 or qwerty. Try a few unrelated words instead.";
export const CONTEXT = "This password is built from a name, an email address or the word Parley, so it is easy to guess. Try a few unrelated words instead.";

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i" };
const unleet = (p: string) => p.replace(/[013457@$!]/g, (c) => LEET[c]!);
/** Without the digits and symbols people add before and after a word: "!password12" → "password". */
const core = (p: string) => p.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
/** The shortest unit the password repeats, "abcabcabc" → "abc"; the password itself if none. */
function unit(p: string): string {
  for (let n = 1; n <= p.length / 2; n++) {
    if (p.length % n === 0 && p.slice(0, n).repeat(p.length / n) === p) return p.slice(0, n);
  }
  return p;
}

/** Whether the password, or the word under common decorations, is on the list of common passwords. */
export async function isCommon(password: string): Promise<boolean> {
  const lower = password.toLowerCase();
  const list = await commonPasswords();
  const forms = [lower, unit(lower), core(lower), unleet(lower), core(unleet(lower)), unit(core(lower))];
  return forms.some((form) => list.has(form));
}

const SEQUENCES = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qazwsxedc"];

/** How a character can follow the one before it: the same again, or next (or previous) in a sequence. */
function stepsOf(a: string, b: string): string[] {
  if (a === b) return ["same"];
  return SEQUENCES.flatMap((seq, n) => {
    const i = seq.indexOf(a);
    const j = seq.indexOf(b);
    return i >= 0 && j >= 0 && Math.abs(j - i) === 1 ? [`${n}${j - i}`] : [];
  });
}

/** The length of the longest run of repeating or following characters from position i. */
function runFrom(p: string, i: number): number {
  let longest = 1;
  for (const step of i + 1 < p.length ? stepsOf(p[i]!, p[i + 1]!) : []) {
    let end = i + 2;
    while (end < p.length && stepsOf(p[end - 1]!, p[end]!).includes(step)) end++;
    longest = Math.max(longest, end - i);
  }
  return longest;
}

/**
 * The password's length once every run of three or more characters that repeat or follow a
 * sequence counts as one character, and a repeated unit counts once: "aaaaaaaaaa" is 1,
 * "1234abcd" is 2, "correct horse 9" is 15.
 */
export function patternlessLength(password: string): number {
  const p = unit(password.toLowerCase());
  let length = 0;
  for (let i = 0; i < p.length; length++) {
    const run = runFrom(p, i);
    // A pair is no pattern yet; three or more in a row count as one.
    i += run >= 3 ? run : 1;
  }
  return length;
}

/** Words that anyone who knows the account can guess from: the service, names, email, address. */
export function contextWords(values: { email?: string; name?: string; companyName?: string; companySlug?: string }): string[] {
  const [local = "", domain = ""] = (values.email ?? "").toLowerCase().split("@");
  const words = [
    "parley",
    local,
    domain.split(".")[0] ?? "",
    ...[local, values.name, values.companyName, values.companySlug].flatMap((v) => (v ?? "").toLowerCase().split(/[^\p{L}\p{N}]+/u)),
  ];
  // Longest first, so "alice" goes before "ali"; short ones ("of", "co") are in too many words.
  return [...new Set(words.filter((w) => w.length >= 3))].sort((a, b) => b.length - a.length);
}

/**
 * Whether the password is little more than the context words: what is left without them, and
 * without the digits and symbols round the pieces, is short or itself a common password.
 */
export async function isBuiltFrom(password: string, words: string[]): Promise<boolean> {
  const lower = password.toLowerCase();
  for (const form of new Set([lower, unleet(lower)])) {
    let rest = form;
    for (const word of words) rest = rest.split(word).join(" ");
    if (rest === form) continue;
    const left = rest
      .split(" ")
      .map(core)
      .join("");
    if (left.length < 6 || (await commonPasswords()).has(left)) return true;
  }
  return false;
}

/** The reason a password is too easy to guess, in words for the person choosing it; null if it is fine. */
export async function passwordProblem(password: string, context: string[] = ["parley"]): Promise<string | null> {
  if (await isCommon(password)) return COMMON;
  if (patternlessLength(password) < 6) return PATTERN;
  if (await isBuiltFrom(password, context)) return CONTEXT;
  return null;
}
