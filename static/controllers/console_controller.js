import { Controller } from "@hotwired/stimulus";

// Opens the console's socket as "mobile" on a phone-sized screen (or with ?device=mobile) and as
// "browser" otherwise: the two kinds of console have separate states.
export default class extends Controller {
  static values = { url: String, device: String };
  static targets = ["deviceLabel"];

  connect() {
    const device = this.deviceValue || (window.matchMedia("(max-width: 640px)").matches ? "mobile" : "browser");
    if (this.hasDeviceLabelTarget) this.deviceLabelTarget.textContent = device === "mobile" ? "mobile" : "desktop browser";
    this.element.setAttribute("hx-ext", "ws");
    this.element.setAttribute("ws-connect", `${this.urlValue}?device=${device}`);
    window.htmx.process(this.element);
  }
}
