// The Parley-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
// the shape of Stripe's, so that integrators reuse their verification code.

export const SIGNATURE_HEADER = "Parley-Signature";

/** A receiver refuses a signature older than this (replays); the README says so too. */
export const TOLERANCE_SECONDS = 300;

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
}

/** The header's value for `body` sent at `t` (unix seconds). */
export async function signatureHeader(secret: string, body: string, t: number): Promise<string> {
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
}

/** Compares in time independent of where the strings differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** What a receiver does: one of the v1 signatures matches and t is recent. */
export async function verifySignature(secret: string, header: string, body: string, nowSeconds: number, tolerance = TOLERANCE_SECONDS): Promise<boolean> {
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > tolerance) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  return parts.some(([k, v]) => k === "v1" && v !== undefined && sameText(v, expected));
}
