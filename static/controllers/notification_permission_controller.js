import { Controller } from "@hotwired/stimulus";

// The agent profile's Notification alert: switching it on asks the browser's permission there
// and then (a click, which browsers require for the prompt), and the profile says when the
// browser blocks notifications, which the switch alone cannot change.
export default class extends Controller {
  static targets = ["switch", "status"];

  connect() {
    this.#show();
  }

  async ask() {
    if (this.switchTarget.checked && "Notification" in window && Notification.permission === "default") {
      await Notification.requestPermission();
    }
    this.#show();
  }

  #show() {
    const message = this.#problem();
    this.statusTarget.textContent = message;
    this.statusTarget.hidden = message === "";
  }

  #problem() {
    if (!this.switchTarget.checked) return "";
    if (!("Notification" in window)) return "This browser cannot show notifications; the console still rings and flashes.";
    if (Notification.permission === "denied") {
      return "This browser blocks notifications from Parley: allow them in the site's settings (the icon beside the address), then reload the console.";
    }
    return "";
  }
}
