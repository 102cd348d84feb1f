import { describeScheme } from "../worker/billing/describe";
import { formatMoney } from "../worker/billing/currency";
import type { Billing } from "../worker/live/chat-billing";
import type { ChatInit } from "../worker/live/types";
import { FormAlert } from "./Form";
import { CsrfField, Layout } from "./Layout";

/** Stripe's test payment methods the customer may pick while Parley runs against test Stripe. */
export const TEST_CARDS = [
  { id: "pm_card_visa", label: "Visa •••• 4242", hint: "authorises and pays" },
  { id: "pm_card_mastercard", label: "Mastercard •••• 4444", hint: "authorises and pays" },
  { id: "pm_card_authenticationRequiredOnSetup", label: "Visa •••• 3184", hint: "asks for 3-D Secure first" },
  { id: "pm_card_chargeDeclinedInsufficientFunds", label: "Visa •••• 9995", hint: "declined: insufficient funds" },
  { id: "pm_card_fake_insufficientFundsAfterFirstCharge", label: "Visa •••• 0341", hint: "authorises, later charges fail" },
] as const;

type Props = { init: ChatInit; billing: Billing; testMode: boolean; error?: string | null };

/** Before an automatically charged chat: the price in words, the customer's agreement, the card. */
export function AuthorisePage({ init, billing, testMode, error }: Props) {
  const scheme = billing.config.scheme;
  return (
    <Layout title="Agree to the price" bare>
      <div class="chat-page">
        {testMode ? (
          <p class="test-banner" role="note">
            Test mode — no real card is charged. Pick one of Stripe's test cards below.
          </p>
        ) : null}
        <section class="chat-card card authorise">
          <p class="contact-company">{init.companyName}</p>
          <h1>This chat is paid by the minute</h1>
          <ul class="price-words">
            {describeScheme(scheme).map((line) => (
              <li>{line}</li>
            ))}
          </ul>
          <p class="muted small">
            We ask your card's bank to hold {formatMoney(billing.config.holdMinor, scheme.currency)} now; you pay only what the meter shows when the chat ends,
            and the rest of the hold is released. Your card details go to Stripe, never to {init.companyName} or Parley.
          </p>
          <FormAlert message={error ?? billing.lastError} />
          {testMode ? (
            <form method="post" action={`/chats/${init.chatId}/authorise`} class="stack">
              <CsrfField />
              <fieldset class="cards">
                <legend>Card</legend>
                {TEST_CARDS.map((card, i) => (
                  <label class="choice-card">
                    <input type="radio" name="paymentMethod" value={card.id} checked={i === 0} />
                    <strong>{card.label}</strong>
                    <span>{card.hint}</span>
                  </label>
                ))}
              </fieldset>
              <label class="check">
                <input type="checkbox" name="agree" required />
                <span>I agree to the price above and to this hold on my card.</span>
              </label>
              <button type="submit" class="btn btn-primary btn-block">
                Agree and authorise {formatMoney(billing.config.holdMinor, scheme.currency)}
              </button>
            </form>
          ) : (
            <p class="alert alert-error">Card entry with Stripe's Payment Element is not available on this server yet. Please contact {init.companyName} by email.</p>
          )}
          <p class="center">
            <a href={init.contactPath}>Cancel</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}
