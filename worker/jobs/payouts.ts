import type Stripe from "stripe";
import { openDb, type Db } from "../stores/db";
import { claimPayout, getPayoutDestination, markPayoutFailed, markPayoutManual, markPayoutPaid, payoutsToRun, type PayoutRow } from "../stores/payouts";
import { stripeClient, type StripeEnv } from "../adapters/stripe";
import { transferPayout } from "../adapters/stripe-connect";
import { planPayout, transferFailure } from "../billing/payouts";
import { getCompany } from "../stores/companies";

// The payout run: the Worker's cron trigger (wrangler.toml) runs it for every company, and a
// solo's "Pay out now" for theirs. Each payout's state is written before its Transfer is asked
// for, and the Transfer's idempotency key comes from the payout's id and attempt, so a crash at
// any point, or two runs at once, never pays twice; a payout left "sending" is finished by the
// next run with the same key.

export type RunSummary = { paid: number; failed: number; manual: number; pending: number };

export async function runPayouts(env: StripeEnv & { DB: D1Database }, now: number, companyId: string | null = null): Promise<RunSummary> {
  const db = openDb(env.DB);
  const stripe = stripeClient(env);
  const summary: RunSummary = { paid: 0, failed: 0, manual: 0, pending: 0 };
  for (const payout of await payoutsToRun(db, now, companyId)) {
    try {
      summary[await payOut(db, stripe, payout, now)]++;
    } catch (err) {
      // One payout's trouble (D1 busy, a bug) must not stop the others; it stays for the next run.
      console.error("payout run", payout.id, err);
      summary.pending++;
    }
  }
  return summary;
}

async function payOut(db: Db, stripe: Stripe | null, payout: PayoutRow, now: number): Promise<keyof RunSummary> {
  const company = await getCompany(db, payout.companyId);
  if (!company) return "pending";
  // A payout left sending finishes its own attempt where it went, whatever was chosen since.
  const plan =
    payout.state === "sending" && payout.destination
      ? ({ kind: "transfer", destination: payout.destination } as const)
      : planPayout(await getPayoutDestination(db, payout.userId), company, !!stripe);
  switch (plan.kind) {
    case "manual":
      await markPayoutManual(db, payout, plan.method, plan.destination);
      return "manual";
    case "fail":
      await markPayoutFailed(db, payout, payout.state, plan);
      return "failed";
    case "transfer": {
      if (!stripe) return "pending";
      const attempt = payout.state === "sending" ? payout.attempt : await claimPayout(db, payout, plan.destination);
      if (attempt === null) return "pending";
      const claimed: PayoutRow = { ...payout, state: "sending", attempt, destination: plan.destination };
      let transferId: string;
      try {
        transferId = await transferPayout(stripe, { payoutId: payout.id, attempt, amountMinor: payout.amountMinor, currency: payout.currency, destination: plan.destination });
      } catch (err) {
        const failure = transferFailure(err);
        if (failure.retry) return "pending";
        await markPayoutFailed(db, claimed, "sending", failure);
        return "failed";
      }
      await markPayoutPaid(db, claimed, "sending", transferId, now);
      return "paid";
    }
  }
}
