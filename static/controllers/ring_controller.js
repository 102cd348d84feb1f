import { Controller } from "@hotwired/stimulus";

// Rings while an incoming-chat card is on screen: a tone made with WebAudio (no sound file), in
// the pattern of the agent's chosen ringtone, and a browser notification if the agent wants one.
// Browsers may keep it silent until the page has been clicked once; the card pulses either way.
const PATTERNS = {
  classic: { notes: [880, 660], beat: 0.35, pause: 1.2 },
  chime: { notes: [1046, 1318, 1568], beat: 0.25, pause: 1.5 },
  soft: { notes: [523], beat: 0.6, pause: 1.8 },
};

export default class extends Controller {
  static values = { tone: String, notify: Boolean, caller: String };

  connect() {
    this.notify();
    this.play();
  }

  notify() {
    if (!this.notifyValue || !("Notification" in window)) return;
    if (Notification.permission === "granted") {
      this.notification = new Notification("Incoming chat", { body: this.callerValue, tag: this.element.id });
    } else if (Notification.permission === "default") {
      Notification.requestPermission();
    }
  }

  play() {
    const pattern = PATTERNS[this.toneValue];
    if (!pattern || !window.AudioContext) return;
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

  disconnect() {
    this.notification?.close();
    clearInterval(this.timer);
    this.audio?.close();
  }
}
