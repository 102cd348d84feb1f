// The fake's memory as JSON, so that the local demo's Stripe remembers its accounts, payments and
// balance across `npm start` runs, as the demo's local D1 does (scripts/fake-stripe.mjs
// `stateFile`). Without it a restarted demo would hold charges in its ledger that its Stripe had
// forgotten, and the reconciliation would rightly call them missing. Tests start empty.
import type { Store } from "./store";

/** The store's own maps besides the Stripe objects: which account owns what, card behaviour, idempotent answers… */
const INTERNALS = ["owner", "paymentMethodInternals", "pendingAuthentication", "idempotency", "accountLinks", "checkoutInternals", "transferFailures"] as const;

/** Everything worth remembering; the request and delivery logs are left out (they only grow). */
export function dumpStore(store: Store): string {
  const state = Object.fromEntries(
    Object.entries(store.state)
      .filter(([name]) => name !== "requests" && name !== "deliveries")
      .map(([name, value]) => [name, value instanceof Map ? [...value] : value]),
  );
  const internals = Object.fromEntries(INTERNALS.map((name) => [name, [...(store[name] as Map<string, unknown>)]]));
  return JSON.stringify({ version: 1, state, ...internals, deferBalanceTransactions: store.deferBalanceTransactions });
}

/** Replaces the store's memory with a dump of it. */
export function loadStore(store: Store, json: string): void {
  const saved = JSON.parse(json) as { version: number; state: Record<string, unknown[]>; deferBalanceTransactions?: boolean } & Record<string, unknown>;
  if (saved.version !== 1) throw new Error(`fake Stripe: unknown state file version ${saved.version}`);
  store.reset();
  for (const [name, value] of Object.entries(saved.state)) {
    const target = (store.state as Record<string, unknown>)[name];
    if (target instanceof Map) for (const [id, object] of value as [string, unknown][]) target.set(id, object);
    else if (Array.isArray(target)) target.push(...value);
  }
  for (const name of INTERNALS) for (const [key, value] of (saved[name] as [string, unknown][] | undefined) ?? []) (store[name] as Map<string, unknown>).set(key, value);
  store.deferBalanceTransactions = saved.deferBalanceTransactions ?? false;
}
