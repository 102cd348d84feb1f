import { eq } from "drizzle-orm";
import { openDb } from "../adapters/db";
import { stripeClient } from "../adapters/stripe";
import { formatMoney, minimumChargeMinor } from "../billing/currency";
import { chargeLines, payoutDue, platformFeeMinor, soloPayoutMinor } from "../billing/fees";
import type { PricingScheme } from "../billing/meter";
import { captureHold, createCustomer, placeHold, readHold, releaseHold, retryHold, type HoldResult, type Merchant } from "../billing/payments";
import { accruedMinor, amountDue, chargeableSeconds, newTaximeter, recordCharge, setBothOnline, setRunning, type Taximeter } from "../billing/taximeter";
import { agentProfiles, charges, chats, emailOutbox, ledgerEntries, payouts, users } from "../db/schema";

// Automatic charges of one chat (spec: Business Revenue — Automatic Charges), kept in the ChatDO's
// storage. Every step is written before the Stripe call it leads to, and every call has a key
// derived from the chat, so a crash or a replayed alarm resumes without charging twice.

export type BillingConfig = {
  scheme: PricingScheme;
  holdMinor: number;
  /** The room gives the agent a Start/Resume button: the meter waits for it. */
  agentStarts: boolean;
  agentPauses: boolean;
  account: "solo" | "company";
  merchant: Merchant;
};

/** Who is paid and who is told, for the records written when a chat is charged. */
export type RevenueParties = { companyId: string; companyName: string; agentId: string | null; customerEmail: string | null };

export type BillingPhase = "authorising" | "authorised" | "settling" | "settled" | "failed";

export type Billing = {
  config: BillingConfig;
  phase: BillingPhase;
  customerId: string | null;
  /** The current hold; `attempts` counts the cards tried on it. */
  hold: { paymentIntentId: string; amountMinor: number; attempts: number } | null;
  lastError: string | null;
  meter: Taximeter | null;
  /** Filled when the final amount is decided, before it is captured. */
  final: { amountMinor: number; seconds: number } | null;
  chargedMinor: number;
};

export type MeterView = { chargeableSeconds: number; accruedMinor: number; paidMinor: number; running: boolean; ended: boolean; currency: string };

export const newBilling = (config: BillingConfig): Billing => ({
  config,
  phase: "authorising",
  customerId: null,
  hold: null,
  lastError: null,
  meter: null,
  final: null,
  chargedMinor: 0,
});

type Store = { get(): Billing | undefined; put(b: Billing): void };

export class ChatBilling {
  constructor(
    private readonly store: Store,
    private readonly env: Env & { STRIPE_SECRET_KEY?: string; STRIPE_API_BASE?: string },
    private readonly chatId: string,
  ) {}

  get state(): Billing | undefined {
    return this.store.get();
  }

  private stripe() {
    const stripe = stripeClient(this.env);
    if (!stripe) throw new Error("Stripe is not configured");
    return stripe;
  }

  /** The customer agreed to the pricing and chose a card: hold the amount on it. */
  async authorise(paymentMethod: string, contact: { name: string | null; email: string | null }, returnUrl: string): Promise<HoldResult> {
    let b = this.store.get()!;
    if (b.phase !== "authorising") return { status: "authorised", paymentIntentId: b.hold!.paymentIntentId, amountMinor: b.hold!.amountMinor, paymentMethodId: null };
    const stripe = this.stripe();
    if (!b.customerId) {
      b = { ...b, customerId: await createCustomer(stripe, this.chatId, contact, b.config.merchant) };
      this.store.put(b);
    }
    let result: HoldResult;
    if (b.hold) {
      const attempts = b.hold.attempts + 1;
      this.store.put({ ...b, hold: { ...b.hold, attempts } });
      result = await retryHold(stripe, { chatId: this.chatId, paymentIntentId: b.hold.paymentIntentId, attempt: attempts, paymentMethod, returnUrl, merchant: b.config.merchant });
    } else {
      result = await placeHold(stripe, {
        chatId: this.chatId,
        n: 0,
        amountMinor: b.config.holdMinor,
        currency: b.config.scheme.currency,
        customerId: b.customerId!,
        paymentMethod,
        offSession: false,
        returnUrl,
        merchant: b.config.merchant,
      });
    }
    return this.recordHold(result);
  }

  /** Back from 3-D Secure: what does Stripe say about the hold now? */
  async refreshHold(): Promise<HoldResult | null> {
    const b = this.store.get()!;
    if (!b.hold) return null;
    return this.recordHold(await readHold(this.stripe(), b.hold.paymentIntentId, b.config.merchant));
  }

  private recordHold(result: HoldResult): HoldResult {
    const b = this.store.get()!;
    const attempts = b.hold?.attempts ?? 0;
    const hold = result.paymentIntentId ? { paymentIntentId: result.paymentIntentId, amountMinor: b.config.holdMinor, attempts } : b.hold;
    if (result.status === "authorised") this.store.put({ ...b, phase: "authorised", hold: { ...hold!, amountMinor: result.amountMinor }, lastError: null });
    else this.store.put({ ...b, hold, lastError: result.status === "failed" ? result.message : null });
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
      accruedMinor: b.final?.amountMinor ?? accruedMinor(b.meter, now),
      paidMinor: b.chargedMinor,
      running: b.meter.running && !b.final,
      ended: !!b.final,
      currency: b.config.scheme.currency,
    };
  }

  /**
   * The chat ended: decide the final amount (once), then capture it from the hold, or release the
   * hold when nothing is owed. Safe to call again after a crash: the decision and the keys repeat.
   */
  async settle(now: number, record: RevenueParties): Promise<Billing> {
    let b = this.store.get()!;
    if (b.phase === "authorising") {
      // The customer never got as far as a hold that could pay: nothing to charge.
      if (b.hold) await releaseHold(this.stripe(), { chatId: this.chatId, paymentIntentId: b.hold.paymentIntentId, merchant: b.config.merchant }).catch(() => undefined);
      b = { ...b, phase: "settled" };
      this.store.put(b);
      return b;
    }
    if (b.phase === "settled") return b;
    if (!b.final) {
      const seconds = b.meter ? chargeableSeconds(b.meter, now) : 0;
      const due = b.meter ? amountDue(b.meter, now, "end", minimumChargeMinor(b.config.scheme.currency)) : 0;
      b = { ...b, phase: "settling", final: { amountMinor: due, seconds } };
      this.store.put(b);
    }
    const stripe = this.stripe();
    // More than the hold cannot be captured from it; the shortfall stays on the chat as unpaid
    // (amount_minor above paid_minor) until split bills collect it during the chat.
    const amount = Math.min(b.final!.amountMinor, b.hold!.amountMinor);
    if (amount === 0) {
      await releaseHold(stripe, { chatId: this.chatId, paymentIntentId: b.hold!.paymentIntentId, merchant: b.config.merchant });
    } else {
      const fee = b.config.merchant.stripeAccount ? platformFeeMinor(amount, b.config.account, "service") : null;
      const captured = await captureHold(stripe, { chatId: this.chatId, n: 0, paymentIntentId: b.hold!.paymentIntentId, amountMinor: amount, applicationFeeMinor: fee, merchant: b.config.merchant });
      if (!captured.ok) {
        b = { ...b, phase: "failed", lastError: captured.message };
        this.store.put(b);
        return b;
      }
      await this.recordRevenue(record, amount, b.final!.amountMinor, b.hold!.paymentIntentId, b.final!.seconds);
      b = { ...b, meter: b.meter ? recordCharge(b.meter, amount) : null, chargedMinor: b.chargedMinor + amount };
    }
    b = { ...b, phase: "settled" };
    this.store.put(b);
    return b;
  }

  /** The charge, its ledger lines and the chat's totals in D1; ids derive from the chat, so a retry adds nothing. */
  private async recordRevenue(
    record: RevenueParties,
    amountMinor: number,
    owedMinor: number,
    paymentIntentId: string,
    seconds: number,
  ): Promise<void> {
    const b = this.store.get()!;
    const db = openDb(this.env.DB);
    const chargeId = `${this.chatId}:0`;
    const currency = b.config.scheme.currency;
    const agent = record.agentId
      ? await db.select({ email: users.email, payoutMethod: agentProfiles.payoutMethod }).from(users).leftJoin(agentProfiles, eq(agentProfiles.userId, users.id)).where(eq(users.id, record.agentId)).get()
      : undefined;
    const paid = formatMoney(amountMinor, currency);
    const time = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    const mail = (id: string, to: string, subject: string, bodyText: string) =>
      db.insert(emailOutbox).values({ id, companyId: record.companyId, toAddress: to, subject, bodyText }).onConflictDoNothing();
    await db.batch([
      db
        .insert(charges)
        .values({ id: chargeId, chatId: this.chatId, seq: 0, amountMinor, currency, paymentIntentId, idempotencyKey: `chat:${this.chatId}:charge:0`, status: "succeeded" })
        .onConflictDoNothing(),
      ...chargeLines(amountMinor, currency, b.config.account, "service").map((line, i) =>
        db
          .insert(ledgerEntries)
          .values({ id: `${chargeId}:${i}`, txnId: chargeId, companyId: record.companyId, chatId: this.chatId, agentId: record.agentId, chargeId, ...line, currency })
          .onConflictDoNothing(),
      ),
      db.update(chats).set({ currency, chargeableSeconds: seconds, amountMinor: owedMinor, paidMinor: amountMinor }).where(eq(chats.id, this.chatId)),
      // The customer's receipt and the agent's "new revenue" note (spec), sent by the outbox.
      ...(record.customerEmail
        ? [mail(`${chargeId}:receipt`, record.customerEmail, `Your receipt from ${record.companyName}`, `You paid ${paid} for ${time} of service (chat ${this.chatId}). Thank you.`)]
        : []),
      ...(agent ? [mail(`${chargeId}:revenue`, agent.email, `New revenue: ${paid}`, `Your chat ${this.chatId} was charged ${paid} for ${time} of service.`)] : []),
      // A solo agent's 80 % is paid out within five business days.
      ...(b.config.account === "solo" && record.agentId
        ? [
            db
              .insert(payouts)
              .values({ id: `${chargeId}:payout`, companyId: record.companyId, userId: record.agentId, method: agent?.payoutMethod ?? "stripe", amountMinor: soloPayoutMinor(amountMinor), currency, dueAt: payoutDue(Date.now()) })
              .onConflictDoNothing(),
          ]
        : []),
    ]);
  }
}
