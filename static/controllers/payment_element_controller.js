import { Controller } from "@hotwired/stimulus";

// Stripe's Payment Element: mounts it with the PaymentIntent's client secret and confirms the
// payment in the browser (Stripe.js runs 3-D Secure itself). Whatever Stripe.js says, the page
// then goes to the return URL, where our server asks Stripe how the payment stands: the browser's
// word is never taken for it.
export default class extends Controller {
  static targets = ["mount", "error", "submit"];
  static values = { publishableKey: String, clientSecret: String, stripeAccount: String, returnUrl: String };

  connect() {
    if (typeof window.Stripe !== "function") return this.#show("The card form could not be loaded. Please reload the page.");
    this.stripe = window.Stripe(this.publishableKeyValue, this.stripeAccountValue ? { stripeAccount: this.stripeAccountValue } : undefined);
    this.elements = this.stripe.elements({ clientSecret: this.clientSecretValue });
    this.paymentElement = this.elements.create("payment");
    this.paymentElement.mount(this.mountTarget);
    this.submitTarget.disabled = false;
  }

  disconnect() {
    this.paymentElement?.unmount();
  }

  async pay(event) {
    event.preventDefault();
    this.submitTarget.disabled = true;
    this.#show(null);
    const { error } = await this.stripe.confirmPayment({ elements: this.elements, redirect: "if_required", confirmParams: { return_url: this.returnUrlValue } });
    // A card Stripe refused can be corrected here; anything else is for our server to look at.
    if (error && (error.type === "card_error" || error.type === "validation_error")) {
      this.submitTarget.disabled = false;
      return this.#show(error.message);
    }
    window.location.assign(this.returnUrlValue);
  }

  #show(message) {
    this.errorTarget.hidden = !message;
    this.errorTarget.textContent = message ?? "";
  }
}
