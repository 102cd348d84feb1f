import { Controller } from "@hotwired/stimulus";

// The agent profile's photo: choosing a file or typing an address ticks that option, and a file
// over the size limit is refused here, before a long upload that the server would refuse too.
// The server checks the type by the file's bytes; the browser only filters the picker.
export default class extends Controller {
  static values = { maxBytes: Number };
  static targets = ["upload", "url", "fileError"];

  fileChosen(event) {
    const file = event.target.files?.[0];
    if (!file) return;
    this.uploadTarget.checked = true;
    const tooLarge = file.size > this.maxBytesValue;
    const message = tooLarge ? `This photo is over ${this.maxBytesValue / 1024 / 1024} MB: use a smaller one.` : "";
    event.target.setCustomValidity(message);
    event.target.setAttribute("aria-invalid", String(tooLarge));
    event.target.setAttribute("aria-describedby", tooLarge ? "f-photoFile-error" : "f-photoFile-note");
    this.fileErrorTarget.textContent = message;
    this.fileErrorTarget.hidden = !tooLarge;
    event.target.closest(".field")?.classList.toggle("has-error", tooLarge);
  }

  addressTyped(event) {
    if (event.target.name === "photoUrl" && event.target.value) this.urlTarget.checked = true;
  }
}
