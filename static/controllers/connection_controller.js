import { Controller } from "@hotwired/stimulus";

/** The close code of a console whose session ended (durable-objects/ConsolesDO.ts). */
const SIGNED_OUT = 4401;

// Shows a banner while the live socket is down; htmx's ws extension reconnects by itself.
export default class extends Controller {
  static targets = ["banner"];

  connect() {
    this.closed = (event) => {
      if (event.target !== this.element) return;
      // Signed out (here, on another tab, or disabled by an admin): the reload leads to the sign-in page.
      if (event.detail.event?.code === SIGNED_OUT) return window.location.reload();
      if (this.hasBannerTarget) this.bannerTarget.hidden = false;
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
