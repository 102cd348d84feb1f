import type { MediaPath } from "../calls/media";

// Cloudflare Calls (Realtime SFU) and its TURN service, reached through a base URL from the
// environment so tests point it at the fake under test/fakes/calls. Only the Worker holds the
// secrets; browsers reach Calls through the proxy in worker/routes/calls.ts.

export type CallsEnv = {
  CALLS_APP_ID?: string;
  CALLS_APP_SECRET?: string;
  CALLS_API_BASE?: string;
  TURN_KEY_ID?: string;
  TURN_KEY_API_TOKEN?: string;
};

export type IceServer = { urls: string | string[]; username?: string; credential?: string };

export const DEFAULT_CALLS_API_BASE = "https://rtc.live.cloudflare.com/v1";

/** A new chat's media goes through Calls when the Worker holds its app secret, else peer to peer. */
export const mediaPath = (env: CallsEnv): MediaPath => (env.CALLS_APP_ID && env.CALLS_APP_SECRET ? "calls" : "p2p");

const base = (env: CallsEnv) => (env.CALLS_API_BASE || DEFAULT_CALLS_API_BASE).replace(/\/$/, "");

/** One request to the Calls app API, e.g. `sessions/new`; Calls' own answer (status and JSON) comes back. */
export async function callsApi(env: CallsEnv, method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<Response> {
  return fetch(`${base(env)}/apps/${encodeURIComponent(env.CALLS_APP_ID!)}/${path}`, {
    method,
    headers: { authorization: `Bearer ${env.CALLS_APP_SECRET}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** TURN credentials lasting a day, when a TURN key is set; otherwise none (host candidates only, enough locally). */
export async function iceServers(env: CallsEnv): Promise<IceServer[]> {
  if (!env.TURN_KEY_ID || !env.TURN_KEY_API_TOKEN) return [];
  const res = await fetch(`${base(env)}/turn/keys/${encodeURIComponent(env.TURN_KEY_ID)}/credentials/generate-ice-servers`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.TURN_KEY_API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ ttl: 86_400 }),
  });
  if (!res.ok) {
    console.error("TURN credentials were refused", res.status, await res.text());
    return [];
  }
  return ((await res.json()) as { iceServers: IceServer[] }).iceServers;
}
