import * as z from "zod";
import { formatMoney, minimumChargeMinor } from "./currency";
import type { PricingScheme } from "./meter";
import { moneyInput, parseMoney } from "./money";

// The pricing scheme as a form: one schema for a room's In-app purchase settings and an agent's
// own pricing (spec: business-revenue-inapp-payment.txt, agent-private-profile.txt "Service
// Charges"). Money is typed in major units and stored as integer minor units. Pure: no env, no I/O.

export const PRICING_CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF", "AUD", "CAD"] as const;
export type PricingCurrency = (typeof PRICING_CURRENCIES)[number];

export const FREE_MINUTES_MAX = 600;
export const BLOCK_MINUTES_MAX = 600;

/** The `*Minor` columns the scheme is stored in, on `rooms` and on `agent_profiles` alike. */
export type SchemeColumns = {
  pricingCurrency: PricingCurrency;
  pricingFreeMinutes: number;
  pricingBlockPriceMinor: number;
  pricingBlockMinutes: number;
  pricingSplitThresholdMinor: number | null;
};

/** What the form shows: the text as typed, so a refused form comes back as it was sent. */
export type SchemeValues = {
  pricingCurrency: string;
  pricingFreeMinutes: string;
  pricingBlockPrice: string;
  pricingBlockMinutes: string;
  pricingSplitThreshold: string;
};
export const SCHEME_KEYS = ["pricingCurrency", "pricingFreeMinutes", "pricingBlockPrice", "pricingBlockMinutes", "pricingSplitThreshold"] as const;

/** The currency the form was sent with, if it is one we price in: money fields are read in it. */
export const currencyOf = (input: Record<string, unknown>): PricingCurrency | null =>
  PRICING_CURRENCIES.find((c) => c === input.pricingCurrency) ?? null;

const text = z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string());

const wholeMinutes = (min: number, max: number, message: string) =>
  text.refine((v) => /^\d{1,4}$/.test(v) && Number(v) >= min && Number(v) <= max, message).transform(Number);

const stripeMinimum = (currency: PricingCurrency) =>
  `Stripe cannot take less than ${formatMoney(minimumChargeMinor(currency), currency)} in one payment; enter at least ${moneyInput(minimumChargeMinor(currency), currency)}.`;

// Reads one money field through the one parser and checks Stripe's minimum charge. Until a valid
// currency is chosen there is nothing to read it in: the currency field carries the error then.
function readMoney(typed: string, currency: PricingCurrency | null, ctx: z.RefinementCtx): number {
  if (!currency) return 0;
  const parsed = parseMoney(typed, currency);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message, input: typed });
    return z.NEVER;
  }
  if (parsed.minor < minimumChargeMinor(currency)) {
    ctx.addIssue({ code: "custom", message: stripeMinimum(currency), input: typed });
    return z.NEVER;
  }
  return parsed.minor;
}

/** A required amount in `currency`, at least Stripe's minimum charge. */
export const moneyField = (currency: PricingCurrency | null) => text.transform((typed, ctx) => readMoney(typed, currency, ctx));

/** The same, or null when left empty. */
export const optionalMoneyField = (currency: PricingCurrency | null) =>
  text.transform((typed, ctx): number | null => (typed === "" ? null : readMoney(typed, currency, ctx)));

/** The scheme's fields, to spread into a larger form. */
export const schemeShape = (currency: PricingCurrency | null) => ({
  pricingCurrency: z.enum(PRICING_CURRENCIES, { error: `Choose one of ${PRICING_CURRENCIES.join(", ")}.` }),
  pricingFreeMinutes: wholeMinutes(0, FREE_MINUTES_MAX, `Enter a whole number of free minutes from 0 to ${FREE_MINUTES_MAX}.`),
  // The smallest bill of a paid chat, so it must be one Stripe can charge.
  pricingBlockPrice: moneyField(currency),
  pricingBlockMinutes: wholeMinutes(1, BLOCK_MINUTES_MAX, `Enter a whole number of minutes from 1 to ${BLOCK_MINUTES_MAX}.`),
  pricingSplitThreshold: optionalMoneyField(currency),
});

export type SchemeFields = z.output<z.ZodObject<ReturnType<typeof schemeShape>>>;

// The card hold must cover the first block: more than the hold cannot be captured from it
// (durable-objects/chat/billing.ts caps every capture at the hold).
export const holdTooSmall = (what: string, s: SchemeFields) =>
  `Set the ${what} to at least the price per block (${formatMoney(s.pricingBlockPrice, s.pricingCurrency)}): the customer's card is held for this amount, and a smaller hold cannot pay for the first block.`;

/** Rules across the scheme's fields, for a larger form's superRefine. */
export function refineScheme(s: SchemeFields, ctx: z.RefinementCtx): void {
  if (s.pricingSplitThreshold !== null && s.pricingSplitThreshold < s.pricingBlockPrice) {
    ctx.addIssue({ code: "custom", path: ["pricingSplitThreshold"], message: holdTooSmall("split threshold", s) });
  }
}

/** The parsed fields under their column names. */
export const schemeColumns = (s: SchemeFields): SchemeColumns => ({
  pricingCurrency: s.pricingCurrency,
  pricingFreeMinutes: s.pricingFreeMinutes,
  pricingBlockPriceMinor: s.pricingBlockPrice,
  pricingBlockMinutes: s.pricingBlockMinutes,
  pricingSplitThresholdMinor: s.pricingSplitThreshold,
});

/** The scheme on its own; read money in `currencyOf(input)`. */
export const pricingSchemeForm = (currency: PricingCurrency | null) =>
  z.object(schemeShape(currency)).superRefine(refineScheme).transform(schemeColumns);

export const schemeFromColumns = (c: SchemeColumns): PricingScheme => ({
  currency: c.pricingCurrency,
  freeMinutes: c.pricingFreeMinutes,
  blockPriceMinor: c.pricingBlockPriceMinor,
  blockMinutes: c.pricingBlockMinutes,
  splitThresholdMinor: c.pricingSplitThresholdMinor,
});

/** A scheme for the price-in-words preview, with the card hold it takes; or why there is none yet. */
/** `holdMinor` null: own pricing whose split threshold (its hold) is not set yet. */
export type SchemePreview = { success: true; scheme: PricingScheme; holdMinor: number | null } | { success: false; errors: Record<string, string> };

type StoredScheme = Omit<SchemeColumns, "pricingCurrency"> & { pricingCurrency: string };

/** A stored scheme (room or agent profile) as the form shows it. */
export const schemeValuesFromRow = (row: StoredScheme): SchemeValues => ({
  pricingCurrency: row.pricingCurrency,
  pricingFreeMinutes: String(row.pricingFreeMinutes),
  pricingBlockPrice: moneyInput(row.pricingBlockPriceMinor, row.pricingCurrency),
  pricingBlockMinutes: String(row.pricingBlockMinutes),
  pricingSplitThreshold: row.pricingSplitThresholdMinor === null ? "" : moneyInput(row.pricingSplitThresholdMinor, row.pricingCurrency),
});

/** The scheme's fields as sent, falling back to `fallback` for any that did not arrive. */
export function schemeValuesFromForm(input: Record<string, unknown>, fallback: SchemeValues): SchemeValues {
  const values = { ...fallback };
  for (const k of SCHEME_KEYS) {
    const v = input[k];
    if (typeof v === "string") values[k] = v;
  }
  return values;
}
