import { Controller } from "@hotwired/stimulus";

// Asks before an action that cannot be undone, such as hanging up.
export default class extends Controller {
  static values = { message: String };

  ask(event) {
    if (!window.confirm(this.messageValue)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }
}
