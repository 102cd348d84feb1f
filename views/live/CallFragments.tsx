import type { CallView } from "../../worker/live/chat-views";
import { autoCall } from "../../worker/calls/auto-call";
import { toHtml } from "./render";
import { RemoteControlSlot } from "./RemoteControlFragments";

// The call area of a connected chat, for both parties: the video stage, the explanation shown
// before the browser asks for the camera and microphone, the buttons the room's phone
// customization allows, and the call's state as the ChatDO holds it. The call controller
// (static/controllers/call_controller.js) on the chat's socket element drives it.

const PATHS = {
  mic: "M12 2a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V5a3 3 0 0 0-3-3zM19 10v1a7 7 0 0 1-14 0v-1M12 18v4",
  video: "M23 7l-7 5 7 5V7zM1 5h15v14H1z",
  screen: "M2 4h20v12H2zM8 20h8M12 16v4",
  full: "M3 9V3h6M21 9V3h-6M3 15v6h6M21 15v6h-6",
  end: "M3 11.5C8 7 16 7 21 11.5l-2.5 3-3.5-1.5v-2.5a9 9 0 0 0-6 0V13l-3.5 1.5z",
} as const;

function CallIcon({ name }: { name: keyof typeof PATHS }) {
  return (
    <svg class="icon" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  );
}

export const offersCall = (view: CallView) => view.buttons.voice || view.buttons.video || view.buttons.screenShare;

type PanelProps = { chatId: string; view: CallView; mode: "chat" | "voice" | "video"; peerName: string };

export function CallPanel({ chatId, view, mode, peerName }: PanelProps) {
  if (!offersCall(view)) return <div id={`call-${chatId}`}></div>;
  const b = view.buttons;
  return (
    <section id={`call-${chatId}`} class="call" data-call-target="panel" data-mode={mode} data-auto-call={autoCall(mode, b) ?? ""} aria-label="Call">
      <div class="call-stage" data-call-target="stage" hidden>
        <video class="call-remote" data-call-target="remoteVideo" autoplay playsinline></video>
        <video class="call-screen" data-call-target="remoteScreen" autoplay playsinline hidden></video>
        <video class="call-local" data-call-target="localVideo" autoplay playsinline muted></video>
        <audio data-call-target="remoteAudio" autoplay></audio>
        <p class="call-peer-name">{peerName}</p>
      </div>
      {b.remoteControl && b.screenShare ? <RemoteControlSlot chatId={chatId} party={view.party} peerName={peerName} /> : null}
      <div class="call-explain" data-call-target="explain" role="dialog" aria-label="Before your browser asks" hidden>
        <h3>
          Your browser will now ask to use your <span data-call-target="devices">camera and microphone</span>.
        </h3>
        <p>
          Choose <strong>Allow</strong> so that {peerName} can hear you{b.video ? " and see you" : ""}. You can mute them at any time, and the chat goes on by text
          whatever you choose.
        </p>
        <div class="call-explain-actions">
          <button type="button" class="btn btn-primary" data-action="call#proceed">
            Continue
          </button>
          <button type="button" class="btn btn-ghost" data-action="call#cancel">
            Not now — keep chatting by text
          </button>
        </div>
      </div>
      <CallState chatId={chatId} view={view} peerName={peerName} />
      <p id={`call-message-${chatId}`} class="call-message" data-call-target="message" role="status"></p>
      <div class="call-buttons" role="toolbar" aria-label="Call buttons">
        {b.voice ? (
          <button type="button" class="btn btn-call" data-action="call#voice" data-call-target="voiceButton">
            <CallIcon name="mic" /> Voice
          </button>
        ) : null}
        {b.video ? (
          <button type="button" class="btn btn-call" data-action="call#video" data-call-target="videoButton">
            <CallIcon name="video" /> Video
          </button>
        ) : null}
        {b.screenShare ? (
          <button type="button" class="btn btn-call" data-action="call#screen" data-call-target="screenButton" aria-pressed="false">
            <CallIcon name="screen" /> <span data-call-target="screenLabel">Share screen</span>
          </button>
        ) : null}
        <button type="button" class="btn btn-call" data-action="call#toggleMic" data-call-target="micButton" aria-pressed="false" hidden>
          <CallIcon name="mic" /> <span data-call-target="micLabel">Mute</span>
        </button>
        <button type="button" class="btn btn-call" data-action="call#toggleCamera" data-call-target="cameraButton" aria-pressed="false" hidden>
          <CallIcon name="video" /> <span data-call-target="cameraLabel">Camera off</span>
        </button>
        {b.fullScreen ? (
          <button type="button" class="btn btn-call" data-action="call#fullScreen fullscreenchange@document->call#fullScreenChanged" data-call-target="fullScreenButton" hidden>
            <CallIcon name="full" /> <span data-call-target="fullScreenLabel">Full screen</span>
          </button>
        ) : null}
        <button type="button" class="btn btn-call btn-call-end" data-action="call#stop" data-call-target="stopButton" hidden>
          <CallIcon name="end" /> End call
        </button>
      </div>
    </section>
  );
}

/** What the other party sends, in words, and the whole state for the controller. */
function CallState({ chatId, view, peerName }: { chatId: string; view: CallView; peerName: string }) {
  const peer = view.peer;
  const kinds = new Set(peer?.tracks.map((t) => t.kind));
  const facts: string[] = [];
  if (kinds.has("camera")) facts.push(peer!.cameraMuted ? "camera off" : "camera on");
  if (kinds.has("mic")) facts.push(peer!.micMuted ? "microphone muted" : "microphone on");
  if (kinds.has("screen")) facts.push("sharing their screen");
  return (
    <div id={`call-state-${chatId}`} class="call-state" data-call-target="state" data-state={JSON.stringify(view)}>
      {facts.length ? (
        <p class="call-peer-state">
          <strong>{peerName}</strong>: {facts.join(" · ")}
        </p>
      ) : null}
    </div>
  );
}

export const callState = (chatId: string, view: CallView, peerName: string) => toHtml(<CallState chatId={chatId} view={view} peerName={peerName} />);

/** A refused call action, shown in the call area of the party that tried it. */
export const callError = (chatId: string, message: string) =>
  toHtml(
    <p id={`call-message-${chatId}`} class="call-message error" data-call-target="message" role="alert">
      {message}
    </p>,
  );
