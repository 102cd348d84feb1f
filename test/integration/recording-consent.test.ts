import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { connectedChat, setRoom, team } from "./live";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";

// Recording a chat needs the customer's consent, asked in the chat by the agent of a room whose
// phone customization shows the Video Recording button (default OFF). The answer is kept in the
// chat's Durable Object and in D1 with an audit event; a refusal is final.

afterEach(() => closeAllSockets());

const consentRow = (chatId: string) =>
  env.DB.prepare("select agent_id, answer, asked_at, answered_at from recording_consents where chat_id = ?")
    .bind(chatId)
    .first<{ agent_id: string; answer: string; asked_at: number; answered_at: number }>();

const auditRows = (chatId: string) =>
  env.DB.prepare("select action, user_id, detail from audit_events where subject = ? and action like 'recording.%'").bind(chatId).all();

const recordingFrame = (chatId: string) => (f: string) => f.includes(`id="recording-${chatId}"`);

/** A connected chat in a room of `slug` that shows the Video Recording button (unless `enabled` is false). */
async function chatInRecordingRoom(slug: string, enabled = true) {
  const { agents: [alice] } = await team(slug, ["Alice Martin"]);
  await setRoom(slug, "GENERAL", `phone_recording = ${enabled ? 1 : 0}`);
  const console = await alice.online();
  return { alice, ...(await connectedChat(alice, console)) };
}

async function ask(agentSocket: LiveSocket, customerSocket: LiveSocket, chatId: string) {
  agentSocket.send({ type: "recording", action: "ask" });
  const prompt = await customerSocket.next((f) => recordingFrame(chatId)(f) && f.includes("asks to record this chat"), "the consent prompt");
  await agentSocket.next((f) => recordingFrame(chatId)(f) && f.includes("Waiting for Carla Customer to allow recording"), "the agent's waiting note");
  return prompt;
}

describe("asking the customer's consent to record", () => {
  it("offers the agent a Record button only in a room that shows Video Recording", async () => {
    const on = await chatInRecordingRoom("rec-button-on");
    expect(on.agentSocket.log.at(-1)).toContain("● Record");
    const off = await chatInRecordingRoom("rec-button-off", false);
    expect(off.agentSocket.log.at(-1)).toContain(`<div id="recording-${off.chat.id}"></div>`);
    expect(off.agentSocket.log.at(-1)).not.toContain("● Record");
  });

  it("asks the customer in the chat, and records an Allow in the chat's storage, D1 and the audit log", async () => {
    const { alice, chat, agentSocket, customerSocket } = await chatInRecordingRoom("rec-allow");
    const prompt = await ask(agentSocket, customerSocket, chat.id);
    expect(prompt).toContain("Alice Martin asks to record this chat.");
    expect(prompt).toContain('value="allow"');
    expect(prompt).toContain('value="refuse"');

    customerSocket.send({ type: "recording", action: "allow" });
    await customerSocket.next(frames.notice("Carla Customer allowed this chat to be recorded."), "the customer's notice");
    await agentSocket.next(frames.notice("Carla Customer allowed this chat to be recorded."), "the agent's notice");
    const controls = await agentSocket.next(recordingFrame(chat.id), "the recorder");
    expect(controls).toContain("Start recording");
    expect(controls).toContain('data-action="recorder#stop"');

    const row = await consentRow(chat.id);
    expect(row).toMatchObject({ agent_id: alice.id, answer: "allowed" });
    expect(row!.answered_at).toBeGreaterThanOrEqual(row!.asked_at);
    const audit = (await auditRows(chat.id)).results;
    expect(audit).toEqual([{ action: "recording.allowed", user_id: null, detail: JSON.stringify({ agentId: alice.id }) }]);

    // The agent's recorder tells the customer when it records.
    agentSocket.send({ type: "recording", action: "start" });
    await customerSocket.next((f) => recordingFrame(chat.id)(f) && f.includes("● This chat is being recorded."), "the recording indicator");
    agentSocket.send({ type: "recording", action: "pause" });
    await customerSocket.next((f) => recordingFrame(chat.id)(f) && f.includes("Recording is paused."), "the paused indicator");
  });

  it("keeps the answer across a refresh of either page", async () => {
    const { alice, chat, agentSocket, customerSocket } = await chatInRecordingRoom("rec-refresh");
    await ask(agentSocket, customerSocket, chat.id);
    const again = await chat.socket();
    expect(again.log[0]).toContain("asks to record this chat");
    again.send({ type: "recording", action: "allow" });
    await agentSocket.next(recordingFrame(chat.id), "the recorder");
    const agentAgain = await alice.chat(chat.id);
    expect(agentAgain.log[0]).toContain("Start recording");
  });

  it("records a refusal, tells the agent, and lets recording neither start nor be asked again", async () => {
    const { alice, chat, agentSocket, customerSocket } = await chatInRecordingRoom("rec-refuse");
    await ask(agentSocket, customerSocket, chat.id);
    customerSocket.send({ type: "recording", action: "refuse" });
    const note = await agentSocket.next((f) => recordingFrame(chat.id)(f) && f.includes("refused recording"), "the refusal");
    expect(note).toContain("Carla Customer refused recording. This chat cannot be recorded.");
    expect(note).not.toContain("Start recording");
    expect(await consentRow(chat.id)).toMatchObject({ agent_id: alice.id, answer: "refused" });
    expect((await auditRows(chat.id)).results).toMatchObject([{ action: "recording.refused" }]);

    agentSocket.send({ type: "recording", action: "start" });
    await agentSocket.next(frames.error("Recording needs the customer&#39;s consent first."), "the refused start");
    agentSocket.send({ type: "recording", action: "ask" });
    await agentSocket.next(frames.error("The customer refused recording in this chat."), "the refused second request");
    await customerSocket.nothing((f) => f.includes("asks to record this chat"), "a second prompt");
  });

  it("refuses a consent request when the room hides the Video Recording button, and writes nothing", async () => {
    const { chat, agentSocket, customerSocket } = await chatInRecordingRoom("rec-hidden", false);
    agentSocket.send({ type: "recording", action: "ask" });
    await agentSocket.next(frames.error("Video recording is not available in this chat room."), "the refusal");
    await customerSocket.nothing(recordingFrame(chat.id), "a consent prompt");
    expect(await consentRow(chat.id)).toBeNull();
  });

  it("lets only the customer answer, and only the agent ask or record", async () => {
    const { chat, agentSocket, customerSocket } = await chatInRecordingRoom("rec-parties");
    customerSocket.send({ type: "recording", action: "ask" });
    await customerSocket.next(frames.error("Only the agent can record a chat."), "the customer's refused request");
    await ask(agentSocket, customerSocket, chat.id);
    agentSocket.send({ type: "recording", action: "allow" });
    await agentSocket.next(frames.error("Only the customer can answer a recording request."), "the agent's refused answer");
    expect(await consentRow(chat.id)).toBeNull();
    customerSocket.send({ type: "recording", action: "start" });
    await customerSocket.next(frames.error("Only the agent can record a chat."), "the customer's refused start");
  });
});
