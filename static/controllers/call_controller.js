import { Controller } from "@hotwired/stimulus";

// Voice, video and screen sharing in one chat. It sits on the chat's socket element: it declares
// over the socket what this page sends (the ChatDO checks it against the room's buttons and tells
// the other party), and reaches the other party through one link, peer to peer or Cloudflare
// Calls (static/media/link.js). The ChatDO's call state comes in as the `state` target; a
// refreshed page finds there what it was sending and starts it again. A customer's page loads it
// only once its call panel appears (customer.js), when the socket is already open.

/** The calls of this page (an agent's console holds several chats). */
const calls = new Set();

/**
 * The devices and the link (static/media/), downloaded once a call panel is shown, so that pages
 * without calls never load them and a button's press finds them there (a screen is shared only
 * within moments of the press). Set once loaded: the link is made only after that.
 */
let media = null;
async function loadMedia() {
  try {
    return (media ??= { ...(await import("../media/devices.js")), ...(await import("../media/link.js")) });
  } catch (error) {
    document.dispatchEvent(new CustomEvent("parley:offer-reload")); // new-release.js
    throw error;
  }
}

export default class extends Controller {
  static values = { chat: String };
  static targets = [
    "panel", "stage", "remoteVideo", "remoteScreen", "localVideo", "remoteAudio", "explain", "devices", "message", "state",
    "voiceButton", "videoButton", "screenButton", "screenLabel", "micButton", "micLabel", "cameraButton", "cameraLabel", "fullScreenButton", "fullScreenLabel", "stopButton",
  ];

  // Set up here rather than in connect(): loaded after its targets (a customer's page loads it
  // with the call panel), Stimulus calls their callbacks first.
  initialize() {
    this.fresh();
    this.socket = this.dispatch("socket", { prefix: "parley", detail: {} }).detail.socket; // socket-messages.js
  }

  /** A call of its own for this page (again after a disconnect). */
  fresh() {
    this.clientId = crypto.randomUUID();
    this.local = {}; // mic, camera, screen: MediaStreamTrack; stream, screenStream: MediaStream
    this.remote = {}; // camera, screen, audio: MediaStream
  }

  connect() {
    this.onMessage = (event) => this.message(event);
    this.onOpen = (event) => (this.socket = event.detail.socketWrapper);
    this.element.addEventListener("parley:message", this.onMessage);
    this.element.addEventListener("htmx:wsOpen", this.onOpen);
    calls.add(this);
  }

  disconnect() {
    calls.delete(this);
    this.element.removeEventListener("parley:message", this.onMessage);
    this.element.removeEventListener("htmx:wsOpen", this.onOpen);
    for (const track of this.localTracks()) track.stop();
    this.link?.close();
    this.fresh();
  }

  // ---- what the ChatDO says

  /** The other party's offers, answers and ICE candidates (socket-messages.js). */
  message(event) {
    const { message: signal, socket } = event.detail;
    if (signal.type !== "call.signal") return;
    this.socket = socket;
    // One at a time: an ICE candidate that comes while the first offer builds the link must not build a second one.
    this.signalling = (this.signalling ?? Promise.resolve()).then(() => this.signal(signal)).catch((error) => console.error("call signal", error));
  }

  stateTargetConnected(element) {
    this.state = JSON.parse(element.dataset.state);
    const { me, peer, path } = this.state;
    if (me && me.clientId !== this.clientId && me.tracks.length && !this.restored && !this.localTracks().length) {
      this.restored = true;
      this.restore(me);
    }
    this.declaredWaiters = (this.declaredWaiters ?? []).filter(({ names, resolve }) => {
      const done = me?.clientId === this.clientId && names.every((n) => me.tracks.some((t) => t.name === n));
      if (done) resolve();
      return !done;
    });
    if (path === "p2p" && this.link && peer && peer.clientId !== this.link.peerId) {
      // As in signal(): a link that offered before the other page said anything is that page's
      // (both pages start at once when a voice or video chat is answered).
      if (this.link.peerId === null) this.link.peerId = peer.clientId;
      else this.resetLink(peer.clientId);
    }
    if (path === "calls" && peer?.tracks.length) this.ensureLink().then((link) => link.peerState(peer, this.state.peerSessionId));
    this.autoStart();
    this.render();
  }

  /**
   * A chat started from the contact form's Voice or Video button starts that call by itself when
   * the agent answers, once per chat in this tab: a refreshed page restores the call from the
   * ChatDO's state instead. An agent already in a call in another chat is asked to press it.
   */
  autoStart() {
    const call = this.hasPanelTarget ? this.panelTarget.dataset.autoCall : "";
    const key = `parley:auto-call:${this.chatValue}`;
    if (!call || sessionStorage.getItem(key)) return;
    // The agent's side follows the customer's: two pages offering at the same moment (glare)
    // sometimes left the call unconnected, and a customer whose camera is refused needs none.
    if (this.state?.party === "agent" && !this.state.peer?.tracks.length) return;
    sessionStorage.setItem(key, call);
    if (this.localTracks().length || this.state?.me?.tracks.length) return;
    if ([...calls].some((other) => other !== this && other.localTracks().length)) {
      const peerName = this.panelTarget.querySelector(".call-peer-name")?.textContent ?? "The customer";
      return this.say(`${peerName} asked for a ${call} call. Press ${call === "video" ? "Video" : "Voice"} when you are ready.`);
    }
    this.ask(call === "video");
  }

  panelTargetConnected() {
    loadMedia().catch(() => {}); // offline for a moment: a press tries again
    this.render();
  }

  async signal({ from, description, candidate }) {
    if (this.state?.path !== "p2p") return;
    // A link offered before the other page said anything (it sends no media) is that page's.
    if (this.link && this.link.peerId === null) this.link.peerId = from;
    if (!this.link || this.link.peerId !== from) {
      if (this.link && description?.type !== "offer") return; // for a page that is gone
      await this.ensureLink();
      if (this.link.peerId === null) this.link.peerId = from;
      else if (this.link.peerId !== from) this.resetLink(from);
    }
    await this.link.receive({ description, candidate });
  }

  // ---- buttons

  voice() {
    this.ask(false);
  }

  video() {
    this.ask(true);
  }

  /** The permission prompt is explained before it appears, unless the browser will not show one. */
  async ask(video) {
    this.wantVideo = video;
    this.say("");
    if ((await (await loadMedia()).permission(video)) !== "prompt") return this.proceed();
    this.devicesTarget.textContent = video ? "camera and microphone" : "microphone";
    this.explainTarget.hidden = false;
  }

  async proceed() {
    this.explainTarget.hidden = true;
    const { stream, error } = await (await loadMedia()).camera(this.wantVideo);
    if (error) return this.say(error, true);
    await this.startTracks(stream, { mic: stream.getAudioTracks()[0], camera: stream.getVideoTracks()[0] });
  }

  cancel() {
    this.explainTarget.hidden = true;
    this.say("No problem — keep chatting by text. The call buttons stay here if you change your mind.");
  }

  async screen() {
    if (this.local.screen) return this.stopScreen();
    const { stream, error } = await (await loadMedia()).screen();
    if (!stream) return error && this.say(error, true);
    const track = stream.getVideoTracks()[0];
    track.addEventListener("ended", () => this.stopScreen());
    this.local.screen = track;
    this.local.screenStream = stream;
    await this.declare();
    await this.sendTracks([track], stream);
    this.render();
  }

  toggleMic() {
    if (!this.local.mic) return;
    this.local.mic.enabled = !this.local.mic.enabled;
    this.declare();
    this.render();
  }

  toggleCamera() {
    if (!this.local.camera) return;
    this.local.camera.enabled = !this.local.camera.enabled;
    this.declare();
    this.render();
  }

  /** The whole call panel goes full screen, so the drawing over a shared screen and the call's buttons come along. */
  fullScreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else this.panelTarget.requestFullscreen?.();
  }

  /** The button says what it does now: Esc or the browser may have left full screen too. */
  fullScreenChanged() {
    this.fullScreenLabelTarget.textContent = document.fullscreenElement === this.panelTarget ? "Exit full screen" : "Full screen";
  }

  async stop() {
    for (const kind of ["mic", "camera", "screen"]) this.drop(kind);
    delete this.local.stream;
    delete this.local.screenStream;
    await this.declare();
    this.render();
  }

  // ---- media and the link

  async startTracks(stream, tracks, muted = {}) {
    this.drop("mic");
    this.drop("camera");
    this.local.stream = stream;
    Object.assign(this.local, tracks);
    if (muted.micMuted && tracks.mic) tracks.mic.enabled = false;
    if (muted.cameraMuted && tracks.camera) tracks.camera.enabled = false;
    await this.declare();
    await this.sendTracks(Object.values(tracks).filter(Boolean), stream);
    this.render();
  }

  /** A refreshed page: the microphone and camera come back; a screen needs the person's click. */
  async restore(me) {
    const kinds = new Set(me.tracks.map((t) => t.kind));
    if (kinds.has("screen")) this.say("Press Share screen to share your screen again.");
    if (!kinds.has("mic") && !kinds.has("camera")) return;
    const { stream, error } = await (await loadMedia()).camera(kinds.has("camera"));
    if (error) return this.say(error, true);
    await this.startTracks(stream, { mic: stream.getAudioTracks()[0], camera: stream.getVideoTracks()[0] }, me);
  }

  drop(kind) {
    const track = this.local[kind];
    if (!track) return;
    this.link?.remove(track);
    track.stop();
    delete this.local[kind];
  }

  stopScreen() {
    this.drop("screen");
    delete this.local.screenStream;
    this.declare();
    this.render();
  }

  localTracks() {
    return ["mic", "camera", "screen"].map((k) => this.local[k]).filter(Boolean);
  }

  /** Tells the ChatDO what this page sends; resolves once the ChatDO has it (Calls checks it). */
  declare() {
    const tracks = ["mic", "camera", "screen"].filter((k) => this.local[k]).map((kind) => ({ name: this.local[kind].id, kind }));
    const names = tracks.map((t) => t.name);
    const stored = new Promise((resolve) => (this.declaredWaiters = [...(this.declaredWaiters ?? []), { names, resolve }]));
    this.send({ type: "media", tracks, micMuted: this.local.mic ? !this.local.mic.enabled : false, cameraMuted: this.local.camera ? !this.local.camera.enabled : false });
    return Promise.race([stored, new Promise((resolve) => setTimeout(resolve, 3000))]);
  }

  send(message) {
    this.socket?.send(JSON.stringify({ ...message, clientId: this.clientId }));
  }

  /** Sends new local tracks; a link made now sends every local track by itself. */
  async sendTracks(tracks, stream) {
    if (!this.link) return this.ensureLink();
    for (const track of tracks) this.link.add(track, stream);
  }

  /**
   * The link, made once: the only wait is for the ICE servers, so that two callers at once (a
   * page starting its call as the other page's offer comes in) find the same link.
   */
  async ensureLink() {
    this.iceServers ??= await (this.iceServersFetch ??= loadMedia().then(({ fetchIceServers }) => fetchIceServers(this.chatValue)));
    if (!this.link) this.resetLink(this.state?.peer?.clientId ?? null);
    return this.link;
  }

  /** A new link to that page (the ICE servers, and so the media code, are known: a link was made before). */
  resetLink(peerId) {
    this.link?.close();
    this.remote = {};
    this.link = media.createLink({
      path: this.state?.path ?? "p2p",
      chatId: this.chatValue,
      csrf: JSON.parse(document.body.getAttribute("hx-headers") ?? "{}"),
      polite: this.state?.party === "customer",
      peerId,
      send: (message) => this.send(message),
      iceServers: this.iceServers,
      onTrack: (track, stream, name) => this.remoteTrack(track, stream, name),
      onState: (state) => this.connectionState(state),
    });
    for (const kind of ["mic", "camera"]) if (this.local[kind]) this.link.add(this.local[kind], this.local.stream);
    if (this.local.screen) this.link.add(this.local.screen, this.local.screenStream);
    this.render();
  }

  remoteTrack(track, stream, name) {
    const declared = this.state?.peer?.tracks.find((t) => t.name === (name ?? track.id));
    const kind = track.kind === "audio" ? "audio" : declared?.kind === "screen" || (this.remote.camera && this.remote.camera !== stream) ? "screen" : "camera";
    this.remote[kind] = stream;
    const forget = () => {
      if (stream.getTracks().some((t) => t.readyState === "live" && !t.muted)) return;
      if (this.remote[kind] === stream) delete this.remote[kind];
      this.render();
    };
    stream.addEventListener("removetrack", forget);
    track.addEventListener("ended", forget);
    this.render();
  }

  connectionState(state) {
    this.element.dataset.callConnection = state;
    if (state === "failed") this.say("The call's connection was lost. It comes back when both of you are online.", true);
  }

  // ---- the screen

  say(text, error = false) {
    if (!this.hasMessageTarget) return;
    this.messageTarget.textContent = text;
    this.messageTarget.classList.toggle("error", error);
  }

  render() {
    if (!this.hasPanelTarget) return;
    const attach = (el, stream) => {
      if (el.srcObject !== (stream ?? null)) el.srcObject = stream ?? null;
      el.hidden = !stream;
    };
    attach(this.remoteVideoTarget, this.remote.camera);
    attach(this.remoteScreenTarget, this.remote.screen);
    attach(this.localVideoTarget, this.local.camera ? this.local.stream : this.local.screenStream);
    this.localVideoTarget.classList.toggle("shows-screen", !this.local.camera && !!this.local.screenStream);
    if (this.remoteAudioTarget.srcObject !== (this.remote.audio ?? null)) this.remoteAudioTarget.srcObject = this.remote.audio ?? null;
    const inCall = this.localTracks().length > 0 || Object.keys(this.remote).length > 0;
    this.stageTarget.hidden = !inCall;
    this.stageTarget.classList.toggle("with-screen", !!this.remote.screen);
    this.stageTarget.classList.toggle("voice-only", !this.remote.camera && !this.remote.screen);
    const toggle = (button, label, track, on, off) => {
      button.hidden = !track;
      if (!track) return;
      button.setAttribute("aria-pressed", String(!track.enabled));
      label.textContent = track.enabled ? on : off;
    };
    toggle(this.micButtonTarget, this.micLabelTarget, this.local.mic, "Mute", "Unmute");
    toggle(this.cameraButtonTarget, this.cameraLabelTarget, this.local.camera, "Camera off", "Camera on");
    if (this.hasVoiceButtonTarget) this.voiceButtonTarget.hidden = !!this.local.mic;
    if (this.hasVideoButtonTarget) this.videoButtonTarget.hidden = !!this.local.camera;
    if (this.hasScreenButtonTarget) {
      this.screenButtonTarget.setAttribute("aria-pressed", String(!!this.local.screen));
      this.screenLabelTarget.textContent = this.local.screen ? "Stop sharing" : "Share screen";
    }
    if (this.hasFullScreenButtonTarget) this.fullScreenButtonTarget.hidden = !inCall;
    this.stopButtonTarget.hidden = this.localTracks().length === 0;
    // The remote-control controller draws over the shared screens (remote_control_controller.js).
    const screens = { local: this.local.screenStream ?? null, remote: this.remote.screen ?? null };
    if (screens.local !== this.screens?.local || screens.remote !== this.screens?.remote) this.dispatch("screens", { detail: (this.screens = screens) });
  }
}
