import { Controller } from "@hotwired/stimulus";
import { hoursMinutesSeconds } from "../format/clock.js";

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
    this.element.textContent = hoursMinutesSeconds(left);
    if (left === 0) clearInterval(this.timer);
  }
}
