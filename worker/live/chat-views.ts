import type { CardEntry } from "../adapters/stripe";
import type { AccountType } from "../billing/fees";
import type { InvoiceErrors, InvoiceTerms, InvoiceValues, ServiceClock } from "../billing/invoice";
import type { Merchant } from "../billing/connect";
import type { Party } from "./contracts";
import type { MediaPath, PartyMedia, PhoneButtons } from "../calls/media";

// What a chat's pages are shown of its payment requests and its call, as data: the ChatDO's
// slices (durable-objects/chat/invoices.ts, media.ts) build it, the views under views/live/ render it.

export type Invoice = {
  n: number;
  terms: InvoiceTerms;
  account: AccountType;
  merchant: Merchant;
  status: "open" | "paid" | "withdrawn";
  paymentIntentId: string | null;
  /** Cards tried: each confirmation has its own idempotency key. */
  attempts: number;
  authenticating: boolean;
  lastError: string | null;
  paidAt: number | null;
  /** Written to D1 (charge, ledger, receipt); until then an alarm retries. */
  recorded: boolean;
  /** Once paid: the service time (goods have none, only Service Finished). */
  clock: ServiceClock | null;
  /** The customer's "Buy another session" of this earlier invoice. */
  repeatOf: number | null;
};

export type InvoicesView = {
  chatId: string;
  party: Party;
  /** The chat is connected: buttons work. */
  live: boolean;
  testMode: boolean;
  /** How the customer enters a card: Stripe's Payment Element, test cards (test mode without a publishable key), or not at all. */
  cardEntry: CardEntry;
  customerName: string;
  customerEmail: string | null;
  latest: Invoice | null;
  remainingSeconds: number | null;
  paidTotals: string[];
  /** The agent's invoice form (only for an agent who may send one). */
  form: { values: InvoiceValues; errors: InvoiceErrors; open: boolean } | null;
};

/** What one party's page is told about the call. */
export type CallView = {
  /** Whose page this is: the customer's is the polite peer when both offer at once. */
  party: Party;
  path: MediaPath;
  buttons: PhoneButtons;
  me: PartyMedia | null;
  peer: PartyMedia | null;
  /** The other party's Calls session, to pull its tracks from (Calls path only). */
  peerSessionId: string | null;
};
