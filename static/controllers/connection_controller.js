import { Controller } from "@hotwired/stimulus";

// Shows a banner while the live socket is down; htmx's ws extension reconnects by itself.
export default class extends Controller {
  static targets = ["banner"];

  connect() {
    this.closed = (event) => {
      if (event.target === this.element && this.hasBannerTarget) this.bannerTarget.hidden = false;
    };
    this.opened = (event) => {
      if (event.target === this.element && this.hasBannerTarget) this.bannerTarget.hidden = true;
    };
    this.element.addEventListener("htmx:wsClose", this.closed);
    this.element.addEventListener("htmx:wsOpen", this.opened);
  }

  disconnect() {
    this.element.removeEventListener("htmx:wsClose", this.closed);
    this.element.removeEventListener("htmx:wsOpen", this.opened);
  }
}
