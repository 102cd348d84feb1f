// A stateful fake of the Cloudflare Calls (Realtime SFU) app API and its TURN key API, enough for
// Parley's proxy: sessions, tracks pushed (local) and pulled (remote), renegotiation, closing
// tracks, session state, ICE servers. Wire format as Cloudflare documents it (JSON bodies,
// `Authorization: Bearer <app secret>`, `{errorCode, errorDescription}` on failure). SDP is not
// negotiated: answers and offers are well-formed stand-ins that carry the requested mids. It is
// a plain fetch handler, so it runs in Node, in workerd, or as a Miniflare outbound service.
//
//   const calls = createFakeCalls({ appId: "app", secret: "s3cret" });
//   await calls.fetch(new Request("http://calls.fake/v1/apps/app/sessions/new", { method: "POST", headers: { authorization: "Bearer s3cret" } }));
//
// Controls (same origin): GET /_fake/state (sessions and tracks), GET /_fake/requests (every
// request seen, with its authorization header), POST /_fake/reset.

export type FakeTrack = { location: "local" | "remote"; trackName: string; mid: string; sessionId?: string; status: "active" | "inactive" };
export type FakeSession = { sessionId: string; tracks: FakeTrack[]; pendingOffer: boolean };
export type SeenRequest = { method: string; path: string; authorization: string | null; body: unknown };

export type FakeCallsOptions = { appId: string; secret: string; turnKeyId?: string; turnToken?: string };

/** The app and TURN key the tests' fake knows (vitest.config.ts serves it as http://calls.fake). */
export const TEST_CALLS: FakeCallsOptions = { appId: "parley-test-app", secret: "calls-secret-test", turnKeyId: "turn-key-test", turnToken: "turn-token-test" };

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const failure = (status: number, errorCode: string, errorDescription: string) => json({ errorCode, errorDescription }, status);

/** An SDP with one m-section per mid; enough for a proxy that never plays the media. */
function sdp(type: "offer" | "answer", mids: string[]): string {
  const head = ["v=0", `o=- ${Date.now()} 2 IN IP4 127.0.0.1`, "s=-", "t=0 0", `a=group:BUNDLE ${mids.join(" ")}`];
  const sections = mids.flatMap((mid) => ["m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", `a=mid:${mid}`, type === "offer" ? "a=sendonly" : "a=recvonly", "a=rtpmap:96 VP8/90000"]);
  return [...head, ...sections].join("\r\n") + "\r\n";
}

const midsOf = (description: string) => [...description.matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]!);

export function createFakeCalls(options: FakeCallsOptions) {
  let sessions = new Map<string, FakeSession>();
  let seen: SeenRequest[] = [];
  let nextMid = 100;

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === "/_fake/state") return json({ sessions: [...sessions.values()] });
    if (path === "/_fake/requests") return json({ requests: seen });
    if (path === "/_fake/reset") {
      sessions = new Map();
      seen = [];
      return json({ ok: true });
    }
    const text = ["GET", "HEAD"].includes(request.method) ? "" : await request.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return failure(400, "invalid_json", "The body is not JSON.");
    }
    seen.push({ method: request.method, path, authorization: request.headers.get("authorization"), body });

    const turn = /^\/v1\/turn\/keys\/([^/]+)\/credentials\/generate-ice-servers$/.exec(path);
    if (turn && request.method === "POST") {
      if (turn[1] !== options.turnKeyId || request.headers.get("authorization") !== `Bearer ${options.turnToken}`) return failure(401, "unauthorized", "Unknown TURN key or token.");
      return json(
        {
          iceServers: [
            { urls: ["stun:stun.cloudflare.com:3478"] },
            { urls: ["turn:turn.cloudflare.com:3478?transport=udp"], username: `fake-${Date.now()}`, credential: "fake-credential" },
          ],
        },
        201,
      );
    }

    const m = /^\/v1\/apps\/([^/]+)\/sessions\/(new|[^/]+)(\/tracks\/new|\/tracks\/close|\/renegotiate)?$/.exec(path);
    if (!m) return failure(404, "not_found", `No such endpoint: ${request.method} ${path}`);
    if (m[1] !== options.appId) return failure(404, "app_not_found", "No such app.");
    if (request.headers.get("authorization") !== `Bearer ${options.secret}`) return failure(401, "unauthorized", "The app secret is wrong.");

    if (m[2] === "new") {
      if (request.method !== "POST") return failure(405, "method_not_allowed", "Use POST.");
      const sessionId = crypto.randomUUID().replaceAll("-", "");
      sessions.set(sessionId, { sessionId, tracks: [], pendingOffer: false });
      const offer = body.sessionDescription as { sdp: string } | undefined;
      return json({ sessionId, ...(offer ? { sessionDescription: { type: "answer", sdp: sdp("answer", midsOf(offer.sdp)) } } : {}) }, 201);
    }
    const session = sessions.get(m[2]!);
    if (!session) return failure(404, "session_not_found", "No such session.");
    const action = m[3];

    if (!action) {
      if (request.method !== "GET") return failure(405, "method_not_allowed", "Use GET.");
      return json({ tracks: session.tracks.map(({ location, mid, trackName, status }) => ({ location, mid, trackName, status })) });
    }
    if (action === "/tracks/new" && request.method === "POST") {
      const tracks = (body.tracks ?? []) as { location: "local" | "remote"; trackName: string; mid?: string; sessionId?: string }[];
      const offer = body.sessionDescription as { type: string; sdp: string } | undefined;
      const local = tracks.filter((t) => t.location === "local");
      const remote = tracks.filter((t) => t.location === "remote");
      if (local.length && offer?.type !== "offer") return failure(400, "missing_offer", "Pushing local tracks needs an SDP offer.");
      const result: Record<string, unknown>[] = [];
      for (const t of local) {
        const mid = t.mid ?? String(nextMid++);
        session.tracks.push({ location: "local", trackName: t.trackName, mid, status: "active" });
        result.push({ trackName: t.trackName, mid, sessionId: session.sessionId });
      }
      for (const t of remote) {
        const source = sessions.get(t.sessionId ?? "")?.tracks.find((s) => s.location === "local" && s.trackName === t.trackName && s.status === "active");
        if (!source) {
          result.push({ trackName: t.trackName, sessionId: t.sessionId, errorCode: "track_not_found", errorDescription: "No such track in that session." });
          continue;
        }
        const mid = String(nextMid++);
        session.tracks.push({ location: "remote", trackName: t.trackName, sessionId: t.sessionId, mid, status: "active" });
        result.push({ trackName: t.trackName, sessionId: t.sessionId, mid });
      }
      const pulled = result.filter((r) => !r.errorCode && r.sessionId !== session.sessionId).map((r) => r.mid as string);
      if (pulled.length) {
        session.pendingOffer = true;
        return json({ requiresImmediateRenegotiation: true, sessionDescription: { type: "offer", sdp: sdp("offer", pulled) }, tracks: result });
      }
      return json({ requiresImmediateRenegotiation: false, ...(offer ? { sessionDescription: { type: "answer", sdp: sdp("answer", midsOf(offer.sdp)) } } : {}), tracks: result });
    }
    if (action === "/renegotiate" && request.method === "PUT") {
      const answer = body.sessionDescription as { type: string } | undefined;
      if (answer?.type !== "answer") return failure(400, "missing_answer", "Renegotiation needs an SDP answer.");
      if (!session.pendingOffer) return failure(400, "no_pending_offer", "There is no offer to answer.");
      session.pendingOffer = false;
      return json({});
    }
    if (action === "/tracks/close" && request.method === "PUT") {
      const mids = ((body.tracks ?? []) as { mid: string }[]).map((t) => t.mid);
      const result = mids.map((mid) => {
        const track = session.tracks.find((t) => t.mid === mid);
        if (!track) return { mid, errorCode: "track_not_found", errorDescription: "No track with that mid." };
        track.status = "inactive";
        return { mid };
      });
      const offer = body.sessionDescription as { type: string; sdp: string } | undefined;
      return json({
        requiresImmediateRenegotiation: false,
        tracks: result,
        ...(offer?.type === "offer" ? { sessionDescription: { type: "answer", sdp: sdp("answer", midsOf(offer.sdp)) } } : {}),
      });
    }
    return failure(405, "method_not_allowed", `${request.method} is not allowed here.`);
  }

  return { fetch: handle };
}
