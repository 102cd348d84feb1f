import { Controller } from "@hotwired/stimulus";

// Opens the console's socket as "mobile" on a phone-sized screen (or with ?device=mobile) and as
// "browser" otherwise: the two kinds of console have separate states. It tells Parley when the
// page goes out of sight (a tab in the background, a phone's screen off), so that rings are also
// pushed to the agent's devices while no console of theirs is seen (durable-objects/ConsolesDO.ts).
export default class extends Controller {
  static values = { url: String, device: String };
  static targets = ["deviceLabel"];

  connect() {
    const device = this.deviceValue || (window.matchMedia("(max-width: 640px)").matches ? "mobile" : "browser");
    if (this.hasDeviceLabelTarget) this.deviceLabelTarget.textContent = device === "mobile" ? "mobile" : "desktop browser";
    // A new socket counts as in sight: it is told only of a page already hidden.
    this.opened = (event) => {
      if (event.target !== this.element) return;
      this.socket = event.detail.event.target;
      if (document.hidden) this.report();
    };
    this.report = () => {
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: "visibility", hidden: document.hidden }));
    };
    this.element.addEventListener("htmx:wsOpen", this.opened);
    document.addEventListener("visibilitychange", this.report);
    this.element.setAttribute("hx-ext", "ws");
    this.element.setAttribute("ws-connect", `${this.urlValue}?device=${device}`);
    window.htmx.process(this.element);
  }

  disconnect() {
    this.element.removeEventListener("htmx:wsOpen", this.opened);
    document.removeEventListener("visibilitychange", this.report);
  }
}
