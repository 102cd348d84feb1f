import { Controller } from "@hotwired/stimulus";
import { partsOf } from "../media/recording-store.js";
import { partItem } from "../media/recording-list.js";

// Chat View and Chat Records: the parts of a chat recorded in this browser and not (yet) in the
// chat's record on the server, e.g. when its upload failed.
export default class extends Controller {
  static values = { chat: String };
  static targets = ["list"];

  async connect() {
    let parts = [];
    try {
      parts = (await partsOf(this.chatValue)).filter((p) => !p.uploaded);
    } catch {
      return;
    }
    if (!parts.length) return;
    for (const part of parts) this.listTarget.append(partItem(part, "In this browser only"));
    this.element.hidden = false;
  }
}
