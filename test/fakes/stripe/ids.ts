// Object ids in Stripe's style: a type prefix, an underscore and 24 random base-62 characters.
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomToken(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomToken(24)}`;
}

/** Deterministic short hash (FNV-1a rounds), for card fingerprints that are stable per card number. */
export function fingerprint(input: string): string {
  let h = 2166136261;
  let out = "";
  for (let round = 0; out.length < 16; round++) {
    for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 2654435761) >>> 0;
    out += ALPHABET[h % ALPHABET.length];
  }
  return out;
}
