import { Hono, type Context } from "hono";
import { getCookie } from "hono/cookie";
import * as z from "zod";
import { callsApi, iceServers, mediaPath } from "../adapters/calls";
import type { AppEnv } from "../app-env";
import { refusedCallsTracks, TRACK_NAME } from "../calls/media";
import { AppError, notFound } from "../http/errors";
import { wellFormed } from "../http/well-formed";
import { CHAT_COOKIE } from "./customer";
import { chatObject } from "../live/stubs";

// The browser's way to Cloudflare Calls: the same paths as the Calls app API, under the chat.
// Only a party of the connected chat gets through, only to its own Calls session, and it pushes
// only the tracks it declared to the chat (so the room's buttons hold) and pulls only the other
// party's. The app secret stays here.

const chatIdParam = z.uuid();
const MAX_SDP = 64 * 1024;
const sessionDescription = z.object({ type: z.enum(["offer", "answer"]), sdp: z.string().min(1).max(MAX_SDP) });
const trackName = z.string().regex(TRACK_NAME);

const tracksNew = z.object({
  sessionDescription: sessionDescription.optional(),
  tracks: z
    .array(
      z.discriminatedUnion("location", [
        z.object({ location: z.literal("local"), trackName, mid: z.string().max(16).optional() }),
        z.object({ location: z.literal("remote"), trackName, sessionId: z.string().max(128) }),
      ]),
    )
    .min(1)
    .max(8),
});
const renegotiate = z.object({ sessionDescription });
const tracksClose = z.object({
  sessionDescription: sessionDescription.optional(),
  tracks: z.array(z.object({ mid: z.string().max(16) })).min(1).max(8),
  force: z.boolean().optional(),
});

/** The party behind this request and what it may touch; refuses anyone else. */
async function caller(c: Context<AppEnv>) {
  if (mediaPath(c.env) !== "calls") throw new AppError("not_found", "Cloudflare Calls is not configured on this server: calls connect peer to peer.");
  const id = chatIdParam.safeParse(c.req.param("chatId"));
  if (!id.success) throw notFound("chat");
  const token = getCookie(c, CHAT_COOKIE);
  const user = c.get("user");
  const proof = token ? { customerToken: token } : user?.isAgent ? { agentId: user.id } : null;
  const found = proof ? await chatObject(c.env, id.data).callsAccess(proof) : null;
  if (!found) throw notFound("chat");
  return { chatId: id.data, ...found };
}

/** The caller's own Calls session, or a refusal. */
async function ownSession(c: Context<AppEnv>) {
  const found = await caller(c);
  if (c.req.param("sessionId") !== found.access.ownSessionId) throw new AppError("forbidden", "That Calls session is not yours.");
  return found;
}

async function body<T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> {
  const data: unknown = await c.req.json().catch(() => undefined);
  const parsed = schema.safeParse(data);
  if (!parsed.success || !wellFormed(data)) throw new AppError("bad_request", "That request to the call could not be understood.");
  return parsed.data;
}

/** Calls' own answer; its failures keep their message, an outage of Calls is a 502. */
async function relay(res: Response): Promise<Response> {
  const status = res.status >= 500 ? 502 : res.status;
  return new Response(await res.text(), { status, headers: { "content-type": "application/json" } });
}

export const callsRoutes = new Hono<AppEnv>()
  // ICE servers for either path: TURN credentials when a TURN key is set, else none.
  .get("/:chatId/calls/ice-servers", async (c) => {
    const id = chatIdParam.safeParse(c.req.param("chatId"));
    const token = getCookie(c, CHAT_COOKIE);
    const user = c.get("user");
    const proof = token ? { customerToken: token } : user?.isAgent ? { agentId: user.id } : null;
    if (!id.success || !proof || !(await chatObject(c.env, id.data).callsAccess(proof))) throw notFound("chat");
    return c.json({ iceServers: await iceServers(c.env) });
  })
  .post("/:chatId/calls/sessions/new", async (c) => {
    const { chatId, party } = await caller(c);
    const res = await callsApi(c.env, "POST", "sessions/new");
    if (!res.ok) return relay(res);
    const session = await res.json<{ sessionId: string }>();
    await chatObject(c.env, chatId).callsSessionOpened(party, session.sessionId);
    return c.json(session, 201);
  })
  .post("/:chatId/calls/sessions/:sessionId/tracks/new", async (c) => {
    const { access } = await ownSession(c);
    const request = await body(c, tracksNew);
    const refusal = refusedCallsTracks(access, request);
    if (refusal) throw new AppError("forbidden", refusal);
    return relay(await callsApi(c.env, "POST", `sessions/${encodeURIComponent(access.ownSessionId!)}/tracks/new`, request));
  })
  .put("/:chatId/calls/sessions/:sessionId/renegotiate", async (c) => {
    const { access } = await ownSession(c);
    const request = await body(c, renegotiate);
    return relay(await callsApi(c.env, "PUT", `sessions/${encodeURIComponent(access.ownSessionId!)}/renegotiate`, request));
  })
  .put("/:chatId/calls/sessions/:sessionId/tracks/close", async (c) => {
    const { access } = await ownSession(c);
    const request = await body(c, tracksClose);
    return relay(await callsApi(c.env, "PUT", `sessions/${encodeURIComponent(access.ownSessionId!)}/tracks/close`, request));
  });
