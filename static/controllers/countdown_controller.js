import { Controller } from "@hotwired/stimulus";

// Counts a paid session's time down on screen, second by second, from the seconds the server
// said were left when it sent the panel (the browser's clock need not agree with the server's).
// The chat's Durable Object decides when the time is up and sends the next panel.
export default class extends Controller {
  static values = { seconds: Number };

  connect() {
    this.endsAt = performance.now() + this.secondsValue * 1000;
    this.timer = setInterval(() => this.show(), 250);
  }

  disconnect() {
    clearInterval(this.timer);
  }

  show() {
    const left = Math.max(0, Math.ceil((this.endsAt - performance.now()) / 1000));
    const h = Math.floor(left / 3600);
    const m = Math.floor((left % 3600) / 60);
    const s = String(left % 60).padStart(2, "0");
    this.element.textContent = h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
    if (left === 0) clearInterval(this.timer);
  }
}
