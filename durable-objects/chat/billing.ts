import { stripeClient } from "../../worker/adapters/stripe";
import { enqueueMail } from "../../worker/adapters/mail-queue";
import { enqueueWebhooks } from "../../worker/adapters/webhook-queue";
import {
  captureHold,
  createCustomer,
  createHoldIntent,
  holdIntentOf,
  placeHold,
  readHold,
  releaseHold,
  retryHold,
  type HoldIntent,
  type HoldResult,
} from "../../worker/adapters/stripe-holds";
import { minimumChargeMinor } from "../../worker/billing/currency";
import type { StripeCharge } from "../../worker/billing/fee-correction";
import { platformFeeMinor } from "../../worker/billing/fees";
import { nextStep, type Hold, type Step } from "../../worker/billing/collection";
import { accruedMinor, chargeableSeconds, newTaximeter, pausedOffline, setBothOnline, setRunning, shownMinor } from "../../worker/billing/taximeter";
import { BELOW_MINIMUM } from "../../worker/billing/payment-state";
import { minutesSeconds } from "../../worker/format/clock";
import type { Billing, MeterView, RevenueParties } from "../../worker/live/chat-bill";
import {
  automaticChargeId,
  automaticChargeKey,
  forgetAutomaticCharge,
  markAutomaticChargePending,
  recordAutomaticChargeFailed,
  recordAutomaticChargePaid,
  recordFinalTotals,
} from "../../worker/stores/automatic-charges";
import { paidChargeMailIds } from "../../worker/stores/charges";
import type { ChatHost } from "./host";

// Automatic charges of one chat (spec: Business Revenue — Automatic Charges), kept in the ChatDO's
// storage. Every step is written before the Stripe call it leads to, and every call has a key
// derived from the chat, so a crash or a replayed alarm resumes without charging twice.

/** Kept in the ChatDO's storage under this key. */
const STATE = "billing";

/** Enough for one call; a hold whose capture keeps failing is tried again at the next tick or settle. */
const MAX_STEPS = 8;

export class ChatBilling {
  private readonly env: Env & { STRIPE_SECRET_KEY?: string; STRIPE_API_BASE?: string };
  private readonly chatId: string;
  private readonly store: { get(): Billing | undefined; put(b: Billing): void };

  constructor(host: ChatHost) {
    this.env = host.env;
    this.chatId = host.init().chatId;
    this.store = { get: () => host.kv.get<Billing>(STATE), put: (b) => host.kv.put(STATE, b) };
  }

  get state(): Billing | undefined {
    return this.store.get();
  }

  private stripe() {
    const stripe = stripeClient(this.env);
    if (!stripe) throw new Error("Stripe is not configured");
    return stripe;
  }

  /** Whether the customer is asked for a card now: before the chat, or after a hold failed. */
  needsCard(): boolean {
    const phase = this.store.get()?.phase;
    return phase === "authorising" || phase === "payment_needed";
  }

  /**
   * The customer agreed to the pricing and chose a card (before the chat), or gives another card
   * for a hold that failed: hold the amount on it. A failed hold's PaymentIntent is confirmed again
   * with the new card, as Stripe recommends, instead of creating another. `card` "saved" is the
   * card on file again, to pass 3-D Secure with it.
   */
  async authorise(card: string, contact: { name: string | null; email: string | null }, returnUrl: string): Promise<HoldResult> {
    let b = this.store.get()!;
    if (!this.needsCard()) return { status: "authorised", paymentIntentId: b.hold?.paymentIntentId ?? "", amountMinor: b.hold?.amountMinor ?? 0, paymentMethodId: b.cardId, card: b.card ?? null };
    const paymentMethod = card === "saved" ? b.cardId : card;
    if (!paymentMethod) return { status: "failed", paymentIntentId: null, code: "no_saved_card", message: "There is no card on file." };
    const stripe = this.stripe();
    if (!b.customerId) {
      b = { ...b, customerId: await createCustomer(stripe, this.chatId, contact, b.config.merchant) };
      this.store.put(b);
    }
    const hold = b.hold ?? { n: b.nextHoldN, paymentIntentId: null, amountMinor: b.config.holdMinor, authorised: false, attempts: 0 };
    if (hold.paymentIntentId) {
      const attempts = hold.attempts + 1;
      this.store.put({ ...b, hold: { ...hold, attempts } });
      return await this.recordHold(
        await retryHold(stripe, { chatId: this.chatId, paymentIntentId: hold.paymentIntentId, attempt: attempts, paymentMethod, returnUrl, merchant: b.config.merchant }),
      );
    }
    this.store.put({ ...b, hold, nextHoldN: Math.max(b.nextHoldN, hold.n + 1) });
    return await this.recordHold(
      await placeHold(stripe, {
        chatId: this.chatId,
        n: hold.n,
        amountMinor: hold.amountMinor,
        currency: b.config.scheme.currency,
        customerId: b.customerId!,
        paymentMethod,
        offSession: false,
        returnUrl,
        merchant: b.config.merchant,
      }),
    );
  }

  /**
   * The hold the Payment Element confirms in the customer's browser: the one waiting for a card
   * (after a failed hold, or made before), or, once the customer agreed to the price (`create`),
   * a new one. Null when no card is needed or none was agreed yet.
   */
  async holdIntent(contact: { name: string | null; email: string | null }, create: boolean): Promise<HoldIntent | null> {
    let b = this.store.get()!;
    if (!this.needsCard()) return null;
    const stripe = this.stripe();
    if (b.hold?.paymentIntentId) return holdIntentOf(stripe, b.hold.paymentIntentId, b.config.merchant);
    if (!create) return null;
    if (!b.customerId) {
      b = { ...b, customerId: await createCustomer(stripe, this.chatId, contact, b.config.merchant) };
      this.store.put(b);
    }
    const hold = b.hold ?? { n: b.nextHoldN, paymentIntentId: null, amountMinor: b.config.holdMinor, authorised: false, attempts: 0 };
    this.store.put({ ...b, hold, nextHoldN: Math.max(b.nextHoldN, hold.n + 1) });
    const intent = await createHoldIntent(stripe, {
      chatId: this.chatId,
      n: hold.n,
      amountMinor: hold.amountMinor,
      currency: b.config.scheme.currency,
      customerId: b.customerId!,
      merchant: b.config.merchant,
    });
    const now = this.store.get()!;
    this.store.put({ ...now, hold: { ...now.hold!, paymentIntentId: intent.paymentIntentId } });
    return intent;
  }

  /** Back from 3-D Secure: what does Stripe say about the hold now? */
  async refreshHold(): Promise<HoldResult | null> {
    const b = this.store.get()!;
    if (!b.hold?.paymentIntentId || !this.needsCard()) return null;
    return await this.recordHold(await readHold(this.stripe(), b.hold.paymentIntentId, b.config.merchant));
  }

  /** The customer's card for a hold; while payment is needed, D1 learns whether it paid. */
  private async recordHold(result: HoldResult): Promise<HoldResult> {
    const b = this.store.get()!;
    const hold = { ...b.hold!, paymentIntentId: result.paymentIntentId ?? b.hold!.paymentIntentId };
    if (result.status === "authorised") {
      this.store.put({
        ...b,
        phase: "authorised",
        hold: { ...hold, amountMinor: result.amountMinor, authorised: true },
        cardId: result.paymentMethodId ?? b.cardId,
        card: result.card,
        lastError: null,
        failureCode: null,
      });
      if (b.phase === "payment_needed") await markAutomaticChargePending(this.env.DB, this.chatId, hold.n);
    } else {
      this.store.put({ ...b, hold: { ...hold, authorised: false }, ...failure(result) });
      if (b.phase === "payment_needed") await this.recordPaymentNeeded(Date.now());
    }
    return result;
  }

  /** The agent answered: the meter starts now, or waits for the agent's Start. */
  connected(now: number): void {
    const b = this.store.get()!;
    if (b.meter) return;
    this.store.put({ ...b, meter: newTaximeter(b.config.scheme, { running: !b.config.agentStarts, bothOnline: true }, now) });
  }

  presence(bothOnline: boolean, now: number): void {
    const b = this.store.get()!;
    if (b.meter && !b.final) this.store.put({ ...b, meter: setBothOnline(b.meter, bothOnline, now) });
  }

  /** Start/Resume or Stop/Pause by the agent; refused when the room does not give that button. */
  timer(running: boolean, now: number): boolean {
    const b = this.store.get()!;
    if (!b.meter || b.final) return false;
    if (running ? !b.config.agentStarts : !b.config.agentPauses) return false;
    this.store.put({ ...b, meter: setRunning(b.meter, running, now) });
    return true;
  }

  view(now: number): MeterView | null {
    const b = this.store.get();
    if (!b?.meter) return null;
    return {
      chargeableSeconds: b.final?.seconds ?? chargeableSeconds(b.meter, now),
      accruedMinor: b.final?.amountMinor ?? shownMinor(b.meter, now),
      paidMinor: b.chargedMinor,
      running: b.meter.running && !b.final,
      paused: pausedOffline(b.meter) && !b.final,
      ended: !!b.final,
      currency: b.config.scheme.currency,
    };
  }

  /**
   * A meter tick during the chat: split the bill when the unpaid fee reached the threshold, and
   * keep a hold on the card. While payment is needed the chat goes on and the meter keeps
   * counting; nothing more is taken until the customer's new card is authorised.
   */
  async tick(now: number, record: RevenueParties): Promise<void> {
    const b = this.store.get();
    if (!b?.meter || b.final || (b.phase !== "authorised" && b.phase !== "payment_needed")) return;
    await this.collect(now, record);
  }

  /**
   * The agent gives up the unpaid fee ("Hang up anyway"), only while payment is needed. The
   * decision is stored here; `settle` then cancels the hold and records the fee as abandoned.
   */
  abandon(now: number): boolean {
    const b = this.store.get();
    if (b?.phase !== "payment_needed") return false;
    this.store.put({ ...b, abandon: true, final: b.final ?? this.finalAt(b, now) });
    return true;
  }

  private finalAt(b: Billing, now: number): NonNullable<Billing["final"]> {
    return b.meter ? { amountMinor: accruedMinor(b.meter, now), seconds: chargeableSeconds(b.meter, now), at: now } : { amountMinor: 0, seconds: 0, at: now };
  }

  /**
   * The chat ended: fix the final amount (once), capture what is unpaid from the holds and release
   * the rest. Safe to call again after a crash: the decision is stored and the keys repeat. Ends
   * in "payment_needed" when a card fails; the customer's next card continues from there.
   */
  async settle(now: number, record: RevenueParties): Promise<Billing> {
    let b = this.store.get()!;
    if (b.phase === "settled" || b.phase === "abandoned") return b;
    if (b.phase === "authorising") {
      // The customer never got as far as a hold that could pay: nothing to charge.
      if (b.hold?.paymentIntentId) await releaseHold(this.stripe(), { chatId: this.chatId, paymentIntentId: b.hold.paymentIntentId, merchant: b.config.merchant });
      b = { ...b, phase: "settled" };
      this.store.put(b);
      return b;
    }
    if (!b.final) this.store.put({ ...b, final: this.finalAt(b, now) });
    await this.collect(now, record);
    return this.store.get()!;
  }

  /** Makes the Stripe calls the plan asks for, one stored step at a time, until it waits or is done. */
  private async collect(now: number, record: RevenueParties): Promise<void> {
    for (let i = 0; i < MAX_STEPS; i++) {
      let b = this.store.get()!;
      if (!b.step) {
        const next = nextStep({
          moment: b.final ? "end" : "tick",
          unpaidMinor: (b.final?.amountMinor ?? accruedMinor(b.meter!, now)) - b.chargedMinor,
          thresholdMinor: b.config.scheme.splitThresholdMinor,
          minimumMinor: minimumChargeMinor(b.config.scheme.currency),
          hold: b.hold,
          nextHoldN: b.nextHoldN,
          holdMinor: b.config.holdMinor,
          abandon: b.abandon,
        });
        if (next.kind === "wait") {
          // The chat ended waiting for the customer's card: D1 learns what the chat came to.
          if (b.final && b.phase === "payment_needed") await this.recordPaymentNeeded(now);
          return;
        }
        if (next.kind === "done") return this.finish(next.uncollectedMinor);
        b = { ...b, step: next };
        this.store.put(b);
      }
      await this.perform(b.step!, record, now);
    }
  }

  private async perform(step: Step, record: RevenueParties, now: number): Promise<void> {
    const stripe = this.stripe();
    const { config } = this.store.get()!;
    switch (step.kind) {
      case "capture": {
        const fee = config.merchant.stripeAccount ? platformFeeMinor(step.amountMinor, config.account, "service") : null;
        const captured = await captureHold(stripe, { chatId: this.chatId, n: step.n, paymentIntentId: step.paymentIntentId, amountMinor: step.amountMinor, applicationFeeMinor: fee, merchant: config.merchant });
        if (captured.ok) await this.recordCharge(record, step, now, captured.stripeCharge);
        else await forgetAutomaticCharge(this.env.DB, this.chatId, step.n);
        const b = this.store.get()!;
        // Either way this hold is spent: a lapsed one is replaced by a new hold on the saved card.
        this.store.put({
          ...b,
          step: null,
          hold: null,
          ...(captured.ok ? { chargedMinor: b.chargedMinor + step.amountMinor, charges: [...(b.charges ?? []), { n: step.n, amountMinor: step.amountMinor, at: now }] } : {}),
        });
        return;
      }
      case "hold": {
        const b = this.store.get()!;
        const result: HoldResult = b.cardId
          ? await placeHold(stripe, {
              chatId: this.chatId,
              n: step.n,
              amountMinor: step.amountMinor,
              currency: config.scheme.currency,
              customerId: b.customerId!,
              paymentMethod: b.cardId,
              offSession: true,
              returnUrl: "",
              merchant: config.merchant,
            })
          : { status: "failed", paymentIntentId: null, code: "no_saved_card", message: "There is no card on file." };
        const hold: Hold = { n: step.n, paymentIntentId: result.paymentIntentId, amountMinor: step.amountMinor, authorised: result.status === "authorised", attempts: 0 };
        const after = this.store.get()!;
        this.store.put({
          ...after,
          step: null,
          hold,
          nextHoldN: step.n + 1,
          ...(result.status === "authorised" ? { phase: "authorised", card: result.card ?? after.card ?? null, lastError: null, failureCode: null } : { phase: "payment_needed", ...failure(result) }),
        });
        if (result.status !== "authorised") await this.recordPaymentNeeded(now);
        return;
      }
      case "release": {
        await releaseHold(stripe, { chatId: this.chatId, paymentIntentId: step.paymentIntentId, merchant: config.merchant });
        this.store.put({ ...this.store.get()!, step: null, hold: null });
        await forgetAutomaticCharge(this.env.DB, this.chatId, step.n);
        return;
      }
    }
  }

  /** The end: the chat's totals in D1, and what was not collected, then the last phase. */
  private async finish(uncollectedMinor: number): Promise<void> {
    const b = this.store.get()!;
    await this.recordTotals(uncollectedMinor);
    this.store.put({ ...b, phase: b.abandon ? "abandoned" : "settled", uncollectedMinor });
  }

  /** Charge n, its ledger lines and the chat's totals in D1; ids derive from the chat, so a retry adds nothing. */
  private async recordCharge(record: RevenueParties, step: Extract<Step, { kind: "capture" }>, now: number, stripeCharge: StripeCharge | null): Promise<void> {
    const b = this.store.get()!;
    const { amountMinor } = step;
    const currency = b.config.scheme.currency;
    const so = b.final ?? this.finalAt(b, now);
    // A split bill pays for the chat so far; the last charge for all of it.
    const time = `${minutesSeconds(so.seconds)} of service${b.final ? "" : " so far"}`;
    const events = await recordAutomaticChargePaid(
      this.env.DB,
      {
        id: automaticChargeId(this.chatId, step.n),
        chatId: this.chatId,
        seq: step.n,
        kind: "service",
        amountMinor,
        currency,
        paymentIntentId: step.paymentIntentId,
        idempotencyKey: automaticChargeKey(this.chatId, step.n),
        companyId: record.companyId,
        agentId: record.agentId,
        account: b.config.account,
        customerEmail: record.customerEmail,
        paidAt: now,
        receiptFor: `${time} (chat ${this.chatId})`,
        durationSeconds: so.seconds,
        revenueNote: (amount) => `Your chat ${this.chatId} was charged ${amount} for ${time}.`,
        stripeCharge,
      },
      { currency, chargeableSeconds: so.seconds, amountMinor: so.amountMinor, paidMinor: b.chargedMinor + amountMinor },
    );
    await enqueueMail(this.env, paidChargeMailIds(automaticChargeId(this.chatId, step.n)));
    await enqueueWebhooks(this.env, events);
  }

  /**
   * Payment is needed: charge n, the one the failed hold was for, is recorded as failed with the
   * reason, beside what the chat comes to so far (or in all, once ended), so that the Revenue page
   * says so and what is outstanding until a card pays or the agent gives the fee up.
   */
  private async recordPaymentNeeded(now: number): Promise<void> {
    const b = this.store.get()!;
    if (!b.hold) return;
    const { n, amountMinor, paymentIntentId } = b.hold;
    const currency = b.config.scheme.currency;
    const so = b.final ?? this.finalAt(b, now);
    const events = await recordAutomaticChargeFailed(
      this.env.DB,
      { chatId: this.chatId, n, amountMinor, currency, paymentIntentId, failureCode: b.failureCode ?? "payment_failed" },
      { currency, chargeableSeconds: so.seconds, amountMinor: so.amountMinor, paidMinor: b.chargedMinor },
      now,
    );
    await enqueueWebhooks(this.env, events);
  }

  /**
   * The chat's final totals in D1 (owed, paid, time), and what was owed but not charged: below
   * Stripe's minimum, or given up by the agent after the card failed.
   */
  private async recordTotals(uncollectedMinor: number): Promise<void> {
    const b = this.store.get()!;
    const final = b.final ?? { amountMinor: 0, seconds: 0 };
    const reason = b.abandon ? (b.failureCode ?? "abandoned") : BELOW_MINIMUM;
    await recordFinalTotals(
      this.env.DB,
      this.chatId,
      { currency: b.config.scheme.currency, chargeableSeconds: final.seconds, amountMinor: final.amountMinor, paidMinor: b.chargedMinor },
      uncollectedMinor > 0 ? { seq: b.nextHoldN, amountMinor: uncollectedMinor, reason } : null,
    );
  }
}

/** The failure of a hold as the chat keeps it. */
function failure(result: HoldResult): Pick<Billing, "lastError" | "failureCode"> {
  if (result.status === "failed") return { lastError: result.message, failureCode: result.code };
  if (result.status === "needs_action") return { lastError: "Your bank asks you to confirm this payment (3-D Secure).", failureCode: "authentication_required" };
  return { lastError: null, failureCode: null };
}
