import { randomToken } from "../accounts/tokens";

// An endpoint's signing secret. Parley signs every delivery with it, so it cannot be stored
// hashed: it is stored sealed with AES-GCM under WEBHOOK_SECRET_KEY (a secret of the Worker,
// 32 random bytes in base64), bound to its endpoint's id, and shown to the admin only when made.

export const newSigningSecret = (): string => `whsec_${randomToken(32)}`;

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

async function aesKey(keyBase64: string): Promise<CryptoKey> {
  const raw = fromBase64(keyBase64);
  if (raw.length !== 32) throw new Error("WEBHOOK_SECRET_KEY must be 32 bytes in base64");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** `v1.<iv>.<ciphertext>`, both base64; the endpoint id is the additional data, so a sealed secret moved to another row does not open. */
export async function sealSecret(keyBase64: string, endpointId: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(endpointId) },
    await aesKey(keyBase64),
    new TextEncoder().encode(secret),
  );
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

export async function openSecret(keyBase64: string, endpointId: string, sealed: string): Promise<string> {
  const [version, iv, data] = sealed.split(".");
  if (version !== "v1" || !iv || !data) throw new Error("unknown sealed secret format");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: new TextEncoder().encode(endpointId) },
    await aesKey(keyBase64),
    fromBase64(data),
  );
  return new TextDecoder().decode(plain);
}
