// Currency facts the billing needs: minor-unit exponent and Stripe's minimum charge.

/** ISO 4217 currencies without minor units (Stripe's "zero-decimal" list, the ones we support). */
const ZERO_DECIMAL = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"]);

export const minorDigits = (currency: string) => (ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : 2);

// Stripe's minimum charge amounts, in minor units (stripe.com/docs/currencies#minimum-and-maximum-charge-amounts).
const MINIMUM: Record<string, number> = { USD: 50, EUR: 50, GBP: 30, JPY: 50, AUD: 50, CAD: 50, CHF: 50, DKK: 250, NOK: 300, SEK: 300, HKD: 400, SGD: 50, MXN: 1000, NZD: 50, PLN: 200, CZK: 1500, HUF: 17500 };

export const minimumChargeMinor = (currency: string) => MINIMUM[currency.toUpperCase()] ?? 50;

/** "EUR 11.00", "JPY 3,150": amounts as people read them. */
export function formatMoney(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const major = amountMinor / 10 ** digits;
  return `${currency.toUpperCase()} ${major.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}
