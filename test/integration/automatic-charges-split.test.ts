import { afterEach, describe, expect, it, vi } from "vitest";
import { chatRow, later } from "./live";
import { chargesOf, holdsOf, ledgerOf, paidChat, paidRoom, paidShown, runAlarm, stripeCalls, totalsOf } from "./paid-chats";
import { closeAllSockets } from "./sockets";

// Split bills, Stripe's minimum charge and the offline timeout, against the fake Stripe. The meter
// runs on the Durable Object's clock, moved by `later(seconds)`; each `runAlarm` is a meter tick.

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

describe("split bills", () => {
  it("charges at each of three thresholds from the current hold, holds the next amount off-session, and at the end captures the rest and releases the hold", async () => {
    // EUR 10 per 5 minutes, then EUR 1 per started 30 s; split at EUR 10 (each hold EUR 10).
    const { alice } = await paidRoom("split-a", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);

    later(30); // 0:30 → EUR 10.00, the first block: due at once
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 10.00"), "EUR 10 paid after the first threshold");
    later(560); // 9:50 → EUR 20.00
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 20.00"), "EUR 20 paid after the second threshold");
    later(300); // 14:50 → EUR 30.00
    await runAlarm(chat.id);
    await customerSocket.next(paidShown(chat.id, "EUR 30.00"), "EUR 30 paid after the third threshold, on the customer's screen too");

    later(25); // 15:15 → EUR 31.00
    agentSocket.send({ type: "hangup" });
    const final = await customerSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("charged to the card"), "the final amount");
    expect(final).toContain(`<dd class="meter-charges">EUR 31.00</dd>`);
    expect(final).toContain("Paid: EUR 31.00 charged to the card.");

    // Four holds: the one the customer authorised and three placed off-session on the saved card.
    const holds = await holdsOf(chat.id);
    expect(holds.map((h) => [h.metadata.hold, h.status, h.amount, h.amount_received])).toEqual([
      ["0", "succeeded", 1000, 1000],
      ["1", "succeeded", 1000, 1000],
      ["2", "succeeded", 1000, 1000],
      ["3", "succeeded", 1000, 100],
    ]);
    const placed = await stripeCalls(`chat:${chat.id}:hold:`);
    expect(placed.map((r) => r.idempotencyKey)).toEqual([0, 1, 2, 3].map((n) => `chat:${chat.id}:hold:${n}`));
    expect((await stripeCalls(`chat:${chat.id}:charge:`)).map((r) => r.idempotencyKey)).toEqual([0, 1, 2, 3].map((n) => `chat:${chat.id}:charge:${n}`));

    expect(await chargesOf(chat.id)).toEqual(
      [1000, 1000, 1000, 100].map((amount, n) => ({ seq: n, amount_minor: amount, status: "succeeded", failure_code: null, idempotency_key: `chat:${chat.id}:charge:${n}` })),
    );
    expect(await ledgerOf(chat.id)).toEqual({ balance: 0, customerPaid: 3100 });
    expect(await totalsOf(chat.id)).toEqual({ amount_minor: 3100, paid_minor: 3100, chargeable_seconds: 915 });
  });

  it("captures no more than a hold holds, and carries the rest to the next hold", async () => {
    // The first block (EUR 10) is above the threshold and its hold (EUR 5): two captures of EUR 5.
    const { alice } = await paidRoom("split-b", "phone_timer_start = 0, pricing_split_threshold_minor = 500");
    const { chat, agentSocket } = await paidChat(alice);
    later(30);
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 10.00"), "EUR 10 paid from two holds of EUR 5");
    const holds = await holdsOf(chat.id);
    expect(holds.map((h) => [h.status, h.amount_received])).toEqual([
      ["succeeded", 500],
      ["succeeded", 500],
      ["requires_capture", 0],
    ]);
  });
});

describe("Stripe's minimum charge", () => {
  it("carries amounts below the minimum to a later charge, and records a last remainder below it as not charged", async () => {
    // EUR 1 per 5 minutes, then 10 cents per started 30 s; split at EUR 1; Stripe's minimum is EUR 0.50.
    const { alice } = await paidRoom("minimum-a", "phone_timer_start = 0, pricing_block_price_minor = 100, pricing_split_threshold_minor = 100");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    later(30); // EUR 1.00 due at once
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 1.00"), "the first euro paid");
    later(285); // 5:15 → EUR 1.10: 10 cents unpaid, below the minimum and the threshold
    await runAlarm(chat.id);
    later(120); // 7:15 → EUR 1.50
    await runAlarm(chat.id);
    expect((await stripeCalls(`chat:${chat.id}:charge:`)).length, "nothing charged below the threshold").toBe(1);
    later(150); // 9:45 → EUR 2.00: the carried cents reach the threshold
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 2.00"), "the carried amount charged");

    later(30); // 10:15 → EUR 2.10: 10 cents left at the end
    customerSocket.send({ type: "hangup" });
    const agentSees = await agentSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("New revenue"), "the agent's final meter");
    expect(agentSees).toContain("New revenue: EUR 2.00 charged to the card. EUR 0.10 is below the card minimum of EUR 0.50 and was not charged.");
    expect(await chargesOf(chat.id)).toEqual([
      { seq: 0, amount_minor: 100, status: "succeeded", failure_code: null, idempotency_key: `chat:${chat.id}:charge:0` },
      { seq: 1, amount_minor: 100, status: "succeeded", failure_code: null, idempotency_key: `chat:${chat.id}:charge:1` },
      // Numbered after the last hold (hold 2 was released unused).
      { seq: 3, amount_minor: 10, status: "abandoned", failure_code: "below_minimum", idempotency_key: `chat:${chat.id}:uncollected` },
    ]);
    expect(await totalsOf(chat.id)).toEqual({ amount_minor: 210, paid_minor: 200, chargeable_seconds: 615 });
    // The hold placed after the last charge is released, not left on the card.
    expect((await holdsOf(chat.id)).map((h) => h.status)).toEqual(["succeeded", "succeeded", "canceled"]);
  });

  it("charges nothing for a chat whose whole fee is below the minimum, and says so", async () => {
    const { alice } = await paidRoom("minimum-b", "phone_timer_start = 0, pricing_block_price_minor = 40, pricing_block_minutes = 1");
    const { chat, customerSocket } = await paidChat(alice);
    later(20);
    customerSocket.send({ type: "hangup" });
    const final = await customerSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("meter-note ok"), "the customer's final meter");
    expect(final).toContain("Nothing to pay for this chat. EUR 0.40 is below the card minimum of EUR 0.50 and was not charged.");
    expect((await holdsOf(chat.id)).map((h) => h.status)).toEqual(["canceled"]);
    expect(await totalsOf(chat.id)).toEqual({ amount_minor: 40, paid_minor: 0, chargeable_seconds: 20 });
  });
});

describe("the 90-second offline timeout", () => {
  it("ends the chat and charges the card automatically, for the time before the customer dropped", async () => {
    const { alice } = await paidRoom("timeout-a");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    later(400); // 6:40 → EUR 14.00
    customerSocket.close();
    await agentSocket.next((f) => f.includes("is offline"), "the customer offline");
    later(91);
    await runAlarm(chat.id);
    const final = await agentSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("New revenue"), "the charge after the timeout");
    expect(final).toContain("New revenue: EUR 14.00 charged to the card.");
    expect(agentSocket.saw((f) => f.includes("The chat ended because the connection was lost for too long."))).toBe(true);
    expect(await chatRow(chat.id)).toMatchObject({ status: "ended", ended_by: "timeout" });
    // The meter stopped when the customer dropped: 400 seconds, not 491.
    expect(await totalsOf(chat.id)).toEqual({ amount_minor: 1400, paid_minor: 1400, chargeable_seconds: 400 });
    expect((await holdsOf(chat.id)).map((h) => [h.status, h.amount_received])).toEqual([["succeeded", 1400]]);
  });
});
