import { Controller } from "@hotwired/stimulus";

// Simultaneous customer chats as tabs of the agent console. Each open chat (a `.chat-slot` the
// AgentDO puts in #chats) gets a tab named after the customer and the room; the chosen chat is
// shown and the others are hidden, their sockets and calls still running. A text arriving in a
// hidden chat counts on its tab; a chat answered now becomes the chosen one; closing a chat
// takes its tab away, and an ended chat's tab says so until then. With one chat there is
// nothing to switch between, so the strip stays hidden. The keys are those of the WAI-ARIA tabs
// pattern: Left/Right (wrapping), Home and End choose a chat; Tab leaves the strip from the
// chosen tab, the only one in the tab order.
export default class extends Controller {
  static targets = ["strip", "slot"];

  connect() {
    this.seen = new Set(); // the chats this page has shown: a console snapshot re-sends them
    this.unread = new Map();
    this.observer = new MutationObserver((records) => this.changed(records));
    this.observer.observe(this.element, { childList: true, subtree: true });
  }

  disconnect() {
    this.observer.disconnect();
  }

  slotTargetConnected(slot) {
    const id = chatId(slot);
    if (!this.seen.has(id)) {
      this.seen.add(id);
      this.active = id;
    }
    this.render();
  }

  slotTargetDisconnected() {
    this.render();
  }

  show(event) {
    this.active = event.currentTarget.dataset.chatId;
    this.render();
  }

  key(event) {
    const tabs = [...this.stripTarget.children];
    const at = tabs.indexOf(event.currentTarget);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const tab = tabs[(to + tabs.length) % tabs.length];
    this.active = tab.dataset.chatId;
    this.render();
    tab.focus();
  }

  /** The chats' own fragments changed: new lines count as unread in hidden chats; labels follow the heads. */
  changed(records) {
    const relevant = records.filter((r) => !this.stripTarget.contains(r.target));
    if (!relevant.length) return;
    for (const record of relevant) {
      for (const node of record.addedNodes) {
        const slot = node instanceof Element && node.matches(".line") && incoming(node) ? node.closest(".chat-slot") : null;
        if (slot && chatId(slot) !== this.active) this.unread.set(chatId(slot), (this.unread.get(chatId(slot)) ?? 0) + 1);
      }
    }
    this.render();
  }

  render() {
    const slots = this.slotTargets;
    if (!slots.some((slot) => chatId(slot) === this.active)) this.active = slots.length ? chatId(slots[slots.length - 1]) : undefined;
    this.unread.delete(this.active);
    for (const slot of slots) {
      slot.hidden = slots.length > 1 && chatId(slot) !== this.active;
      // A panel of the strip while there is one; a plain section when the chat is alone.
      if (slots.length > 1) {
        slot.setAttribute("role", "tabpanel");
        slot.setAttribute("aria-labelledby", tabId(chatId(slot)));
      } else {
        slot.removeAttribute("role");
        slot.removeAttribute("aria-labelledby");
      }
    }
    this.stripTarget.hidden = slots.length < 2;
    const tabs = slots.map((slot) => this.tab(slot));
    const current = [...this.stripTarget.children];
    if (tabs.length !== current.length || tabs.some((tab, i) => tab !== current[i])) this.stripTarget.replaceChildren(...tabs);
  }

  /** The tab of one chat, made once and then kept up to date (so focus stays on it). */
  tab(slot) {
    const id = chatId(slot);
    let tab = this.stripTarget.querySelector(`[data-chat-id="${CSS.escape(id)}"]`);
    if (!tab) {
      tab = document.createElement("button");
      tab.type = "button";
      tab.className = "chat-tab";
      tab.id = tabId(id);
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", slot.id);
      tab.dataset.chatId = id;
      tab.dataset.action = "chat-tabs#show keydown->chat-tabs#key";
      for (const part of ["name", "room", "unread"]) tab.append(Object.assign(document.createElement("span"), { className: `chat-tab-${part}` }));
    }
    const head = slot.querySelector(".chat-head");
    const ended = !!head?.querySelector("h2") && !!slot.querySelector(".controls:empty");
    const unread = this.unread.get(id) ?? 0;
    setText(tab.querySelector(".chat-tab-name"), head?.querySelector("h2")?.textContent ?? "Customer");
    setText(tab.querySelector(".chat-tab-room"), head?.querySelector(".chip")?.textContent ?? "");
    setText(tab.querySelector(".chat-tab-unread"), unread ? String(unread) : ended ? "ended" : "");
    tab.querySelector(".chat-tab-unread").setAttribute("aria-label", unread ? `${unread} unread` : ended ? "chat ended" : "");
    tab.setAttribute("aria-selected", String(id === this.active));
    tab.tabIndex = id === this.active ? 0 : -1;
    tab.classList.toggle("unread", unread > 0);
    tab.classList.toggle("ended", ended && !unread);
    return tab;
  }
}

const chatId = (slot) => slot.id.replace(/^chat-slot-/, "");
const tabId = (id) => `chat-tab-${id}`;

/** A line someone else wrote: not the viewer's, nor a conference guest's own copy. */
const incoming = (line) => line.dataset.sender !== line.closest(".transcript")?.dataset.viewer && !line.classList.contains("own");

/** Writes only a change, so that the observer does not see the tabs' own updates as news. */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
