// Peer to peer: one RTCPeerConnection to the other party, negotiated with the "perfect
// negotiation" pattern over the chat's socket (the ChatDO relays each message unchanged).

export class PeerLink {
  /** send(message): over the chat socket; onTrack(track, stream): a track of the other party. */
  constructor({ polite, peerId, send, iceServers, onTrack, onState }) {
    this.polite = polite;
    this.peerId = peerId;
    this.send = send;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.senders = new Map();
    this.pc = new RTCPeerConnection({ iceServers });
    this.pc.onnegotiationneeded = () => this.offer();
    this.pc.onicecandidate = ({ candidate }) => candidate && this.send({ type: "signal", candidate: candidate.toJSON() });
    this.pc.ontrack = ({ track, streams }) => onTrack(track, streams[0] ?? new MediaStream([track]));
    this.pc.onconnectionstatechange = () => onState(this.pc.connectionState);
  }

  async offer() {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.send({ type: "signal", description: { type: this.pc.localDescription.type, sdp: this.pc.localDescription.sdp } });
    } finally {
      this.makingOffer = false;
    }
  }

  add(track, stream) {
    this.senders.set(track.id, this.pc.addTrack(track, stream));
  }

  remove(track) {
    const sender = this.senders.get(track.id);
    if (sender) this.pc.removeTrack(sender);
    this.senders.delete(track.id);
  }

  /** Peer to peer only: the other party's page changed (see the controller). Calls pulls instead. */
  peerState() {}

  async receive({ description, candidate }) {
    if (description) {
      const collision = description.type === "offer" && (this.makingOffer || this.pc.signalingState !== "stable");
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      await this.pc.setRemoteDescription(description);
      if (description.type === "offer") {
        await this.pc.setLocalDescription();
        this.send({ type: "signal", description: { type: this.pc.localDescription.type, sdp: this.pc.localDescription.sdp } });
      }
    } else if (candidate) {
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (error) {
        if (!this.ignoreOffer) throw error;
      }
    }
  }

  close() {
    this.pc.close();
  }
}
