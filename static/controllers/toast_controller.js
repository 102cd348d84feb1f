import { Controller } from "@hotwired/stimulus";

// A passing message: it fades after a few seconds.
export default class extends Controller {
  connect() {
    this.timer = setTimeout(() => this.element.replaceChildren(), 6000);
  }

  disconnect() {
    clearTimeout(this.timer);
  }
}
