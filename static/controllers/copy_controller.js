import { Controller } from "@hotwired/stimulus";

// Copies a read-only text (a link, the embed snippet) with the clipboard API, and says so on the
// button for a moment. Where the clipboard is refused (an http page, an old browser) the text is
// selected instead, for the person to copy with the keyboard.
export default class extends Controller {
  static targets = ["source", "button", "status"];
  static values = { resetMs: { type: Number, default: 2000 } };

  async copy() {
    const text = this.sourceTarget.value;
    try {
      await navigator.clipboard.writeText(text);
      this.#report("Copied", "Copied to the clipboard.");
    } catch {
      this.sourceTarget.focus();
      this.sourceTarget.select();
      this.#report("Selected", "Selected: press Ctrl+C (⌘C on a Mac) to copy.");
    }
  }

  disconnect() {
    clearTimeout(this.timer);
  }

  #report(label, status) {
    this.buttonTarget.textContent = label;
    this.buttonTarget.classList.add("is-copied");
    this.statusTarget.textContent = status;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.buttonTarget.textContent = "Copy";
      this.buttonTarget.classList.remove("is-copied");
      this.statusTarget.textContent = "";
    }, this.resetMsValue);
  }
}
