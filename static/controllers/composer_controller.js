import { Controller } from "@hotwired/stimulus";

// The message box: Enter sends (Shift+Enter for a new line), and it empties once sent.
export default class extends Controller {
  static targets = ["input"];

  sendOnEnter(event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    if (this.inputTarget.value.trim()) this.element.requestSubmit();
  }

  clear(event) {
    // Typing previews are sent from the textarea itself; only a sent message clears the box.
    if (event.detail?.elt !== this.element) return;
    this.inputTarget.value = "";
    this.inputTarget.focus();
  }
}
