import { Controller } from "@hotwired/stimulus";
import { minutesSeconds } from "../format/clock.js";
import { canRecord, captureScreen, SegmentRecorder } from "../media/recorder.js";
import { markUploaded, partsOf, savePart } from "../media/recording-store.js";
import { partItem } from "../media/recording-list.js";

// The agent's recorder of one chat (views/live/RecordingFragments.tsx). It lives on a wrapper the
// server never swaps, so a new panel (a consent answer, a reconnection) does not stop a recording.
// Every Stop makes a part: listed at once with a download link, kept in IndexedDB, and uploaded to
// the chat's record (R2), which any of the agent's devices and the administrators read.
export default class extends Controller {
  static values = { chat: String };
  static targets = ["panel", "status", "clock", "hint", "report", "action", "segments"];

  #capture = null;
  #segment = null;
  #starting = false;
  #tick = null;
  #lastSegment = 0;

  async connect() {
    try {
      const parts = await partsOf(this.chatValue);
      for (const part of parts) this.segmentsTarget.append(partItem(part, part.uploaded ? "In the chat's record" : "Kept in this browser"));
      this.#lastSegment = Math.max(this.#lastSegment, ...parts.map((p) => p.segment));
    } catch {
      // no IndexedDB (a private window in some browsers): parts are still offered for download
    }
  }

  disconnect() {
    // The chat was closed in the console: the part recorded so far is kept.
    if (this.#segment) this.stop();
  }

  panelTargetConnected(panel) {
    if (panel.dataset.ended === "true" && this.#segment) this.stop();
    if (panel.dataset.ended === "false" && !canRecord()) {
      this.#hint("Recording needs a desktop browser (Chrome, Edge, Firefox or Safari on a computer).");
      panel.querySelector(".rec-start")?.setAttribute("disabled", "");
    }
    this.#render();
  }

  async start() {
    if (this.#segment || this.#starting) return;
    this.#starting = true;
    try {
      this.#capture = await captureScreen();
    } catch {
      this.#hint("Recording did not start: choose a screen, window or tab to record, then press Start again.");
      return;
    } finally {
      this.#starting = false;
    }
    this.#capture.onEnded(() => this.stop());
    this.#segment = new SegmentRecorder(this.#capture.stream);
    this.#segment.start();
    this.#tick = setInterval(() => this.#render(), 500);
    this.#changed("recording", "start");
  }

  pause() {
    if (this.#segment?.state !== "recording") return;
    this.#segment.pause();
    this.#changed("paused", "pause");
  }

  resume() {
    if (this.#segment?.state !== "paused") return;
    this.#segment.resume();
    this.#changed("recording", "resume");
  }

  async stop() {
    const segment = this.#segment;
    if (!segment) return;
    this.#segment = null;
    clearInterval(this.#tick);
    const { blob, durationMs } = await segment.stop();
    this.#capture?.release();
    this.#capture = null;
    this.#changed("idle", "stop");
    const part = { chatId: this.chatValue, segment: ++this.#lastSegment, blob, durationMs, createdAt: Date.now(), uploaded: false };
    const item = partItem(part, "Saving…");
    this.segmentsTarget.append(item);
    const status = item.querySelector(".part-status");
    try {
      await savePart(part);
      status.textContent = "Kept in this browser";
    } catch {
      status.textContent = "Download it now: this browser could not keep it";
    }
    status.textContent = await this.#upload(part, status.textContent);
  }

  /** Sends the part to the chat's record; says where the part is kept afterwards. */
  async #upload(part, kept) {
    const csrf = JSON.parse(document.body.getAttribute("hx-headers") ?? "{}")["x-csrf-token"] ?? "";
    try {
      const res = await fetch(`/chats/${this.chatValue}/recordings/${part.segment}`, {
        method: "PUT",
        body: part.blob,
        headers: { "content-type": part.blob.type, "x-csrf-token": csrf, "x-duration-ms": String(part.durationMs), accept: "application/json" },
      });
      if (res.ok) {
        await markUploaded(part.chatId, part.segment).catch(() => {});
        return "In the chat's record";
      }
      const { error } = await res.json().catch(() => ({ error: res.statusText }));
      return `${kept} (not uploaded: ${error})`;
    } catch {
      return `${kept} (not uploaded: the connection failed)`;
    }
  }

  #changed(state, action) {
    this.element.dataset.state = state;
    this.#render();
    if (this.hasReportTarget) {
      this.actionTarget.value = action;
      this.reportTarget.requestSubmit();
    }
  }

  #render() {
    const state = this.element.dataset.state;
    if (this.hasStatusTarget) this.statusTarget.textContent = state === "recording" ? "Recording" : state === "paused" ? "Paused" : "Ready to record";
    if (this.hasClockTarget) this.clockTarget.textContent = minutesSeconds((this.#segment?.elapsedMs ?? 0) / 1000);
  }

  #hint(text) {
    if (this.hasHintTarget) this.hintTarget.textContent = text;
  }
}
