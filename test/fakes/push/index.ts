// A fake Web Push service (RFC 8030) that checks what a real one checks and reads what a
// browser would: the VAPID authorisation (RFC 8292: an ES256 JWT whose `aud` is this service's
// origin, whose `exp` lies within the next 24 hours, signed with the key `k` the subscription was
// made with) and the aes128gcm payload (RFC 8291), decrypted with the device's own private key
// and auth secret. It is a plain fetch handler on Web Crypto, so it runs in Node or as a
// Miniflare outbound service (vitest.config.ts serves it as https://push.fake).
//
// Devices (controls, same origin):
//   POST /_fake/devices {applicationServerKey}  -> {endpoint, keys: {p256dh, auth}}, as PushManager.subscribe gives
//   GET  /_fake/devices/{id}/messages           -> what the device received: [{payload, topic, urgency, ttl}]
//   GET  /_fake/devices/{id}/refusals           -> pushes refused, with why
//   POST /_fake/devices/{id}/gone               -> the browser unsubscribed: pushes now answer 410
// Push: POST /push/{id}, answered 201 like the real services.

export type Received = { payload: unknown; topic: string | null; urgency: string | null; ttl: number };

type Bytes = Uint8Array<ArrayBuffer>;
type Device = { serverKey: string; keys: CryptoKeyPair; publicRaw: Bytes; auth: Bytes; messages: Received[]; refusals: string[]; gone: boolean };

const subtle = crypto.subtle;
const encoder = new TextEncoder();
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
function fromB64url(text: string): Bytes {
  const plain = atob(text.replaceAll("-", "+").replaceAll("_", "/").padEnd(Math.ceil(text.length / 4) * 4, "="));
  return Uint8Array.from(plain, (c) => c.charCodeAt(0));
}
const concat = (...parts: Uint8Array[]): Bytes => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

async function hkdf(salt: Bytes, ikm: Bytes, info: Bytes, bytes: number): Promise<Bytes> {
  const key = await subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8));
}

/** RFC 8292 §2-3: `Authorization: vapid t=<JWT>, k=<key>`; returns why it is refused, or null. */
async function vapidRefusal(header: string | null, device: Device, origin: string): Promise<string | null> {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!match) return "no VAPID authorization";
  const [, jwt, k] = match as unknown as [string, string, string];
  if (k !== device.serverKey) return "k is not the key the subscription was made with";
  const [head, body, signature] = jwt.split(".");
  if (!head || !body || !signature) return "not a JWT";
  const header64 = JSON.parse(new TextDecoder().decode(fromB64url(head))) as { alg?: string; typ?: string };
  if (header64.alg !== "ES256") return `JWT alg ${header64.alg}, not ES256`;
  const key = await subtle.importKey("raw", fromB64url(k), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const valid = await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, fromB64url(signature), concat(encoder.encode(`${head}.${body}`)));
  if (!valid) return "JWT signature does not verify with k";
  const claims = JSON.parse(new TextDecoder().decode(fromB64url(body))) as { aud?: string; exp?: number; sub?: string };
  if (claims.aud !== origin) return `JWT aud ${claims.aud}, not ${origin}`;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now || claims.exp > now + 24 * 3600) return "JWT exp not within the next 24 hours";
  if (!claims.sub || !/^(mailto:|https:)/.test(claims.sub)) return "JWT sub is not a mailto: or https: contact";
  return null;
}

/** RFC 8291 §3-4 and RFC 8188: one aes128gcm record, decrypted with the device's keys. */
async function decrypt(body: Bytes, device: Device): Promise<string> {
  const salt = body.slice(0, 16);
  const idlen = body[20]!;
  const senderRaw = body.slice(21, 21 + idlen);
  const ciphertext = body.slice(21 + idlen);
  const sender = await subtle.importKey("raw", senderRaw, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const ecdh = new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: sender } as unknown as SubtleCryptoDeriveKeyAlgorithm, device.keys.privateKey, 256));
  const ikm = await hkdf(device.auth, ecdh, concat(encoder.encode("WebPush: info\0"), device.publicRaw, senderRaw), 32);
  const cek = await hkdf(salt, ikm, concat(encoder.encode("Content-Encoding: aes128gcm\0")), 16);
  const nonce = await hkdf(salt, ikm, concat(encoder.encode("Content-Encoding: nonce\0")), 12);
  const key = await subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const padded = new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: nonce }, key, ciphertext));
  // The last record ends with the delimiter 2 and then zeros of padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("no last-record delimiter");
  return new TextDecoder().decode(padded.slice(0, end));
}

export function createFakePush() {
  const devices = new Map<string, Device>();

  async function push(request: Request, device: Device, origin: string): Promise<Response> {
    if (device.gone) return new Response("subscription expired", { status: 410 });
    const refuse = (status: number, why: string) => {
      device.refusals.push(why);
      return new Response(why, { status });
    };
    const refusal = await vapidRefusal(request.headers.get("authorization"), device, origin);
    if (refusal) return refuse(403, refusal);
    if (request.headers.get("content-encoding") !== "aes128gcm") return refuse(415, "content-encoding is not aes128gcm");
    const ttl = Number(request.headers.get("ttl"));
    if (!request.headers.has("ttl") || !Number.isInteger(ttl) || ttl < 0) return refuse(400, "no TTL");
    try {
      const text = await decrypt(new Uint8Array(await request.arrayBuffer()), device);
      device.messages.push({ payload: JSON.parse(text), topic: request.headers.get("topic"), urgency: request.headers.get("urgency"), ttl });
    } catch (err) {
      return refuse(400, `payload does not decrypt: ${String(err)}`);
    }
    return new Response(null, { status: 201 });
  }

  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const parts = url.pathname.split("/");
      // /push/{id} or /_fake/devices/{id}/{action}
      const [first, id, action] = parts[1] === "_fake" ? ["_fake", parts[3], parts[4]] : [parts[1], parts[2], undefined];
      if (request.method === "POST" && url.pathname === "/_fake/devices") {
        const { applicationServerKey } = (await request.json()) as { applicationServerKey: string };
        const keys = (await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
        const publicRaw = new Uint8Array((await subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer);
        const auth = crypto.getRandomValues(new Uint8Array(16));
        const deviceId = crypto.randomUUID();
        devices.set(deviceId, { serverKey: applicationServerKey, keys, publicRaw, auth, messages: [], refusals: [], gone: false });
        return json({ endpoint: `${url.origin}/push/${deviceId}`, keys: { p256dh: b64url(publicRaw), auth: b64url(auth) } });
      }
      const device = id ? devices.get(id) : undefined;
      if (!device) return new Response("no such subscription", { status: 404 });
      if (first === "push" && request.method === "POST") return push(request, device, url.origin);
      if (first === "_fake" && action === "messages") return json(device.messages);
      if (first === "_fake" && action === "refusals") return json(device.refusals);
      if (first === "_fake" && action === "gone" && request.method === "POST") {
        device.gone = true;
        return new Response(null, { status: 204 });
      }
      return new Response("not found", { status: 404 });
    },
  };
}
