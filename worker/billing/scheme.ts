import type { rooms } from "../db/schema";
import type { PricingScheme } from "./meter";

type PricedRow = Pick<
  typeof rooms.$inferSelect,
  "pricingCurrency" | "pricingFreeMinutes" | "pricingBlockPriceMinor" | "pricingBlockMinutes" | "pricingSplitThresholdMinor"
>;

/** The pricing scheme stored on a room (or, with the same columns, an agent's own profile). */
export const roomScheme = (row: PricedRow): PricingScheme => ({
  currency: row.pricingCurrency,
  freeMinutes: row.pricingFreeMinutes,
  blockPriceMinor: row.pricingBlockPriceMinor,
  blockMinutes: row.pricingBlockMinutes,
  splitThresholdMinor: row.pricingSplitThresholdMinor,
});
