// Cloudflare Calls: one RTCPeerConnection to the Calls SFU, through the Worker's proxy under
// /chats/{id}/calls (the proxy adds the app secret and checks who may touch what). Local tracks
// are pushed by name; the other party's tracks are pulled from its session by name.

export class CallsLink {
  constructor({ chatId, csrf, iceServers, onTrack, onState }) {
    this.base = `/chats/${chatId}/calls`;
    this.csrf = csrf;
    this.onTrack = onTrack;
    this.pushed = new Map(); // track id → transceiver
    this.pulled = new Set(); // "session/track" already asked for
    this.pc = new RTCPeerConnection({ iceServers, bundlePolicy: "max-bundle" });
    this.pc.onconnectionstatechange = () => onState(this.pc.connectionState);
    this.pc.ontrack = ({ track, streams, transceiver }) => this.onTrack(track, streams[0] ?? new MediaStream([track]), this.names?.get(transceiver.mid));
    this.names = new Map(); // mid → pulled track name
    this.queue = Promise.resolve();
    this.session = this.api("POST", "sessions/new").then((r) => r.sessionId);
  }

  async api(method, path, body) {
    const res = await fetch(`${this.base}/${path}`, {
      method,
      headers: { accept: "application/json", "content-type": "application/json", ...this.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok || json.errorCode) throw new Error(json.error ?? json.errorDescription ?? `Calls answered ${res.status}`);
    return json;
  }

  /** One negotiation at a time: each step changes the one peer connection. */
  serial(step) {
    this.queue = this.queue.then(step).catch((error) => console.error("call", error));
    return this.queue;
  }

  add(track, stream) {
    return this.serial(async () => {
      const session = await this.session;
      const transceiver = this.pc.addTransceiver(track, { direction: "sendonly", streams: [stream] });
      this.pushed.set(track.id, transceiver);
      await this.pc.setLocalDescription(await this.pc.createOffer());
      const res = await this.api("POST", `sessions/${session}/tracks/new`, {
        sessionDescription: { type: "offer", sdp: this.pc.localDescription.sdp },
        tracks: [{ location: "local", trackName: track.id, mid: transceiver.mid }],
      });
      await this.pc.setRemoteDescription(res.sessionDescription);
    });
  }

  remove(track) {
    return this.serial(async () => {
      const session = await this.session;
      const transceiver = this.pushed.get(track.id);
      if (!transceiver) return;
      this.pushed.delete(track.id);
      transceiver.direction = "inactive";
      await this.pc.setLocalDescription(await this.pc.createOffer());
      const res = await this.api("PUT", `sessions/${session}/tracks/close`, {
        sessionDescription: { type: "offer", sdp: this.pc.localDescription.sdp },
        tracks: [{ mid: transceiver.mid }],
      });
      if (res.sessionDescription) await this.pc.setRemoteDescription(res.sessionDescription);
    });
  }

  /** The other party's tracks as the ChatDO knows them: pull the ones not pulled yet. */
  peerState(peer, peerSessionId) {
    if (!peer || !peerSessionId) return;
    const fresh = peer.tracks.filter((t) => !this.pulled.has(`${peerSessionId}/${t.name}`));
    if (!fresh.length) return;
    for (const t of fresh) this.pulled.add(`${peerSessionId}/${t.name}`);
    return this.serial(async () => {
      const session = await this.session;
      const res = await this.api("POST", `sessions/${session}/tracks/new`, {
        tracks: fresh.map((t) => ({ location: "remote", trackName: t.name, sessionId: peerSessionId })),
      });
      for (const t of res.tracks ?? []) if (t.mid) this.names.set(t.mid, t.trackName);
      if (res.requiresImmediateRenegotiation) {
        await this.pc.setRemoteDescription(res.sessionDescription);
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        await this.api("PUT", `sessions/${session}/renegotiate`, { sessionDescription: { type: "answer", sdp: this.pc.localDescription.sdp } });
      }
    });
  }

  receive() {}

  close() {
    this.pc.close();
  }
}
