import { describe, expect, it } from "vitest";
import { renderFrame } from "../../durable-objects/chat/frames";
import type { ChatInit } from "../../worker/live/contracts";

// The one place where what the ChatDO and its slices send becomes a socket frame: HTML fragments
// addressed to this chat's elements, and JSON messages as binary frames.

const init = { chatId: "chat-1", customer: { name: "Carla", email: null, phone: null, message: null }, agentRole: "Agent" } as ChatInit;

describe("renderFrame", () => {
  it("turns a refusal into the page's toast, escaped", () => {
    const html = renderFrame(init, { type: "error", text: "No <b>way</b>" }) as string;
    expect(html).toContain('id="socket-error"');
    expect(html).toContain("No &lt;b&gt;way&lt;/b&gt;");
  });

  it("adds notices and lines to this chat's transcript, and a line clears the typing preview", () => {
    expect(renderFrame(init, { type: "notice", text: "Back online.", tone: "ok" })).toContain('hx-swap-oob="beforeend:#transcript-chat-1"');
    const line = renderFrame(init, { type: "line", line: { seq: 3, sender: "customer", body: "hi & bye", at: 0 }, name: "Carla" }) as string;
    expect(line).toContain("<p>hi &amp; bye</p>");
    expect(line).toContain('<div id="typing-chat-1" class="typing"></div>');
  });

  it("sends a message for a controller as a binary frame of JSON with its type", () => {
    const frame = renderFrame(init, { type: "message", message: { type: "remote.pointer", point: [0.5, 0.25] } });
    expect(frame).toBeInstanceOf(ArrayBuffer);
    expect(JSON.parse(new TextDecoder().decode(frame as ArrayBuffer))).toEqual({ type: "remote.pointer", point: [0.5, 0.25] });
  });
});
