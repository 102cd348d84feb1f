import { cardFailureText } from "../worker/billing/card-failures";
import { describeScheme } from "../worker/billing/describe";
import { formatMoney } from "../worker/billing/currency";
import { accruedMinor } from "../worker/billing/taximeter";
import { SAVED_CARD, TEST_CARDS } from "../worker/billing/test-cards";
import type { Billing } from "../worker/live/chat-bill";
import type { ChatInit } from "../worker/live/contracts";
import { FormAlert } from "./Form";
import { CsrfField, Layout } from "./Layout";
import { themeStyle } from "./theme";
import { PaymentElementForm, StayInChat, type CardElement } from "./PaymentElementForm";

type Props = { init: ChatInit; billing: Billing; testMode: boolean; element?: CardElement | null; error?: string | null };

/**
 * The customer's card. Before an automatically charged chat: the price in words, the customer's
 * agreement, the card to hold the amount on. After a hold failed ("payment needed"): the same
 * card choice for that hold, to pay with another card or pass 3-D Secure.
 */
export function AuthorisePage({ init, billing, testMode, element, error }: Props) {
  const scheme = billing.config.scheme;
  const money = (minor: number) => formatMoney(minor, scheme.currency);
  const paying = billing.phase === "payment_needed";
  const holdMinor = billing.hold?.amountMinor ?? billing.config.holdMinor;
  const confirmSaved = paying && billing.failureCode === "authentication_required" && billing.cardId !== null;
  const cards = [...(confirmSaved ? [{ id: SAVED_CARD, label: "Your card on file", hint: "confirm the payment with your bank" }] : []), ...TEST_CARDS];
  return (
    <Layout title={paying ? "Payment needed" : "Agree to the price"} bare>
      <div class="chat-page" style={themeStyle(init.theme)}>
        <StayInChat chatId={init.chatId} />
        {testMode ? (
          <p class="test-banner" role="note">
            {element
              ? "Test mode — no real card is charged. Use one of Stripe's test cards, such as 4242 4242 4242 4242."
              : "Test mode — no real card is charged. Pick one of Stripe's test cards below."}
          </p>
        ) : null}
        <section class="chat-card card authorise">
          <p class="contact-company">{init.companyName}</p>
          {paying ? <PaymentNeededIntro billing={billing} money={money} /> : <h1>This chat is paid by the minute</h1>}
          <ul class="price-words">
            {describeScheme(scheme).map((line) => (
              <li>{line}</li>
            ))}
          </ul>
          <p class="muted small">
            {paying
              ? `We ask your card's bank to hold ${money(holdMinor)}; only what the meter shows is charged, and the rest of the hold is released.`
              : `We ask your card's bank to hold ${money(holdMinor)} now; you pay only what the meter shows when the chat ends, and the rest of the hold is released.`}{" "}
            Your card details go to Stripe, never to {init.companyName} or Parley.
          </p>
          <FormAlert message={error ?? (paying ? null : billing.lastError)} />
          {element ? (
            <CardElementForm chatId={init.chatId} element={element} paying={paying} label={paying ? `Pay with this card (hold ${money(holdMinor)})` : `Authorise ${money(holdMinor)}`} />
          ) : testMode ? (
            <form method="post" action={`/chats/${init.chatId}/authorise`} class="stack">
              <CsrfField />
              <fieldset class="cards">
                <legend>Card</legend>
                {cards.map((card, i) => (
                  <label class="choice-card">
                    <input type="radio" name="paymentMethod" value={card.id} checked={i === 0} />
                    <strong>{card.label}</strong>
                    <span>{card.hint}</span>
                  </label>
                ))}
              </fieldset>
              {paying ? null : (
                <label class="check">
                  <input type="checkbox" name="agree" required />
                  <span>I agree to the price above and to this hold on my card.</span>
                </label>
              )}
              <button type="submit" class="btn btn-primary btn-block">
                {paying ? `Pay with this card (hold ${money(holdMinor)})` : `Agree and authorise ${money(holdMinor)}`}
              </button>
            </form>
          ) : (
            <p class="alert alert-error">Card entry with Stripe's Payment Element is not available on this server yet. Please contact {init.companyName} by email.</p>
          )}
          <p class="center">{paying ? <a href={`/chats/${init.chatId}`}>Back to the chat</a> : <a href={init.contactPath}>Cancel</a>}</p>
        </section>
      </div>
    </Layout>
  );
}

/**
 * The card in Stripe's Payment Element: first the price agreed (our server then makes the hold),
 * then the card confirmed by Stripe.js, which also runs 3-D Secure; the return URL is where our
 * server asks Stripe whether the hold is really in place.
 */
function CardElementForm({ chatId, element, paying, label }: { chatId: string; element: CardElement; paying: boolean; label: string }) {
  if (!element.clientSecret)
    return (
      <form method="post" action={`/chats/${chatId}/hold`} class="stack">
        <CsrfField />
        <label class="check">
          <input type="checkbox" name="agree" required />
          <span>I agree to the price above and to this hold on my card.</span>
        </label>
        <button type="submit" class="btn btn-primary btn-block">
          Agree and enter my card
        </button>
      </form>
    );
  return (
    <PaymentElementForm
      element={element}
      clientSecret={element.clientSecret}
      label={label}
      intro={paying ? null : "You agreed to the price. Enter the card to hold the amount on."}
    />
  );
}

/** What failed and what is owed, above the card choice. */
function PaymentNeededIntro({ billing, money }: { billing: Billing; money: (minor: number) => string }) {
  const owed = billing.final?.amountMinor ?? (billing.meter ? accruedMinor(billing.meter, Date.now()) : 0);
  return (
    <>
      <h1>Payment needed</h1>
      <div class="alert alert-error" role="alert">
        {cardFailureText(billing)}
      </div>
      <p>
        {billing.final ? "This chat came to " : "So far this chat comes to "}
        <strong>{money(owed)}</strong>, of which {money(billing.chargedMinor)} is paid. Please{" "}
        {billing.failureCode === "authentication_required" ? "confirm the payment with your bank, or use another card" : "use another card"}.
      </p>
    </>
  );
}
