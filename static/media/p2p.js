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
    this.answerPending = false;
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

  /**
   * addTrack, not addTransceiver: when both pages offer at once, the polite page's tracks then
   * join the other page's offer in its answer (JSEP reuses only addTrack's transceivers). A reused
   * transceiver's track is named in the SDP by its sender, which is why the chat counts the kinds
   * of track an offer sends instead of matching their ids (calls/media.ts, refusedSdp).
   */
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
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === "stable" || this.answerPending);
      const collision = description.type === "offer" && !readyForOffer;
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      // An answer to an offer this side has since rolled back (the polite side after a collision).
      if (description.type === "answer" && this.pc.signalingState !== "have-local-offer") return;
      this.answerPending = description.type === "answer";
      await this.pc.setRemoteDescription(description);
      this.answerPending = false;
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
