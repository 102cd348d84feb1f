// Stripe's Payment Element in a page of ours: Stripe.js, the form the payment_element controller
// mounts it in, and the button that confirms. Used for a chat's hold and for an invoice's Pay Now.

/** Stripe.js, the keys, and the PaymentIntent's client secret once there is one. */
export type CardElement = { publishableKey: string; jsUrl: string; clientSecret: string | null; stripeAccount: string | null; returnUrl: string };

/**
 * The card form: Stripe.js confirms the PaymentIntent (3-D Secure included) and the page then
 * goes to the return URL, where our server asks Stripe how the payment stands.
 */
export function PaymentElementForm({ element, clientSecret, label, intro }: { element: CardElement; clientSecret: string; label: string; intro?: string | null }) {
  return (
    <>
      <script src={element.jsUrl}></script>
      <form
        class="stack card-element"
        data-controller="payment-element"
        data-action="payment-element#pay"
        data-payment-element-publishable-key-value={element.publishableKey}
        data-payment-element-client-secret-value={clientSecret}
        data-payment-element-stripe-account-value={element.stripeAccount ?? ""}
        data-payment-element-return-url-value={element.returnUrl}
      >
        {intro ? <p class="small muted">{intro}</p> : null}
        <div class="card-element-mount" data-payment-element-target="mount"></div>
        <p class="alert alert-error" role="alert" data-payment-element-target="error" hidden></p>
        <button type="submit" class="btn btn-primary btn-block" data-payment-element-target="submit" disabled>
          {label}
        </button>
      </form>
    </>
  );
}

/**
 * On a payment page: a socket to the chat that only keeps the customer present (the chat's
 * Durable Object sends it nothing). In a connected chat the agent does not see them offline and
 * the 90-second timeout does not run while they pay; before the chat, a customer who closes the
 * price or card page is given up a minute later and the hold released.
 */
export function StayInChat({ chatId }: { chatId: string }) {
  return <div hx-ext="ws" ws-connect={`/chats/${chatId}/ws?away=1`} hidden></div>;
}
