// Currencies as Stripe treats them: lower-case ISO codes, amounts in minor units (cents), a few
// zero-decimal currencies whose amounts are whole units (JPY 500 = ¥500), and a minimum charge
// per currency below which Stripe refuses the payment with `amount_too_small`.
import { invalidRequest } from "./errors";

// https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts, in minor units.
const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50,
  gbp: 30, hkd: 400, huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50,
  pln: 200, ron: 200, sek: 300, sgd: 50, thb: 1000,
};

export const ZERO_DECIMAL = new Set([
  "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
]);

// Stripe's presentment currencies (the common ones; an unknown code is refused as Stripe does).
const SUPPORTED = new Set(
  (
    "usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bif bmd bnd bob brl bsd bwp byn bzd cad " +
    "cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd " +
    "hnl htg huf idr ils inr isk jmd jpy kes kgs khr kmf krw kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd " +
    "mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd pab pen pgk php pkr pln pyg qar ron rsd " +
    "rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs top try ttd twd tzs uah ugx uyu uzs vnd " +
    "vuv wst xaf xcd xof xpf yer zar zmw"
  ).split(" "),
);

const SYMBOL: Record<string, string> = { usd: "$", eur: "€", gbp: "£", jpy: "¥", aud: "A$", cad: "CA$", chf: "CHF ", inr: "₹" };

/** Validates and lower-cases a currency parameter. */
export function currencyParam(raw: string, param = "currency"): string {
  const currency = raw.toLowerCase();
  if (!SUPPORTED.has(currency))
    throw invalidRequest(`Invalid currency: ${raw}. Stripe currently supports these currencies: ${[...SUPPORTED].join(", ")}`, { param });
  return currency;
}

/**
 * Stripe states minimums for these currencies; for the others it asks for the equivalent of
 * USD 0.50 in the settlement currency, which the fake approximates as 50 minor units.
 */
export function minimumCharge(currency: string): number {
  return MINIMUM_CHARGE[currency] ?? 50;
}

export const MAXIMUM_CHARGE = 99_999_999;

export function formatAmount(minor: number, currency: string): string {
  const major = ZERO_DECIMAL.has(currency) ? String(minor) : (minor / 100).toFixed(2);
  return `${SYMBOL[currency] ?? ""}${major}`;
}

/** Refuses amounts outside Stripe's limits with its messages and codes. */
export function checkChargeAmount(amount: number, currency: string, param = "amount"): void {
  const minimum = minimumCharge(currency);
  if (amount < minimum)
    throw invalidRequest(`Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, { param, code: "amount_too_small" });
  if (amount > MAXIMUM_CHARGE)
    throw invalidRequest(`Amount must be no more than ${formatAmount(MAXIMUM_CHARGE, currency)} ${currency}`, { param, code: "amount_too_large" });
}

/**
 * Stripe's processing fee as the fake charges it: Stripe's standard price for a domestic card in
 * each currency's home market — EUR 1.5 % + 0.25 (standard EEA cards), GBP 1.5 % + 0.20 (UK
 * cards), USD 2.9 % + 0.30 — otherwise 2.9 % + 30 minor units, and 3.6 % for zero-decimal
 * currencies. Real fees also depend on the card's country and brand and on the account's pricing;
 * Parley only estimates them and books what the balance transaction (`fee`, `fee_details`) says.
 */
export function processingFee(amount: number, currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return Math.round(amount * 0.036);
  const price: Record<string, { permille: number; fixed: number }> = {
    eur: { permille: 15, fixed: 25 },
    gbp: { permille: 15, fixed: 20 },
    usd: { permille: 29, fixed: 30 },
  };
  const { permille, fixed } = price[currency] ?? { permille: 29, fixed: 30 };
  return Math.round((amount * permille) / 1000) + fixed;
}
