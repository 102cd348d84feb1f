// The rules of recording a chat, kept pure: the agent asks, the customer allows or refuses (once:
// a refusal is final for the chat), and only an allowed chat may be recorded. The agent's browser
// records (getDisplayMedia); it reports start, pause, resume and stop so the customer sees them.

export type Consent = "pending" | "allowed" | "refused";
export type Recorder = "idle" | "recording" | "paused";

export type RecordingState = { consent: Consent; askedAt: number; answeredAt: number | null; recorder: Recorder };

export type RecordingAction = "ask" | "allow" | "refuse" | "start" | "pause" | "resume" | "stop";

export type RecordingContext = {
  party: "customer" | "agent";
  /** The room's Video Recording button (phone customization). */
  enabled: boolean;
  connected: boolean;
  now: number;
};

export type RecordingStep = { state: RecordingState } | { error: string };

const CUSTOMER_ACTIONS = new Set<RecordingAction>(["allow", "refuse"]);

/** What `action` does to the chat's recording, or why it is refused (a sentence for the sender). */
export function recordingStep(state: RecordingState | null, action: RecordingAction, ctx: RecordingContext): RecordingStep {
  if (!ctx.enabled) return { error: "Video recording is not available in this chat room." };
  const customerAction = CUSTOMER_ACTIONS.has(action);
  if (customerAction && ctx.party !== "customer") return { error: "Only the customer can answer a recording request." };
  if (!customerAction && ctx.party !== "agent") return { error: "Only the agent can record a chat." };
  // Stopping is always possible: the chat may have ended while the recorder ran.
  if (action === "stop") return state?.consent === "allowed" ? { state: { ...state, recorder: "idle" } } : { error: "Nothing is being recorded." };
  if (!ctx.connected) return { error: "Recording is possible only during a connected chat." };
  switch (action) {
    case "ask":
      if (state?.consent === "pending") return { error: "The customer has not answered yet." };
      if (state?.consent === "allowed") return { error: "The customer has already allowed recording." };
      if (state?.consent === "refused") return { error: "The customer refused recording in this chat." };
      return { state: { consent: "pending", askedAt: ctx.now, answeredAt: null, recorder: "idle" } };
    case "allow":
    case "refuse":
      if (state?.consent !== "pending") return { error: "There is no recording request to answer." };
      return { state: { ...state, consent: action === "allow" ? "allowed" : "refused", answeredAt: ctx.now } };
    case "start":
    case "resume":
      if (state?.consent !== "allowed") return { error: "Recording needs the customer's consent first." };
      return { state: { ...state, recorder: "recording" } };
    case "pause":
      if (state?.consent !== "allowed" || state.recorder === "idle") return { error: "Nothing is being recorded." };
      return { state: { ...state, recorder: "paused" } };
  }
}
