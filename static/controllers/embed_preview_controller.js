import { Controller } from "@hotwired/stimulus";

// Keeps the room settings' embed preview in step with the form while the admin edits it: the
// theme colour, the button's corner, the whisper, the pop-up and the contact form's texts.
export default class extends Controller {
  static targets = ["stage", "popup", "whisper", "whisperText", "company", "header", "subheader", "caption"];
  static values = { popupCaption: String, tabCaption: String, companyName: String };

  update() {
    if (!this.hasStageTarget) return;
    const form = this.element;
    const theme = this.#value("theme");
    // Only a colour the form would accept reaches the style.
    if (/^#[0-9a-fA-F]{6}$/.test(theme)) this.stageTarget.style.setProperty("--embed-theme", theme);
    this.stageTarget.dataset.side = this.#value("embedPosition") === "left" ? "left" : "right";
    const whisper = this.#value("embedWhisperText").trim();
    this.whisperTextTarget.textContent = whisper;
    this.whisperTarget.hidden = whisper === "";
    const popup = form.elements.namedItem("embedPopup")?.checked ?? true;
    this.popupTarget.hidden = !popup;
    this.captionTarget.textContent = popup ? this.popupCaptionValue : this.tabCaptionValue;
    this.companyTarget.textContent = this.#value("formCompanyName").trim() || this.companyNameValue;
    this.headerTarget.textContent = this.#value("formHeader");
    this.subheaderTarget.textContent = this.#value("formSubheader");
  }

  // A text field's value, or the checked radio button's of a group.
  #value(name) {
    const field = this.element.elements.namedItem(name);
    return field && "value" in field ? String(field.value) : "";
  }
}
