import { Controller } from "@hotwired/stimulus";
import { registerServiceWorker } from "./service-worker.js";

// The agent console as an installable app: its service worker is registered once the console loads.
export default class extends Controller {
  connect() {
    registerServiceWorker().catch((err) => console.warn("service worker not registered", err));
  }
}
