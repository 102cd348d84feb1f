// The brake on repeated failed sign-ins: after a key's limit of failures within WINDOW_MS,
// further attempts with that key are refused until the window ends. One email address gets few
// tries (guessing one password); one IP gets more, since offices share an address.
export const EMAIL_LIMIT = 5;
export const IP_LIMIT = 50;
export const WINDOW_MS = 15 * 60 * 1000;

export type FailureRecord = { key: string; count: number; windowStart: number };

export const limitFor = (key: string) => (key.startsWith("ip:") ? IP_LIMIT : EMAIL_LIMIT);

export function isLockedOut(record: FailureRecord | undefined, now: number): boolean {
  return !!record && now - record.windowStart < WINDOW_MS && record.count >= limitFor(record.key);
}

export function recordFailure(key: string, record: FailureRecord | undefined, now: number): FailureRecord {
  if (!record || now - record.windowStart >= WINDOW_MS) return { key, count: 1, windowStart: now };
  return { key, count: record.count + 1, windowStart: record.windowStart };
}

export function minutesUntilRetry(record: FailureRecord, now: number): number {
  return Math.max(1, Math.ceil((record.windowStart + WINDOW_MS - now) / 60_000));
}
