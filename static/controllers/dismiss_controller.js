import { Controller } from "@hotwired/stimulus";

// A Close button for a part the server put in the page, found as the button's closest ancestor
// matching `closest`: #remove takes it away; #empty keeps it, empty, for the next swap into it.
// (Inline handlers would need the CSP to allow eval.)
export default class extends Controller {
  static values = { closest: String };

  remove() {
    this.element.closest(this.closestValue)?.remove();
  }

  empty() {
    this.element.closest(this.closestValue)?.replaceChildren();
  }
}
