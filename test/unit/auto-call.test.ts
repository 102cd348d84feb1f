import { describe, expect, it } from "vitest";
import { autoCall } from "../../worker/calls/auto-call";
import { DEFAULT_PHONE_BUTTONS } from "../../worker/calls/media";

// Which call a chat started from the contact form's Voice or Video button starts by itself.

describe("autoCall", () => {
  it("starts the call the customer chose when the room shows its button", () => {
    expect(autoCall("video", DEFAULT_PHONE_BUTTONS)).toBe("video");
    expect(autoCall("voice", DEFAULT_PHONE_BUTTONS)).toBe("voice");
  });

  it("starts nothing for a text chat", () => {
    expect(autoCall("chat", DEFAULT_PHONE_BUTTONS)).toBeNull();
  });

  it("falls back from video to voice in a room with video off, and to text with neither", () => {
    expect(autoCall("video", { ...DEFAULT_PHONE_BUTTONS, video: false })).toBe("voice");
    expect(autoCall("video", { ...DEFAULT_PHONE_BUTTONS, video: false, voice: false })).toBeNull();
  });

  it("never turns a voice chat into video when the room hides Voice", () => {
    expect(autoCall("voice", { ...DEFAULT_PHONE_BUTTONS, voice: false })).toBeNull();
  });
});
