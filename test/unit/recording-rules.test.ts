import { describe, expect, it } from "vitest";
import { recordingStep, type RecordingContext, type RecordingState } from "../../worker/live/recording-rules";

// The consent rules of recording, step by step: who may do what, and when.

const agent: RecordingContext = { party: "agent", enabled: true, connected: true, now: 1_000 };
const customer: RecordingContext = { ...agent, party: "customer", now: 2_000 };
const state = (step: ReturnType<typeof recordingStep>): RecordingState => {
  if ("error" in step) throw new Error(step.error);
  return step.state;
};

describe("recordingStep", () => {
  it("goes ask → allow → start → pause → resume → stop, keeping when it was asked and answered", () => {
    const asked = state(recordingStep(null, "ask", agent));
    expect(asked).toEqual({ consent: "pending", askedAt: 1_000, answeredAt: null, recorder: "idle" });
    const allowed = state(recordingStep(asked, "allow", customer));
    expect(allowed).toEqual({ consent: "allowed", askedAt: 1_000, answeredAt: 2_000, recorder: "idle" });
    const recording = state(recordingStep(allowed, "start", agent));
    expect(state(recordingStep(recording, "pause", agent)).recorder).toBe("paused");
    expect(state(recordingStep(recording, "resume", agent)).recorder).toBe("recording");
    expect(state(recordingStep(recording, "stop", agent)).recorder).toBe("idle");
  });

  it("makes a refusal final: no start and no second request", () => {
    const refused = state(recordingStep(state(recordingStep(null, "ask", agent)), "refuse", customer));
    expect(refused.consent).toBe("refused");
    expect(recordingStep(refused, "start", agent)).toEqual({ error: "Recording needs the customer's consent first." });
    expect(recordingStep(refused, "ask", agent)).toEqual({ error: "The customer refused recording in this chat." });
  });

  it("refuses everything in a room that hides the button, and each party the other's actions", () => {
    expect(recordingStep(null, "ask", { ...agent, enabled: false })).toEqual({ error: "Video recording is not available in this chat room." });
    expect(recordingStep(null, "ask", customer)).toEqual({ error: "Only the agent can record a chat." });
    const asked = state(recordingStep(null, "ask", agent));
    expect(recordingStep(asked, "allow", agent)).toEqual({ error: "Only the customer can answer a recording request." });
    expect(recordingStep(null, "allow", customer)).toEqual({ error: "There is no recording request to answer." });
  });

  it("lets a recorder stop after the chat ended, but nothing else", () => {
    const recording: RecordingState = { consent: "allowed", askedAt: 1, answeredAt: 2, recorder: "recording" };
    const ended = { ...agent, connected: false };
    expect(state(recordingStep(recording, "stop", ended)).recorder).toBe("idle");
    expect(recordingStep({ ...recording, recorder: "idle" }, "start", ended)).toEqual({ error: "Recording is possible only during a connected chat." });
  });
});
