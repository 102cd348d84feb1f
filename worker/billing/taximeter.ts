import { meterAmount, type PricingScheme } from "./meter";

// The running meter of one chat, as pure data: chargeable time counts only while the timer runs
// (started, not paused) and both parties are online. Every change first settles the time counted
// so far, so the state can be stored after each event and replayed after a restart.

export type Taximeter = {
  scheme: PricingScheme;
  /** Started (automatically on connect, or by the agent) and not paused. */
  running: boolean;
  bothOnline: boolean;
  /** Milliseconds counted before `since`. */
  countedMs: number;
  /** When the current counting stretch began; null while not counting. */
  since: number | null;
};

const counting = (m: Taximeter) => m.running && m.bothOnline;

function settle(m: Taximeter, now: number): Taximeter {
  if (m.since === null) return m;
  return { ...m, countedMs: m.countedMs + Math.max(0, now - m.since), since: now };
}

function restamp(m: Taximeter, now: number): Taximeter {
  return { ...m, since: counting(m) ? now : null };
}

export function newTaximeter(scheme: PricingScheme, opts: { running: boolean; bothOnline: boolean }, now: number): Taximeter {
  return restamp({ scheme, running: opts.running, bothOnline: opts.bothOnline, countedMs: 0, since: null }, now);
}

/** Start/Resume (true) or Stop/Pause (false) by the agent, or the automatic start on connect. */
export const setRunning = (m: Taximeter, running: boolean, now: number): Taximeter => restamp({ ...settle(m, now), running }, now);

/** A party dropped (false) or both are back (true): the meter waits meanwhile. */
export const setBothOnline = (m: Taximeter, bothOnline: boolean, now: number): Taximeter => restamp({ ...settle(m, now), bothOnline }, now);

export const chargeableSeconds = (m: Taximeter, now: number): number => Math.floor(settle(m, now).countedMs / 1000);

export const accruedMinor = (m: Taximeter, now: number): number => meterAmount(m.scheme, chargeableSeconds(m, now));

/** Running, but waiting for a party who is offline. */
export const pausedOffline = (m: Taximeter): boolean => m.running && !m.bothOnline;

/**
 * The charges the display shows: while the meter counts, at least the first second's price (the
 * first block is owed from the first second), so that Start does not show 0.00 until the next update.
 */
export const shownMinor = (m: Taximeter, now: number): number =>
  meterAmount(m.scheme, counting(m) ? Math.max(1, chargeableSeconds(m, now)) : chargeableSeconds(m, now));
