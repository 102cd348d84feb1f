// What every page runs, bundled into each audience's script (customer.js, staff.js; built by
// scripts/build-assets.mjs): htmx with its WebSocket extension, the live sockets' heartbeat and
// messages, and Stimulus with that audience's controllers.
import htmx from "htmx.org";
import "htmx-ext-ws";
import { Application } from "@hotwired/stimulus";
import "./heartbeat.js";
import { offerReload } from "./new-release.js";
import "./socket-messages.js";

// Controllers that process swapped-in markup themselves (console_controller.js) reach htmx here.
window.htmx = htmx;

/**
 * Starts Stimulus with the `eager` controllers, and registers each `lazy` one (identifier → its
 * module's import) once an element naming it first appears: pages download calls' media,
 * recording, remote control and card payments only when they show them. `cues` names, for a lazy
 * controller, the markup that brings it instead (identifier → selector): an element may name a
 * controller long before it has work for it (the customer's chat page and its calls).
 */
export function start(eager, lazy, cues = {}) {
  const application = Application.start();
  for (const [identifier, controller] of Object.entries(eager)) application.register(identifier, controller);
  const pending = new Map(Object.entries(lazy));
  const register = (identifier) => {
    const importer = pending.get(identifier);
    if (!importer) return;
    pending.delete(identifier);
    importer().then(
      (module) => application.register(identifier, module.default),
      (error) => {
        // Offline for a moment: the next element that names it tries again. Online, the
        // release it belongs to may be gone.
        pending.set(identifier, importer);
        console.error(`the ${identifier} controller could not be loaded`, error);
        offerReload();
      },
    );
  };
  const load = (element) => {
    for (const identifier of element.getAttribute("data-controller")?.split(/\s+/) ?? []) if (!(identifier in cues)) register(identifier);
  };
  const scan = (root) => {
    if (root.hasAttribute("data-controller")) load(root);
    for (const element of root.querySelectorAll("[data-controller]")) load(element);
    for (const [identifier, selector] of Object.entries(cues)) {
      if (pending.has(identifier) && (root.matches(selector) || root.querySelector(selector))) register(identifier);
    }
  };
  scan(document.documentElement);
  new MutationObserver((records) => {
    if (!pending.size) return;
    for (const record of records) {
      if (record.type === "attributes") load(record.target);
      else for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) scan(node);
    }
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-controller"] });
  window.Stimulus = application;
}
