// Fixed-window counters: after `limit` events for one key within `windowMs`, the key is held
// until its window ends. Pure; the counters live in D1 (rate_counters), where their store
// (stores/rate-counters.ts) counts an event in one statement.

export type Policy = { limit: number; windowMs: number };
export type Counter = { key: string; count: number; windowStart: number };
/** A key counted under a policy: `signin-ip:{ip}` under POLICIES.signinIp, say. */
export type Limited = { key: string; policy: Policy };

const MINUTE = 60_000;

export const POLICIES = {
  /**
   * Failed sign-ins from one IP to accounts that do not know the device, across accounts: trying
   * one password on many accounts. High, since offices share an address. Guessing one account's
   * password is slowed by growing delays instead (accounts/signin-throttle.ts).
   */
  signinIp: { limit: 50, windowMs: 15 * MINUTE },
  /** Contact-form submissions from one IP: a person does a few; a spammer many. */
  contactIp: { limit: 10, windowMs: 10 * MINUTE },
  /** Transcripts asked for one chat: a customer mails it to an address or two; more is someone mailing strangers. */
  transcriptChat: { limit: 5, windowMs: 60 * MINUTE },
  /** Replies an agent emails from the Inbox: a busy agent sends a few an hour, not a flood. */
  inboxReply: { limit: 20, windowMs: 60 * MINUTE },
  /** Consultation invitations an agent emails from the Clients page: a busy morning is a few dozen; more is mailing a list. */
  invitation: { limit: 30, windowMs: 60 * MINUTE },
} satisfies Record<string, Policy>;

export function isHeld(counter: Counter | undefined, policy: Policy, now: number): boolean {
  return !!counter && now - counter.windowStart < policy.windowMs && counter.count >= policy.limit;
}

export function minutesUntilFree(counter: Counter, policy: Policy, now: number): number {
  return Math.max(1, Math.ceil((counter.windowStart + policy.windowMs - now) / MINUTE));
}
