import type { RecordingState } from "../../worker/live/recording-rules";
import { SocketAction } from "./SocketAction";
import { toHtml } from "./render";
import type { Party } from "../../worker/live/contracts";

// Recording of a chat: the customer's consent prompt and the agent's recorder. The agent's
// recorder controller (static/controllers/recorder_controller.js) sits on a wrapper that is never
// swapped, so a new panel from the server does not interrupt a recording; which of its buttons
// show follows the wrapper's data-state (idle, recording, paused), set by the controller.

export type RecordingPanelView = {
  chatId: string;
  party: Party;
  /** The room shows the Video Recording button. */
  enabled: boolean;
  status: "waiting" | "connected" | "ended";
  state: RecordingState | null;
  names: Record<Party, string>;
};

/** The agent console's place for one chat's recorder: the server's panel and this browser's files. */
export function RecordingSlot({ chatId }: { chatId: string }) {
  return (
    <section class="recording-slot" data-controller="recorder" data-recorder-chat-value={chatId} data-state="idle">
      <div id={`recording-${chatId}`}></div>
      <ol class="recording-segments" data-recorder-target="segments" aria-label="Recordings of this chat"></ol>
    </section>
  );
}

function AgentPanel({ view }: { view: RecordingPanelView }) {
  const { chatId, state, names } = view;
  const id = `recording-${chatId}`;
  if (!view.enabled || view.status === "waiting") return <div id={id}></div>;
  if (view.status === "ended") {
    return (
      <div id={id} class="recording-panel" data-recorder-target="panel" data-ended="true">
        {state?.consent === "allowed" ? <p class="muted small">The chat has ended, and so has its recording. Every part is listed below and in Chat View.</p> : null}
      </div>
    );
  }
  if (!state) {
    return (
      <div id={id} class="recording-panel">
        <div class="recording-ask">
          <SocketAction type="recording" action="ask" label="● Record" />
          <span class="muted small">{names.customer} is asked for consent first.</span>
        </div>
      </div>
    );
  }
  if (state.consent === "pending") {
    return (
      <div id={id} class="recording-panel">
        <p class="recording-note">Waiting for {names.customer} to allow recording…</p>
      </div>
    );
  }
  if (state.consent === "refused") {
    return (
      <div id={id} class="recording-panel">
        <p class="recording-note warn">{names.customer} refused recording. This chat cannot be recorded.</p>
      </div>
    );
  }
  return (
    <div id={id} class="recording-panel recorder" data-recorder-target="panel" data-ended="false">
      <div class="recorder-head">
        <span class="rec-dot" aria-hidden="true"></span>
        <strong data-recorder-target="status">Ready to record</strong>
        <span class="rec-clock" data-recorder-target="clock">0:00</span>
      </div>
      <p class="muted small" data-recorder-target="hint">
        {names.customer} allowed recording. Start, then choose the screen, window or tab to record; your microphone is added if you allow it.
      </p>
      <div class="recorder-controls">
        <button type="button" class="btn btn-small btn-primary rec-start" data-action="recorder#start">
          ● Start recording
        </button>
        <button type="button" class="btn btn-small btn-ghost rec-pause" data-action="recorder#pause">
          Pause
        </button>
        <button type="button" class="btn btn-small btn-primary rec-resume" data-action="recorder#resume">
          Resume
        </button>
        <button type="button" class="btn btn-small btn-danger rec-stop" data-action="recorder#stop">
          ■ Stop
        </button>
      </div>
      {/* The recorder reports what it does through the chat's socket, for the customer's screen. */}
      <form ws-send hidden data-recorder-target="report">
        <input type="hidden" name="type" value="recording" />
        <input type="hidden" name="action" value="start" data-recorder-target="action" />
      </form>
    </div>
  );
}

function CustomerPanel({ view }: { view: RecordingPanelView }) {
  const { chatId, state, names } = view;
  const id = `recording-${chatId}`;
  if (!view.enabled || !state) return <div id={id}></div>;
  if (state.consent === "pending") {
    if (view.status !== "connected") return <div id={id}></div>;
    return (
      <div id={id} class="recording-consent" role="alertdialog" aria-labelledby={`${id}-ask`}>
        <p id={`${id}-ask`}>
          <strong>{names.agent} asks to record this chat.</strong> The recording (what is on {names.agent}'s screen and the sound of your call) is
          kept with this chat's record.
        </p>
        <div class="recording-answer">
          <SocketAction type="recording" action="allow" label="Allow recording" primary />
          <SocketAction type="recording" action="refuse" label="Refuse" />
        </div>
      </div>
    );
  }
  if (state.consent === "refused") {
    return (
      <div id={id} class="recording-panel">
        <p class="recording-note">You refused recording. This chat is not recorded.</p>
      </div>
    );
  }
  const live = view.status === "connected" && state.recorder !== "idle";
  return (
    <div id={id} class="recording-panel">
      <p class={live && state.recorder === "recording" ? "recording-note live" : "recording-note"}>
        {!live ? "You allowed recording." : state.recorder === "recording" ? "● This chat is being recorded." : "Recording is paused."}
      </p>
    </div>
  );
}

export const recordingPanel = (view: RecordingPanelView) => toHtml(view.party === "agent" ? <AgentPanel view={view} /> : <CustomerPanel view={view} />);
