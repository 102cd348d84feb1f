import { INK_COLORS, type Stroke } from "../../worker/calls/remote-control";
import { SocketAction } from "./SocketAction";
import { toHtml } from "./render";
import type { Party } from "../../worker/live/contracts";

// Remote control in the call area: the customer lets the agent point and draw over the customer's
// shared screen, and takes it back. The slot (in the call panel) holds what the browser draws:
// the agent's layer over the shared-screen video of the call stage, the customer's preview of
// their own shared screen with the same marks. The ChatDO swaps only the state inside it. The
// remote-control controller (static/controllers/remote_control_controller.js) draws the marks.

const COLOR_LABELS: Record<(typeof INK_COLORS)[number], string> = { red: "Red", blue: "Blue" };

export function RemoteControlSlot({ chatId, party, peerName }: { chatId: string; party: Party; peerName: string }) {
  return (
    <div class="remote-control" data-controller="remote-control" data-remote-control-party-value={party}>
      <div id={`remote-control-${chatId}`}></div>
      <figure class={`remote-board remote-board-${party}`} data-remote-control-target="board" hidden>
        {party === "customer" ? <video class="remote-preview" data-remote-control-target="video" autoplay playsinline muted></video> : null}
        <div
          class="remote-layer"
          data-remote-control-target="layer"
          data-action={
            party === "agent"
              ? "pointerdown->remote-control#penDown pointermove->remote-control#penMove pointerup->remote-control#penUp pointercancel->remote-control#penUp pointerleave->remote-control#leave"
              : ""
          }
        >
          <svg class="remote-ink" viewBox="0 0 1 1" preserveAspectRatio="none" data-remote-control-target="ink" aria-hidden="true"></svg>
          <div class="remote-pointer" data-remote-control-target="pointer" hidden>
            <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M4 2l16 10-7 1.5L9.5 21z" fill="#e5484d" stroke="#fff" stroke-width="1.5" stroke-linejoin="round" />
            </svg>
            <span>{peerName}</span>
          </div>
        </div>
        {party === "agent" ? (
          <figcaption class="remote-tools" role="toolbar" aria-label="Drawing">
            {INK_COLORS.map((color, i) => (
              <button type="button" class={`remote-color ink-${color}`} data-remote-control-target="color" data-color={color} data-action="remote-control#pick" aria-pressed={String(i === 0)}>
                <span class="swatch" aria-hidden="true"></span>
                {COLOR_LABELS[color]}
              </button>
            ))}
            <button type="button" class="remote-clear" data-action="remote-control#clear">
              Clear
            </button>
          </figcaption>
        ) : (
          <figcaption class="remote-caption">Your shared screen, with {peerName}'s pointer and drawings. Only you and {peerName} see them.</figcaption>
        )}
      </figure>
      <form ws-send hidden data-remote-control-target="sender" data-action="htmx:wsConfigSend->remote-control#body"></form>
    </div>
  );
}

export type RemoteControlView = {
  chatId: string;
  party: Party;
  /** The customer shares a screen now. */
  sharing: boolean;
  /** The customer lets the agent point and draw over that screen. */
  granted: boolean;
  strokes: Stroke[];
  names: Record<Party, string>;
};

function RemoteControlState({ view }: { view: RemoteControlView }) {
  const { chatId, party, sharing, granted, names } = view;
  const state = JSON.stringify({ granted, strokes: view.strokes.map(({ color, points }) => ({ color, points })) });
  const attrs = { id: `remote-control-${chatId}`, "data-remote-control-target": "state", "data-state": state };
  if (!sharing) return <div {...attrs}></div>;
  if (party === "customer") {
    return granted ? (
      <div {...attrs} class="remote-state remote-on" role="status">
        <p>
          <strong>{names.agent}</strong> can point and draw on your shared screen.
        </p>
        <SocketAction type="remote" action="revoke" label="Take back control" />
      </div>
    ) : (
      <div {...attrs} class="remote-state">
        <p>{names.agent} sees your screen. Let them show you where to click: they point and draw, you keep your mouse and keyboard.</p>
        <SocketAction type="remote" action="grant" label={`Let ${names.agent} point & draw`} primary />
      </div>
    );
  }
  return granted ? (
    <div {...attrs} class="remote-state remote-on" role="status">
      <p>
        <strong>{names.customer}</strong> lets you point and draw on their screen: move over it to point, drag to draw. They see both.
      </p>
    </div>
  ) : (
    <div {...attrs} class="remote-state">
      <p class="muted">{names.customer} can let you point and draw on their shared screen.</p>
    </div>
  );
}

export const remoteControlState = (view: RemoteControlView) => toHtml(<RemoteControlState view={view} />);
