import { Controller } from "@hotwired/stimulus";

// Rings while at least one incoming-chat card is in the console's ring list: one tone made with
// WebAudio (no sound file), in the pattern of the agent's chosen ringtone, however many chats
// ring, and a browser notification per chat if the agent wants them. Browsers may keep it silent
// until the page has been clicked once; the cards pulse either way.
const PATTERNS = {
  classic: { notes: [880, 660], beat: 0.35, pause: 1.2 },
  chime: { notes: [1046, 1318, 1568], beat: 0.25, pause: 1.5 },
  soft: { notes: [523], beat: 0.6, pause: 1.8 },
};

export default class extends Controller {
  static targets = ["card"];
  static values = { tone: String, notify: Boolean };

  cardTargetConnected(card) {
    // A ring sent again (after the server restarted) replaces the card already shown.
    for (const older of this.cardTargets) if (older !== card && older.id === card.id) older.remove();
    this.notify(card);
    this.play();
  }

  cardTargetDisconnected(card) {
    this.notifications?.get(card.id)?.close();
    this.notifications?.delete(card.id);
    if (!this.cardTargets.length) this.silence();
  }

  disconnect() {
    for (const n of this.notifications?.values() ?? []) n.close();
    this.notifications?.clear();
    this.silence();
  }

  notify(card) {
    if (!this.notifyValue || !("Notification" in window)) return;
    if (Notification.permission === "granted") {
      this.notifications ??= new Map();
      this.notifications.set(card.id, new Notification("Incoming chat", { body: card.dataset.caller, tag: card.id }));
    } else if (Notification.permission === "default") {
      Notification.requestPermission();
    }
  }

  play() {
    const pattern = PATTERNS[this.toneValue];
    if (this.timer || !pattern || !window.AudioContext) return;
    this.audio = new AudioContext();
    const play = () => {
      let t = this.audio.currentTime;
      for (const frequency of pattern.notes) {
        const osc = this.audio.createOscillator();
        const gain = this.audio.createGain();
        osc.frequency.value = frequency;
        gain.gain.setValueAtTime(0.15, t);
        gain.gain.exponentialRampToValueAtTime(0.001, t + pattern.beat);
        osc.connect(gain).connect(this.audio.destination);
        osc.start(t);
        osc.stop(t + pattern.beat);
        t += pattern.beat;
      }
    };
    play();
    this.timer = setInterval(play, (pattern.notes.length * pattern.beat + pattern.pause) * 1000);
  }

  silence() {
    clearInterval(this.timer);
    this.timer = null;
    this.audio?.close();
    this.audio = null;
  }
}
