import { describe, expect, it } from "vitest";
import { chatMessage, MAX_TEXT, parseChatFrame, plainText } from "../../worker/live/socket-messages";

// A chat's texts are read without the schema (plainText); whatever that reads, the schema must
// read the same way, and whatever it declines goes to the schema.

const texts: unknown[] = [
  { type: "text", text: "hello" },
  { type: "text", text: "  padded \n" },
  { type: "text", text: "x".repeat(MAX_TEXT) },
  { type: "text", text: ` ${"x".repeat(MAX_TEXT)} ` },
  { type: "text", text: "with headers", HEADERS: { "HX-Request": "true", "HX-Trigger": "composer-1" } },
  { type: "text", text: "extra keys are stripped", extra: 1, HEADERS: {} },
];
const declined: unknown[] = [
  { type: "text", text: "   " },
  { type: "text", text: "" },
  { type: "text", text: "x".repeat(MAX_TEXT + 1) },
  { type: "text", text: 42 },
  { type: "text" },
  { type: "text", text: "bad headers", HEADERS: null },
  { type: "text", text: "bad headers", HEADERS: ["a"] },
  { type: "text", text: "bad headers", HEADERS: "x" },
  { type: "typing", text: "not a text" },
  ["text"],
  "text",
  null,
];

describe("plainText", () => {
  it("reads a text exactly as the schema does", () => {
    for (const data of texts) {
      const parsed = chatMessage.safeParse(data);
      expect(parsed.success, JSON.stringify(data)).toBe(true);
      expect(plainText(data), JSON.stringify(data)).toEqual(parsed.data);
    }
  });

  it("leaves everything else to the schema", () => {
    for (const data of declined) expect(plainText(data), JSON.stringify(data)).toBeNull();
  });
});

describe("parseChatFrame", () => {
  it("gives a text, and the schema's refusals in the sender's words", () => {
    expect(parseChatFrame('{"type":"text","text":" hi "}')).toEqual({ ok: true, message: { type: "text", text: "hi" } });
    expect(parseChatFrame(JSON.stringify({ type: "text", text: "x".repeat(MAX_TEXT + 1) }))).toEqual({ ok: false, error: `Messages can be at most ${MAX_TEXT} characters.` });
    expect(parseChatFrame('{"type":"text","text":"   "}')).toEqual({ ok: false, error: "That message could not be understood." });
    expect(parseChatFrame('{"type":"text","text":"\\ud800"}')).toEqual({ ok: false, error: "That message holds characters that cannot be sent." });
    expect(parseChatFrame('{"type":"typing","text":"h"}')).toEqual({ ok: true, message: { type: "typing", text: "h" } });
  });
});
