import * as z from "zod";

// A browser's push subscription as PushSubscription.toJSON() gives it, and how a device is named
// in the agent's list of devices.

const base64url = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, "Not a base64url key.")
    .refine((s) => Math.floor((s.replace(/=+$/, "").length * 3) / 4) === bytes, `Expected a ${bytes}-byte key.`);

/** Push services are https hosts (RFC 8030); the library sending to them refuses anything else. */
export const deviceSubscription = z.object({
  endpoint: z.url({ protocol: /^https$/ }).max(2048),
  keys: z.object({ p256dh: base64url(65), auth: base64url(16) }),
});
export type DeviceSubscription = z.infer<typeof deviceSubscription>;

export type SubscribedDevice = { id: string; label: string; createdAt: number };

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, "Edge"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\//, "Chrome"],
  [/Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Windows/, "Windows"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

/** "Chrome on Android": enough for an agent to tell their devices apart, without keeping the whole User-Agent. */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? "";
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? "A browser";
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  return system ? `${browser} on ${system}` : browser;
}
