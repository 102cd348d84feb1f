// Records what the agent chooses to share (getDisplayMedia: a screen, a window or a tab), with the
// microphone mixed in when the agent allows it, to WebM with MediaRecorder. One SegmentRecorder
// makes one file: every Stop ends a part, and Start begins the next one.

const TYPES = ["video/webm;codecs=vp9,opus", "video/webm;codecs=vp8,opus", "video/webm"];

/** Whether this browser can record a screen (desktop Chrome, Edge, Firefox, Safari; not phones). */
export const canRecord = () => Boolean(navigator.mediaDevices?.getDisplayMedia && window.MediaRecorder);

/**
 * Asks the agent what to record, then for the microphone (a refusal records without it). The
 * returned capture's stream has one video track and at most one audio track, which MediaRecorder
 * needs: the shared tab's sound and the microphone are mixed.
 */
export async function captureScreen() {
  const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
  let mic = null;
  try {
    mic = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch {
    // recorded without the agent's voice
  }
  const sources = [display, mic].filter((s) => s && s.getAudioTracks().length);
  let audio = [];
  let context = null;
  if (sources.length === 1) audio = sources[0].getAudioTracks();
  if (sources.length > 1) {
    context = new AudioContext();
    const mix = context.createMediaStreamDestination();
    for (const source of sources) context.createMediaStreamSource(source).connect(mix);
    audio = mix.stream.getAudioTracks();
  }
  const stream = new MediaStream([...display.getVideoTracks(), ...audio]);
  return {
    stream,
    /** Fires when the agent ends the sharing from the browser's own bar. */
    onEnded(callback) {
      display.getVideoTracks()[0]?.addEventListener("ended", callback, { once: true });
    },
    release() {
      for (const track of [...display.getTracks(), ...(mic?.getTracks() ?? [])]) track.stop();
      context?.close();
    },
  };
}

/** One part of a recording: start, pause, resume, and stop, which hands over the finished file. */
export class SegmentRecorder {
  #recorder;
  #chunks = [];
  #ranMs = 0;
  #since = null;

  constructor(stream) {
    const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t)) ?? "";
    this.#recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    this.#recorder.addEventListener("dataavailable", (event) => {
      if (event.data.size) this.#chunks.push(event.data);
    });
  }

  get state() {
    return this.#recorder.state;
  }

  /** Recorded time so far, pauses left out. */
  get elapsedMs() {
    return this.#ranMs + (this.#since === null ? 0 : performance.now() - this.#since);
  }

  start() {
    // Data every second: a crash of the tab loses at most the last second of what was kept.
    this.#recorder.start(1000);
    this.#since = performance.now();
  }

  pause() {
    if (this.#recorder.state !== "recording") return;
    this.#recorder.pause();
    this.#ranMs = this.elapsedMs;
    this.#since = null;
  }

  resume() {
    if (this.#recorder.state !== "paused") return;
    this.#recorder.resume();
    this.#since = performance.now();
  }

  /** Resolves with the part as a WebM blob and its recorded duration. */
  stop() {
    const durationMs = Math.round(this.elapsedMs);
    this.#since = null;
    this.#ranMs = durationMs;
    const done = () => ({ blob: new Blob(this.#chunks, { type: this.#recorder.mimeType || "video/webm" }), durationMs });
    if (this.#recorder.state === "inactive") return Promise.resolve(done());
    return new Promise((resolve) => {
      this.#recorder.addEventListener("stop", () => resolve(done()), { once: true });
      this.#recorder.stop();
    });
  }
}
