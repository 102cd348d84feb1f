import { Controller } from "@hotwired/stimulus";

// Shows the currency just picked beside each money field, so "10.00" reads in it before saving.
export default class extends Controller {
  static targets = ["code"];

  relabel(event) {
    for (const code of this.codeTargets) code.textContent = event.target.value;
  }
}
