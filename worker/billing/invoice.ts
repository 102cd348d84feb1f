import { formatMoney, minimumChargeMinor } from "./currency";
import { platformFeeMinor, type AccountType, type SaleKind } from "./fees";
import { moneyInput, parseMoney } from "./money";
import { PRICING_CURRENCIES } from "./pricing-form";

// A manual payment request (spec: Business Revenue — Manual Payment Request): the invoice an
// agent issues during a chat, and the countdown of the service time it buys. Pure: no env, no I/O.

export const INVOICE_KINDS: Record<SaleKind, string> = { service: "Online Service Performance", goods: "Physical Goods" };
export const INVOICE_CURRENCIES = PRICING_CURRENCIES;
export const MAX_DESCRIPTION = 200;
/** One day: longer sessions are several invoices. */
export const MAX_SERVICE_MINUTES = 24 * 60;

/** What the customer is asked to pay; `durationSeconds` is the service time bought (null for goods). */
export type InvoiceTerms = { kind: SaleKind; description: string; amountMinor: number; currency: string; durationSeconds: number | null };

/** The form as typed, so a refused form comes back as it was sent. */
export type InvoiceValues = { kind: string; description: string; amount: string; currency: string; minutes: string };
export type InvoiceErrors = Partial<Record<keyof InvoiceValues, string>>;

export type ParsedInvoice = { ok: true; terms: InvoiceTerms } | { ok: false; errors: InvoiceErrors };

export function parseInvoice(values: InvoiceValues): ParsedInvoice {
  const errors: InvoiceErrors = {};
  const kind = values.kind === "service" || values.kind === "goods" ? values.kind : null;
  if (!kind) errors.kind = "Choose Online Service Performance or Physical Goods.";
  const description = values.description.trim().replace(/\s+/g, " ");
  if (!description) errors.description = "Describe what the customer pays for.";
  else if (description.length > MAX_DESCRIPTION) errors.description = `Use at most ${MAX_DESCRIPTION} characters.`;
  const currency = INVOICE_CURRENCIES.find((c) => c === values.currency.trim().toUpperCase()) ?? null;
  if (!currency) errors.currency = `Choose one of ${INVOICE_CURRENCIES.join(", ")}.`;
  let amountMinor = 0;
  if (currency) {
    const parsed = parseMoney(values.amount, currency);
    if (!parsed.ok) errors.amount = parsed.message;
    else if (parsed.minor < minimumChargeMinor(currency)) {
      errors.amount = `Stripe cannot take less than ${formatMoney(minimumChargeMinor(currency), currency)} in one payment; enter at least ${moneyInput(minimumChargeMinor(currency), currency)}.`;
    } else amountMinor = parsed.minor;
  }
  let durationSeconds: number | null = null;
  if (kind === "service") {
    const minutes = values.minutes.trim();
    if (!/^\d{1,4}$/.test(minutes) || Number(minutes) < 1 || Number(minutes) > MAX_SERVICE_MINUTES) {
      errors.minutes = `Enter the minutes of service bought, a whole number from 1 to ${MAX_SERVICE_MINUTES}.`;
    } else durationSeconds = Number(minutes) * 60;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, terms: { kind: kind!, description, amountMinor, currency: currency!, durationSeconds } };
}

/** The form's values for terms already issued ("Buy another session" repeats them). */
export const invoiceValues = (terms: InvoiceTerms): InvoiceValues => ({
  kind: terms.kind,
  description: terms.description,
  amount: moneyInput(terms.amountMinor, terms.currency),
  currency: terms.currency,
  minutes: terms.durationSeconds === null ? "" : String(terms.durationSeconds / 60),
});

/**
 * Parley's application fee on a direct charge to a company's connected account (10 % of
 * services, 4 % of goods); null when the charge is on Parley's own account (solo accounts, or a
 * company not connected yet), where the ledger books Parley's share instead.
 */
export const applicationFeeMinor = (terms: InvoiceTerms, account: AccountType, connected: boolean): number | null =>
  connected ? platformFeeMinor(terms.amountMinor, account, terms.kind) : null;

/**
 * The service time one paid invoice buys: ready once paid, running after the agent's Service
 * Starts, spent when the time has run out (the clock shows the purchased time again), finished
 * when the agent pressed Service Finished.
 */
export type ServiceClock = { state: "ready" | "running" | "spent" | "finished"; durationSeconds: number; endsAt: number | null };

export const readyClock = (durationSeconds: number): ServiceClock => ({ state: "ready", durationSeconds, endsAt: null });

export const startClock = (clock: ServiceClock, now: number): ServiceClock =>
  clock.state === "ready" ? { ...clock, state: "running", endsAt: now + clock.durationSeconds * 1000 } : clock;

export const finishClock = (clock: ServiceClock): ServiceClock => (clock.state === "ready" || clock.state === "running" ? { ...clock, state: "finished", endsAt: null } : clock);

/** At (or after) the deadline a running clock is spent; earlier, or in any other state, nothing changes. */
export const expireClock = (clock: ServiceClock, now: number): ServiceClock =>
  clock.state === "running" && clock.endsAt !== null && now >= clock.endsAt ? { ...clock, state: "spent", endsAt: null } : clock;

/** Whole seconds left on the clock, as both screens show it; a spent clock shows the purchased time again. */
export function remainingSeconds(clock: ServiceClock, now: number): number {
  if (clock.state === "running") return Math.max(0, Math.ceil((clock.endsAt! - now) / 1000));
  if (clock.state === "finished") return 0;
  return clock.durationSeconds;
}

/** "30 minutes", "1 minute", "1 hour 30 minutes". */
export function durationText(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  return [h ? part(h, "hour") : "", m || !h ? part(m, "minute") : ""].filter(Boolean).join(" ");
}
