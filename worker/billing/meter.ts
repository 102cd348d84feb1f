// The taxi meter (DESIGN.md "The meter, exactly"). Pure integer arithmetic in minor units.

export type PricingScheme = {
  currency: string;
  freeMinutes: number;
  blockPriceMinor: number;
  blockMinutes: number;
  /** Charge what has accrued whenever it reaches this much; null: one charge at the end. */
  splitThresholdMinor: number | null;
};

/** Rounds numerator/denominator half up, for non-negative integers. */
const divideHalfUp = (numerator: number, denominator: number) => Math.floor((2 * numerator + denominator) / (2 * denominator));

/**
 * What `seconds` of chargeable time cost: nothing within the free minutes, then the block price as
 * a minimum for the first block, then the same rate pro rata in started 30-second steps.
 */
export function meterAmount(scheme: PricingScheme, seconds: number): number {
  const free = 60 * scheme.freeMinutes;
  if (seconds <= free) return 0;
  const blockSeconds = 60 * scheme.blockMinutes;
  const beyond = Math.max(0, seconds - free - blockSeconds);
  const stepped = Math.ceil(beyond / 30) * 30;
  // Whole blocks at P each, then the rest pro rata: the same amount as P·stepped/blockSeconds, but
  // no product passes 2^53 for any price the forms accept and any duration the quote API takes.
  const wholeBlocks = Math.floor(stepped / blockSeconds);
  const rest = stepped - wholeBlocks * blockSeconds;
  return scheme.blockPriceMinor * (1 + wholeBlocks) + divideHalfUp(scheme.blockPriceMinor * rest, blockSeconds);
}
