import type { PricingScheme } from "./meter";

/** The pricing columns a room and an agent's own profile share. */
type PricedRow = {
  pricingCurrency: string;
  pricingFreeMinutes: number;
  pricingBlockPriceMinor: number;
  pricingBlockMinutes: number;
  pricingSplitThresholdMinor: number | null;
};

/** The pricing scheme stored on a room (or, with the same columns, an agent's own profile). */
export const roomScheme = (row: PricedRow): PricingScheme => ({
  currency: row.pricingCurrency,
  freeMinutes: row.pricingFreeMinutes,
  blockPriceMinor: row.pricingBlockPriceMinor,
  blockMinutes: row.pricingBlockMinutes,
  splitThresholdMinor: row.pricingSplitThresholdMinor,
});

/**
 * The pricing a chat is charged by: the room's, or in an agent's private room the agent's own
 * when the room allows agents' pricing and the agent switched theirs on.
 */
export function chatScheme(
  room: PricedRow & { allowAgentPricing: boolean },
  privateAgentProfile: (PricedRow & { ownPricingEnabled: boolean }) | null | undefined,
): PricingScheme {
  return room.allowAgentPricing && privateAgentProfile?.ownPricingEnabled ? roomScheme(privateAgentProfile) : roomScheme(room);
}
