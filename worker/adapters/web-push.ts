import { buildPushPayload } from "@block65/webcrypto-web-push";
import type { DeviceSubscription } from "../push/subscription";
import type { PushMessage } from "../push/notifications";

// Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291), encrypted and
// signed with Web Crypto by @block65/webcrypto-web-push. One P-256 key pair from wrangler
// secrets: VAPID_PUBLIC_KEY its public point (what browsers take as applicationServerKey) and
// VAPID_PRIVATE_KEY its private scalar `d`, both base64url; VAPID_SUBJECT a mailto: or https:
// contact for the push services' operators.

export type VapidEnv = { VAPID_PUBLIC_KEY?: string; VAPID_PRIVATE_KEY?: string; VAPID_SUBJECT?: string };

/** The key browsers subscribe with; null when push is not configured (no keys set). */
export const vapidPublicKey = (env: VapidEnv): string | null => (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY ? env.VAPID_PUBLIC_KEY : null);

/** A push service that does not answer in this time has failed this push. */
const TIMEOUT_MS = 5000;

/** sent: accepted by the push service; gone: the subscription no longer exists (404/410), forget it; failed: logged. */
export type PushOutcome = "sent" | "gone" | "failed";

export async function sendPush(env: VapidEnv, subscription: DeviceSubscription, message: PushMessage, ttlSeconds: number): Promise<PushOutcome> {
  if (!vapidPublicKey(env)) return "failed";
  try {
    const { headers, body } = await buildPushPayload(
      // A later push of the same chat replaces one the push service still holds (a topic is at most 32 base64url characters).
      { data: message, options: { ttl: ttlSeconds, urgency: "high", topic: message.chatId.replaceAll("-", "") } },
      { ...subscription, expirationTime: null },
      { subject: env.VAPID_SUBJECT || "mailto:support@parley.invalid", publicKey: env.VAPID_PUBLIC_KEY!, privateKey: env.VAPID_PRIVATE_KEY! },
    );
    const endpoint = subscription.endpoint;
    const res = await fetch(endpoint, { method: "POST", headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (res.status === 404 || res.status === 410) return "gone";
    if (res.ok) return "sent";
    console.error("push refused", new URL(endpoint).origin, res.status, (await res.text()).slice(0, 200));
    return "failed";
  } catch (err) {
    console.error("push failed", new URL(subscription.endpoint).origin, err);
    return "failed";
  }
}
