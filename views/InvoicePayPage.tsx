import { tryAnotherCard } from "../worker/billing/card-failures";
import { formatMoney } from "../worker/billing/currency";
import type { Invoice } from "../worker/live/chat-views";
import type { ChatInit } from "../worker/live/contracts";
import { FormAlert } from "./Form";
import { Layout } from "./Layout";
import { themeStyle } from "./theme";
import { Terms } from "./live/InvoiceFragments";
import { PaymentElementForm, StayInChat, type CardElement } from "./PaymentElementForm";

type Props = { init: ChatInit; invoice: Invoice; element: CardElement; clientSecret: string; testMode: boolean; error?: string | null };

/**
 * Pay Now of a manual payment request: the invoice's terms and the card in Stripe's Payment
 * Element, confirmed by Stripe.js (3-D Secure included); our server then asks Stripe whether the
 * invoice is paid and the customer goes back to the chat.
 */
export function InvoicePayPage({ init, invoice, element, clientSecret, testMode, error }: Props) {
  const amount = formatMoney(invoice.terms.amountMinor, invoice.terms.currency);
  return (
    <Layout title={`Pay ${amount}`} bare>
      <div class="chat-page" style={themeStyle(init.theme)}>
        <StayInChat chatId={init.chatId} />
        {testMode ? (
          <p class="test-banner" role="note">
            Test mode — no real card is charged. Use one of Stripe's test cards, such as 4242 4242 4242 4242.
          </p>
        ) : null}
        <section class="chat-card card invoice-pay">
          <p class="contact-company">{init.companyName}</p>
          <h1>Payment request</h1>
          <div class="invoice-card open">
            <Terms invoice={invoice} />
          </div>
          <FormAlert message={error ?? (invoice.lastError ? tryAnotherCard(invoice.lastError) : null)} />
          <PaymentElementForm element={element} clientSecret={clientSecret} label={`Pay Now · ${amount}`} />
          <p class="muted small">Your card details go to Stripe, never to {init.companyName} or Parley.</p>
          <p class="center">
            <a href={`/chats/${init.chatId}`}>Back to the chat without paying</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}
