import { createExecutionContext, env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import app from "../../worker/index";
import { TEST_CALLS, type FakeSession, type SeenRequest } from "../fakes/calls";
import { Browser } from "./client";
import { connectedChat, Customer, team, type Agent } from "./live";
import { closeAllSockets, type LiveSocket } from "./sockets";

// The Worker's proxy to Cloudflare Calls, against the fake Calls at http://calls.fake. The Worker
// under test is the app with Calls configured; chats started through it keep the Calls path.

const callsEnv = {
  ...env,
  CALLS_APP_ID: TEST_CALLS.appId,
  CALLS_APP_SECRET: TEST_CALLS.secret,
  CALLS_API_BASE: "http://calls.fake/v1",
  TURN_KEY_ID: TEST_CALLS.turnKeyId,
  TURN_KEY_API_TOKEN: TEST_CALLS.turnToken,
};
const callsWorker = { fetch: async (request: Request) => app.fetch(request, callsEnv, createExecutionContext()) };
const plainWorker = { fetch: async (request: Request) => app.fetch(request, env, createExecutionContext()) };

const OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\na=msid:stream cam-1\r\n";

/** One party's requests to the proxy, as its page makes them (cookies, CSRF header, JSON). */
function party(cookie: string, worker = callsWorker) {
  return async (method: "GET" | "POST" | "PUT", path: string, body?: unknown) => {
    const res = await worker.fetch(
      new Request(`https://parley.test${path}`, {
        method,
        headers: { cookie: `${cookie}; parley_csrf=t0ken`, "x-csrf-token": "t0ken", accept: "application/json", "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string } };
  };
}

const fake = async <T>(what: "state" | "requests") => (await (await fetch(`http://calls.fake/_fake/${what}`)).json()) as T;
const seenCount = async () => (await fake<{ requests: SeenRequest[] }>("requests")).requests.length;

async function callsChat(slug: string) {
  const { agents } = await team(slug, ["Alice Martin"]);
  const agent: Agent = agents[0];
  const console = await agent.online();
  const customer = new Customer(undefined, new Browser(callsWorker));
  const chat = await connectedChat(agent, console, `/c/${slug}/GENERAL`, customer);
  const asCustomer = party(`parley_chat=${chat.chat.token}`);
  const asAgent = party(`parley_session=${agent.browser.cookie("parley_session")}`);
  const base = `/chats/${chat.chat.id}/calls`;
  return { ...chat, agent, asCustomer, asAgent, base };
}

const declare = (socket: LiveSocket, clientId: string, tracks: { name: string; kind: "mic" | "camera" | "screen" }[]) =>
  socket.send({ type: "media", clientId, tracks, micMuted: false, cameraMuted: false });

afterEach(() => closeAllSockets());

describe("the Cloudflare Calls proxy under /chats/{id}/calls", () => {
  it("lets each party open its own session, push the tracks it declared and pull the other's, with the secret added by the Worker", async () => {
    const { asCustomer, asAgent, base, customerSocket, agentSocket } = await callsChat("calls-ok-co");
    declare(customerSocket, "customer-page-1", [{ name: "cam-1", kind: "camera" }]);
    await agentSocket.next((f) => f.includes("call-state-") && f.includes("camera on"), "the customer's camera in the call state");

    const mine = await asCustomer("POST", `${base}/sessions/new`);
    expect(mine.status).toBe(201);
    const customerSession = mine.body.sessionId as string;
    // The agent's page learns where to pull the customer's tracks from.
    await agentSocket.next((f) => f.includes(`&quot;peerSessionId&quot;:&quot;${customerSession}&quot;`), "the customer's Calls session");

    const pushed = await asCustomer("POST", `${base}/sessions/${customerSession}/tracks/new`, {
      sessionDescription: { type: "offer", sdp: OFFER },
      tracks: [{ location: "local", trackName: "cam-1", mid: "0" }],
    });
    expect(pushed.status).toBe(200);
    expect(pushed.body.sessionDescription).toMatchObject({ type: "answer" });

    const theirs = await asAgent("POST", `${base}/sessions/new`);
    expect(theirs.status).toBe(201);
    const agentSession = theirs.body.sessionId as string;
    const pulled = await asAgent("POST", `${base}/sessions/${agentSession}/tracks/new`, {
      tracks: [{ location: "remote", trackName: "cam-1", sessionId: customerSession }],
    });
    expect(pulled.status).toBe(200);
    expect(pulled.body).toMatchObject({ requiresImmediateRenegotiation: true, sessionDescription: { type: "offer" } });
    const answered = await asAgent("PUT", `${base}/sessions/${agentSession}/renegotiate`, { sessionDescription: { type: "answer", sdp: OFFER } });
    expect(answered.status).toBe(200);
    const closed = await asCustomer("PUT", `${base}/sessions/${customerSession}/tracks/close`, { tracks: [{ mid: "0" }], force: true });
    expect(closed.status).toBe(200);

    const { sessions } = await fake<{ sessions: FakeSession[] }>("state");
    expect(sessions.find((s) => s.sessionId === customerSession)?.tracks).toEqual([{ location: "local", trackName: "cam-1", mid: "0", status: "inactive" }]);
    expect(sessions.find((s) => s.sessionId === agentSession)?.tracks).toMatchObject([{ location: "remote", trackName: "cam-1", sessionId: customerSession }]);
    const { requests } = await fake<{ requests: SeenRequest[] }>("requests");
    expect(requests.filter((r) => r.path.includes("/sessions/")).every((r) => r.authorization === `Bearer ${TEST_CALLS.secret}`)).toBe(true);
  });

  it("gives TURN credentials from the TURN service", async () => {
    const { asCustomer, base } = await callsChat("calls-turn-co");
    const res = await asCustomer("GET", `${base}/ice-servers`);
    expect(res.status).toBe(200);
    expect(res.body.iceServers).toContainEqual(expect.objectContaining({ username: expect.any(String), credential: "fake-credential" }));
  });

  it("refuses a stranger: another chat's customer, no proof at all, and an agent who is not in the chat", async () => {
    const { base } = await callsChat("calls-stranger-co");
    const other = await new Customer(undefined, new Browser(callsWorker)).startChat("/c/calls-stranger-co/GENERAL");
    const before = await seenCount();
    for (const stranger of [party(`parley_chat=${other.token}`), party("nothing=here")]) {
      const res = await stranger("POST", `${base}/sessions/new`);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe("We could not find that chat.");
    }
    const { agents } = await team("calls-stranger-two", ["Bob Stone"]);
    const res = await party(`parley_session=${agents[0].browser.cookie("parley_session")}`)("POST", `${base}/sessions/new`);
    expect(res.status).toBe(404);
    expect(await seenCount()).toBe(before);
  });

  it("refuses a party touching the other party's session, pushing a track it never declared, or pulling what the other party does not send", async () => {
    const { asCustomer, asAgent, base, customerSocket } = await callsChat("calls-own-co");
    declare(customerSocket, "customer-page-2", [{ name: "cam-2", kind: "camera" }]);
    const agentSession = (await asAgent("POST", `${base}/sessions/new`)).body.sessionId as string;
    const customerSession = (await asCustomer("POST", `${base}/sessions/new`)).body.sessionId as string;
    const before = await seenCount();

    const theirs = await asCustomer("POST", `${base}/sessions/${agentSession}/tracks/new`, { tracks: [{ location: "remote", trackName: "cam-2", sessionId: customerSession }] });
    expect(theirs).toEqual({ status: 403, body: { result: "ERROR", error: "That Calls session is not yours." } });
    const closeTheirs = await asCustomer("PUT", `${base}/sessions/${agentSession}/tracks/close`, { tracks: [{ mid: "0" }] });
    expect(closeTheirs.status).toBe(403);

    const undeclared = await asCustomer("POST", `${base}/sessions/${customerSession}/tracks/new`, {
      sessionDescription: { type: "offer", sdp: OFFER },
      tracks: [{ location: "local", trackName: "screen-9", mid: "1" }],
    });
    expect(undeclared.status).toBe(403);
    expect(undeclared.body.error).toBe("Start voice, video or screen sharing with the buttons of this chat.");

    const notSent = await asAgent("POST", `${base}/sessions/${agentSession}/tracks/new`, { tracks: [{ location: "remote", trackName: "mic-7", sessionId: customerSession }] });
    expect(notSent.status).toBe(403);
    expect(notSent.body.error).toBe("That track is not the other party's in this chat.");
    expect(await seenCount()).toBe(before);
  });

  it("answers 404 with a reason when Calls is not configured on the server", async () => {
    const { chat } = await callsChat("calls-off-co");
    const res = await party(`parley_chat=${chat.token}`, plainWorker)("POST", `/chats/${chat.id}/calls/sessions/new`);
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("Cloudflare Calls is not configured on this server: calls connect peer to peer.");
  });
});
