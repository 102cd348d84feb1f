import { formatMoney } from "./currency";
import type { PricingScheme } from "./meter";

const minutes = (n: number) => (n === 1 ? "1 minute" : `${n} minutes`);

/** The pricing scheme in words, for the customer to agree to before the card is authorised. */
export function describeScheme(s: PricingScheme): string[] {
  const step = Math.round((s.blockPriceMinor * 30) / (60 * s.blockMinutes));
  const lines = [];
  if (s.freeMinutes > 0) lines.push(s.freeMinutes === 1 ? "The first minute is free." : `The first ${minutes(s.freeMinutes)} are free.`);
  lines.push(
    `${s.freeMinutes > 0 ? "Then" : "The chat costs"} ${formatMoney(s.blockPriceMinor, s.currency)} for ${s.freeMinutes > 0 ? "the next" : "the first"} ${minutes(s.blockMinutes)}, even if shorter (the minimum charge).`,
  );
  lines.push(`After that, about ${formatMoney(step, s.currency)} for every started 30 seconds (${formatMoney(s.blockPriceMinor, s.currency)} per ${minutes(s.blockMinutes)}).`);
  lines.push("Time counts only while you and the agent are both connected.");
  if (s.splitThresholdMinor !== null) lines.push(`Your card is charged in parts whenever ${formatMoney(s.splitThresholdMinor, s.currency)} has built up, and for the rest at the end.`);
  else lines.push("Your card is charged once, when the chat ends.");
  return lines;
}
