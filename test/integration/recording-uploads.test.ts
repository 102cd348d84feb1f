import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { Browser } from "./client";
import { signedIn } from "./fixtures";
import { connectedChat, setRoom, team, type Agent } from "./live";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";

// The parts an agent records are uploaded to R2 (the FILES bucket of wrangler.toml, Miniflare's
// here) by the chat's agent once the customer allowed recording, and read back only by
// those who may read the chat's record: its agent and the company's administrators.

afterEach(() => closeAllSockets());

/** The first bytes of every WebM file (the EBML header), and a little more. */
const WEBM = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01]);

/** Uploads a part the way the recorder does: PUT, the CSRF header, the part's type and duration. */
async function upload(
  browser: Browser,
  chatId: string,
  segment: number,
  { body = WEBM as BodyInit, type = "video/webm;codecs=vp9,opus", headers = {} as Record<string, string> } = {},
) {
  if (!browser.cookie("parley_csrf")) await browser.get("/login");
  return browser.fetch(`/chats/${chatId}/recordings/${segment}`, {
    method: "PUT",
    body,
    headers: { "content-type": type, "x-csrf-token": browser.cookie("parley_csrf") ?? "", "x-duration-ms": "3000", accept: "application/json", ...headers },
  });
}

const recordingRows = (chatId: string) =>
  env.DB.prepare("select segment, user_id, bytes, duration_ms, mime_type, r2_key from recordings where chat_id = ? order by segment").bind(chatId).all();

async function allowRecording(agentSocket: LiveSocket, customerSocket: LiveSocket, answer: "allow" | "refuse" = "allow") {
  agentSocket.send({ type: "recording", action: "ask" });
  await customerSocket.next((f) => f.includes("asks to record this chat"), "the consent prompt");
  customerSocket.send({ type: "recording", action: answer });
  await agentSocket.next(frames.notice(answer === "allow" ? "allowed this chat to be recorded" : "refused recording"), "the answer");
}

/** A company with a recording room, Alice in a connected chat and Bob, another agent. */
async function recordedChat(slug: string, consent: "allow" | "refuse" | null = "allow") {
  const { company, agents } = await team(slug, ["Alice Martin", "Bob Stone"]);
  const [alice, bob] = agents as [Agent, Agent];
  await setRoom(slug, "GENERAL", "phone_recording = 1");
  const { chat, agentSocket, customerSocket } = await connectedChat(alice, await alice.online());
  if (consent) await allowRecording(agentSocket, customerSocket, consent);
  return { company, alice, bob, chat, customerSocket };
}

describe("PUT /chats/:id/recordings/:segment", () => {
  it("keeps the chat agent's part in R2, records it in D1, and replaces it when the same part is sent again", async () => {
    const { alice, chat } = await recordedChat("upload-ok");
    const res = await upload(alice.browser, chat.id, 1);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ chatId: chat.id, segment: 1, bytes: WEBM.length });
    const key = `recordings/${alice.company.id}/${chat.id}/1.webm`;
    expect((await recordingRows(chat.id)).results).toEqual([{ segment: 1, user_id: alice.id, bytes: WEBM.length, duration_ms: 3000, mime_type: "video/webm", r2_key: key }]);
    const stored = await env.FILES.get(key);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(WEBM);

    const longer = new Uint8Array([...WEBM, 0, 0, 0]);
    expect((await upload(alice.browser, chat.id, 1, { body: longer })).status).toBe(201);
    expect((await upload(alice.browser, chat.id, 2)).status).toBe(201);
    expect((await recordingRows(chat.id)).results.map((r) => [r.segment, r.bytes])).toEqual([
      [1, longer.length],
      [2, WEBM.length],
    ]);
  });

  it("refuses a part before the customer allowed recording, and after a refusal", async () => {
    const asked = await recordedChat("upload-unasked", null);
    const res = await upload(asked.alice.browser, asked.chat.id, 1);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe("The customer has not allowed this chat to be recorded.");
    const refused = await recordedChat("upload-refused", "refuse");
    expect((await upload(refused.alice.browser, refused.chat.id, 1)).status).toBe(409);
    expect((await recordingRows(asked.chat.id)).results).toEqual([]);
    expect((await recordingRows(refused.chat.id)).results).toEqual([]);
  });

  it("refuses a part from anyone but the chat's agent: another agent, the administrator, the customer", async () => {
    const { company, bob, chat } = await recordedChat("upload-others");
    expect((await upload(bob.browser, chat.id, 1)).status).toBe(404);
    expect((await upload(await signedIn(`boss@${company.slug}.test`), chat.id, 1)).status).toBe(404);
    const customer = new Browser();
    const anonymous = await upload(customer, chat.id, 1, { headers: { cookie: `parley_chat=${chat.token}` } });
    expect(anonymous.status).toBe(401);
    expect((await recordingRows(chat.id)).results).toEqual([]);
  });

  it("refuses what is not a WebM video, a part without a length or over the size limit, and a missing CSRF token", async () => {
    const { alice, chat } = await recordedChat("upload-bad");
    const notWebm = await upload(alice.browser, chat.id, 1, { type: "video/mp4" });
    expect(notWebm.status).toBe(415);
    expect(((await notWebm.json()) as { error: string }).error).toBe("Recordings are uploaded as WebM video (video/webm).");
    expect((await upload(alice.browser, chat.id, 1, { body: new Uint8Array() })).status).toBe(411);
    const huge = await upload(alice.browser, chat.id, 1, {
      body: new ReadableStream({ start: (c) => (c.enqueue(WEBM), c.close()) }),
      headers: { "content-length": String(100 * 1024 * 1024 + 1) },
    });
    expect(huge.status).toBe(413);
    expect((await upload(alice.browser, chat.id, 0)).status).toBe(404);
    const noCsrf = await alice.browser.fetch(`/chats/${chat.id}/recordings/1`, { method: "PUT", body: WEBM, headers: { "content-type": "video/webm" } });
    expect(noCsrf.status).toBe(403);
    expect((await recordingRows(chat.id)).results).toEqual([]);
  });
});

describe("GET /chats/:id/recordings/:segment", () => {
  it("streams the part to the chat's agent and the company's administrator as a WebM download", async () => {
    const { company, alice, chat } = await recordedChat("download-ok");
    await upload(alice.browser, chat.id, 1);
    for (const reader of [alice.browser, await signedIn(`boss@${company.slug}.test`)]) {
      const res = await reader.get(`/chats/${chat.id}/recordings/1`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("video/webm");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="chat-${chat.id.slice(0, 8)}-part-1.webm"`);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(WEBM);
    }
  });

  it("hides the part from another agent, another company's administrator, the customer and anonymous visitors", async () => {
    const { bob, alice, chat } = await recordedChat("download-hidden");
    await upload(alice.browser, chat.id, 1);
    const other = await team("download-elsewhere", ["Eve Other"]);
    expect((await bob.browser.get(`/chats/${chat.id}/recordings/1`)).status).toBe(404);
    expect((await (await signedIn(`boss@${other.company.slug}.test`)).get(`/chats/${chat.id}/recordings/1`)).status).toBe(404);
    const customer = await new Browser().fetch(`/chats/${chat.id}/recordings/1`, { headers: { cookie: `parley_chat=${chat.token}` } });
    expect(customer.status).toBe(302);
    expect(customer.headers.get("location")).toContain("/login");
    expect((await alice.browser.get(`/chats/${chat.id}/recordings/2`)).status).toBe(404);
  });
});
