import { Controller } from "@hotwired/stimulus";
import { addLine, extendLine, Pacer, placeOver, pointOn } from "../media/overlay.js";

// Remote control in one chat (views/live/RemoteControlFragments.tsx): the agent's pointer and
// drawing over the customer's shared screen, seen by both. The agent's layer lies over the call
// stage's shared-screen video, the customer's over a preview of their own shared screen; the
// streams come from the call controller's `call:screens` event. The ChatDO's state (granted, the
// stored lines) arrives as the `state` target, pointer moves and new ink as JSON frames on the
// chat's socket. Sends go through a ws-send form whose htmx:wsConfigSend sets the JSON body.

/** Points per ink message, and how often the pointer and ink are sent (worker/calls/remote-control.ts). */
const MAX_CHUNK_POINTS = 64;
const SEND_EVERY_MS = 50;

export default class extends Controller {
  static values = { party: String };
  static targets = ["state", "board", "video", "layer", "ink", "pointer", "sender", "color"];

  initialize() {
    this.granted = false;
    this.lines = [];
    this.color = "red";
    this.screens = {};
    this.pacer = new Pacer(SEND_EVERY_MS, () => this.sendPending());
    this.onMessage = (event) => this.message(event);
    this.onScreens = (event) => {
      this.screens = event.detail;
      this.render();
    };
    this.onVideoSize = () => this.place();
  }

  connect() {
    this.socketElement = this.element.closest("[ws-connect]");
    const call = this.socketElement && this.application.getControllerForElementAndIdentifier(this.socketElement, "call");
    this.screens = call?.screens ?? {};
    this.socketElement?.addEventListener("parley:message", this.onMessage);
    this.socketElement?.addEventListener("call:screens", this.onScreens);
    this.resizer = new ResizeObserver(() => this.place());
    this.resizer.observe(this.boardTarget);
    this.render();
  }

  disconnect() {
    this.socketElement?.removeEventListener("parley:message", this.onMessage);
    this.socketElement?.removeEventListener("call:screens", this.onScreens);
    this.watched?.removeEventListener("resize", this.onVideoSize);
    this.resizer?.disconnect();
    this.pacer.stop();
  }

  // ---- what the ChatDO says

  stateTargetConnected(element) {
    const { granted, strokes } = JSON.parse(element.dataset.state);
    this.granted = granted;
    this.drawing = null;
    this.inkTarget.replaceChildren();
    this.lines = strokes.map((s) => addLine(this.inkTarget, s.color, s.points));
    if (!granted) this.showPointer(null);
    this.render();
  }

  /** The agent's pointer and ink (socket-messages.js). */
  message(event) {
    const frame = event.detail.message;
    if (frame.type === "remote.pointer") this.showPointer(frame.point);
    if (frame.type === "remote.ink") {
      const line = this.lines[frame.index];
      if (line) extendLine(line, frame.points);
      else this.lines[frame.index] = addLine(this.inkTarget, frame.color, frame.points);
      this.showPointer(frame.points.slice(-2));
    }
  }

  // ---- the agent's pen

  penDown(event) {
    if (!this.granted || event.button !== 0) return;
    event.preventDefault();
    this.layerTarget.setPointerCapture(event.pointerId);
    const point = pointOn(this.layerTarget, event);
    this.drawing = { id: crypto.randomUUID(), color: this.color, line: addLine(this.inkTarget, this.color, point), pending: [...point] };
    this.pacer.poke();
  }

  penMove(event) {
    if (!this.granted) return;
    const point = pointOn(this.layerTarget, event);
    if (this.drawing) {
      extendLine(this.drawing.line, point);
      this.drawing.pending.push(...point);
    } else {
      this.pointer = point;
    }
    this.pacer.poke();
  }

  penUp() {
    if (!this.drawing) return;
    this.pacer.flush();
    this.drawing = null;
  }

  /** The pointer left the shared screen: the customer's copy of it goes away. */
  leave() {
    if (!this.granted || this.drawing) return;
    this.pointer = null;
    this.pacer.flush();
  }

  pick(event) {
    this.color = event.currentTarget.dataset.color;
    for (const button of this.colorTargets) button.setAttribute("aria-pressed", String(button === event.currentTarget));
  }

  clear() {
    this.send({ type: "remote", action: "clear" });
  }

  /** What the pen did since the last send: the new ink, else where the pointer is. */
  sendPending() {
    const drawing = this.drawing;
    if (drawing?.pending.length) {
      for (let i = 0; i < drawing.pending.length; i += 2 * MAX_CHUNK_POINTS) {
        this.send({ type: "ink", stroke: drawing.id, color: drawing.color, points: drawing.pending.slice(i, i + 2 * MAX_CHUNK_POINTS) });
      }
      drawing.pending = [];
    } else if (this.pointer !== undefined) {
      this.send({ type: "pointer", point: this.pointer });
    }
    this.pointer = undefined;
  }

  send(message) {
    this.outgoing = message;
    this.senderTarget.requestSubmit();
  }

  /** htmx:wsConfigSend of the sender form: the message goes as JSON with its numbers. */
  body(event) {
    event.detail.messageBody = JSON.stringify(this.outgoing);
  }

  // ---- the screen

  /** The video the marks lie over: the customer's own preview, or the agent's view of the customer's screen. */
  video() {
    return this.partyValue === "customer" ? this.videoTarget : this.element.closest(".call")?.querySelector(".call-screen");
  }

  showPointer(point) {
    this.pointerTarget.hidden = !point || this.partyValue !== "customer";
    if (this.pointerTarget.hidden) return;
    this.pointerTarget.style.left = `${point[0] * 100}%`;
    this.pointerTarget.style.top = `${point[1] * 100}%`;
  }

  render() {
    if (!this.socketElement) return;
    const stream = (this.partyValue === "customer" ? this.screens.local : this.screens.remote) ?? null;
    const show = this.granted && !!stream;
    this.boardTarget.hidden = !show;
    this.element.classList.toggle("remote-active", show);
    if (this.hasVideoTarget && this.videoTarget.srcObject !== (show ? stream : null)) this.videoTarget.srcObject = show ? stream : null;
    this.place();
  }

  place() {
    const video = this.video();
    if (video !== this.watched) {
      this.watched?.removeEventListener("resize", this.onVideoSize);
      video?.addEventListener("resize", this.onVideoSize);
      this.watched = video;
    }
    if (!this.boardTarget.hidden) placeOver(this.layerTarget, video);
  }
}
