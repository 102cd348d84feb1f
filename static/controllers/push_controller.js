import { Controller } from "@hotwired/stimulus";
import { registerServiceWorker } from "./service-worker.js";

// "Enable notifications on this device": subscribes this browser to Web Push with Parley's
// VAPID key (the `key` value) and sends the subscription to Parley; Remove takes a device off.
// The routes (worker/routes/push.tsx) answer with the agent's device list, shown in place.
export default class extends Controller {
  static targets = ["enable", "status", "list"];
  static values = { key: String };

  async connect() {
    if (!this.keyValue) return;
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      return this.#unable("This browser cannot show notifications while the console is closed.");
    }
    if (Notification.permission === "denied") return this.#blocked();
    const registration = await navigator.serviceWorker.getRegistration("/agent");
    const subscription = await registration?.pushManager.getSubscription();
    if (!subscription) return;
    // Signing out dropped this browser's device; whoever signs in here now has it again.
    try {
      await this.#send("/agent/push/subscriptions", { method: "POST", body: JSON.stringify(subscription.toJSON()), headers: { "content-type": "application/json" } });
      this.#enabled();
    } catch (err) {
      this.#say(err instanceof Error ? err.message : "");
    }
  }

  async enable() {
    this.enableTarget.disabled = true;
    try {
      if ((await Notification.requestPermission()) !== "granted") return this.#blocked();
      const registration = await registerServiceWorker();
      await navigator.serviceWorker.ready;
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: this.keyValue }));
      await this.#send("/agent/push/subscriptions", { method: "POST", body: JSON.stringify(subscription.toJSON()), headers: { "content-type": "application/json" } });
      this.#enabled();
    } catch (err) {
      this.enableTarget.disabled = false;
      this.#say(err instanceof Error && err.message ? err.message : "Notifications could not be enabled. Please try again.");
    }
  }

  async remove({ params: { id } }) {
    try {
      await this.#send(`/agent/push/subscriptions/${encodeURIComponent(id)}`, { method: "DELETE" });
      // This browser's own subscription may be the one removed: it is offered again.
      const registration = await navigator.serviceWorker?.getRegistration("/agent");
      const subscription = await registration?.pushManager.getSubscription();
      if (!subscription || !this.listTarget.querySelector("li")) {
        await subscription?.unsubscribe();
        this.enableTarget.disabled = false;
        this.enableTarget.textContent = "Enable notifications on this device";
      }
    } catch (err) {
      this.#say(err instanceof Error && err.message ? err.message : "That device could not be removed. Please try again.");
    }
  }

  /** Sends with the page's CSRF token and shows the device list the route answers with. */
  async #send(url, init) {
    const csrf = JSON.parse(document.body.getAttribute("hx-headers") ?? "{}")["x-csrf-token"] ?? "";
    // As an htmx request, a refusal comes back as its message in plain words.
    const res = await fetch(url, { ...init, headers: { ...init.headers, "x-csrf-token": csrf, "hx-request": "true" } });
    const text = await res.text();
    if (!res.ok) throw new Error(text.trim() || "That did not work. Please try again.");
    this.listTarget.innerHTML = text;
    this.#say("");
  }

  #enabled() {
    this.enableTarget.disabled = true;
    this.enableTarget.textContent = "Notifications on for this device";
  }

  #blocked() {
    this.enableTarget.disabled = false;
    this.#say("This browser blocks notifications from Parley: allow them in the site's settings (the icon beside the address), then try again.");
  }

  #unable(message) {
    this.enableTarget.disabled = true;
    this.#say(message);
  }

  #say(message) {
    this.statusTarget.textContent = message;
    this.statusTarget.hidden = message === "";
  }
}
