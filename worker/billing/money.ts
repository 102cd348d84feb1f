import { formatMoney, minorDigits } from "./currency";

// Amounts as a person types them ("10.50", "3000") to integer minor units and back. Strings are
// split and read as integers, never through floating point: 0.1 + 0.2 must not decide a price.

/** Stripe's largest charge in most currencies: eight digits of minor units. */
export const MAX_AMOUNT_MINOR = 99_999_999;

export type ParsedMoney = { ok: true; minor: number } | { ok: false; message: string };

const fail = (message: string): ParsedMoney => ({ ok: false, message });

const example = (currency: string) => (minorDigits(currency) === 0 ? "3000" : "10.50");

/**
 * Reads an amount in `currency`'s major units: digits, optionally a dot and at most as many
 * decimals as the currency has (zeros beyond them are fine: "10.500" is 10.50). Zero is allowed;
 * minimums are the caller's business.
 */
export function parseMoney(input: string, currency: string): ParsedMoney {
  const text = input.trim();
  const code = currency.toUpperCase();
  const digits = minorDigits(code);
  if (text === "") return fail(`Enter an amount, for example ${example(code)}.`);
  if (text.startsWith("-")) return fail("Enter the amount without a minus sign.");
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === "" && !match[2])) {
    if (/^[\d.,' ]+$/.test(text) && /\d/.test(text)) return fail(`Use a dot for decimals and no thousands separators, for example ${digits ? "1250.50" : "3000"}.`);
    return fail(digits ? "Enter the amount in digits, with a dot before the cents, for example 10.50." : `Enter the amount in digits, for example ${example(code)}.`);
  }
  const whole = match[1]!.replace(/^0+(?=\d)/, "");
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > digits) {
    return fail(digits ? `Amounts in ${code} have at most ${digits} decimals, for example ${example(code)}.` : `Amounts in ${code} have no decimals: enter a whole number, for example ${example(code)}.`);
  }
  const tooLarge = `Enter at most ${formatMoney(MAX_AMOUNT_MINOR, code)}.`;
  // Twelve digits times 10² stays far inside Number's exact integers.
  if (whole.length > 12) return fail(tooLarge);
  const minor = Number(whole || "0") * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return minor > MAX_AMOUNT_MINOR ? fail(tooLarge) : { ok: true, minor };
}

/** A stored amount as the form shows it for editing: 1050 EUR → "10.50", 3000 JPY → "3000". */
export function moneyInput(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.floor(minor / scale)}.${String(minor % scale).padStart(digits, "0")}`;
}
