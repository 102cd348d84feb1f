import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatDO } from "../../durable-objects/chat/ChatDO";
import { later } from "./live";
import {
  chargesOf,
  chatStub,
  holdsOf,
  interruptStripe,
  ledgerOf,
  paidChat,
  paidRoom,
  paidShown,
  restoreStripe,
  runAlarm,
  stripeCalls,
  totalsOf,
} from "./paid-chats";
import { closeAllSockets } from "./sockets";

// A crash or a replayed alarm at any point neither loses nor doubles a charge. The connection to
// Stripe is cut before a call reaches it or after Stripe did the work (the fake's interruption),
// the ChatDO is evicted (its memory gone, its storage kept), and alarms run again.

afterEach(async () => {
  await restoreStripe();
  await closeAllSockets();
  vi.useRealTimers();
});

/** Runs the ChatDO's alarm handler once more, as a retried (at-least-once) alarm would. */
const replayAlarm = (chatId: string) => runInDurableObject(chatStub(chatId), (chat: ChatDO) => chat.alarm());

const SPLIT = "phone_timer_start = 0, pricing_split_threshold_minor = 1000";

describe("a split bill that breaks off", () => {
  it("after Stripe captured, before the charge was recorded: the next tick after an eviction records it once and holds the next amount", async () => {
    const { alice } = await paidRoom("crash-a", SPLIT);
    const { chat, agentSocket } = await paidChat(alice);
    await interruptStripe("/capture$", "after");
    later(30);
    await runAlarm(chat.id);
    expect(await chargesOf(chat.id), "nothing recorded while the answer was lost").toEqual([]);
    expect((await holdsOf(chat.id))[0]!.status, "Stripe captured").toBe("succeeded");

    await restoreStripe();
    await evictDurableObject(chatStub(chat.id));
    later(30);
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 10.00"), "the charge on the meter");
    await replayAlarm(chat.id);

    expect(await stripeCalls(`chat:${chat.id}:charge:`), "one capture reached Stripe").toHaveLength(1);
    expect((await chargesOf(chat.id)).map((c) => [c.seq, c.amount_minor, c.status])).toEqual([[0, 1000, "succeeded"]]);
    expect(await ledgerOf(chat.id)).toEqual({ balance: 0, customerPaid: 1000 });
    expect((await holdsOf(chat.id)).map((h) => [h.metadata.hold, h.status])).toEqual([
      ["0", "succeeded"],
      ["1", "requires_capture"],
    ]);
  });

  it("before the next hold reached Stripe: the next tick after an eviction places it once", async () => {
    const { alice } = await paidRoom("crash-b", SPLIT);
    const { chat } = await paidChat(alice);
    await interruptStripe("^/v1/payment_intents$", "before");
    later(30);
    await runAlarm(chat.id); // charge 0 taken; hold 1 cut off
    expect(await holdsOf(chat.id)).toHaveLength(1);

    await restoreStripe();
    await evictDurableObject(chatStub(chat.id));
    later(30);
    await runAlarm(chat.id);
    await replayAlarm(chat.id);
    expect(await stripeCalls(`chat:${chat.id}:hold:1`)).toHaveLength(1);
    expect((await holdsOf(chat.id)).map((h) => [h.metadata.hold, h.status])).toEqual([
      ["0", "succeeded"],
      ["1", "requires_capture"],
    ]);
    expect((await chargesOf(chat.id)).map((c) => c.amount_minor)).toEqual([1000]);
  });

  it("a tick replayed at the same moment charges nothing more", async () => {
    const { alice } = await paidRoom("crash-c", SPLIT);
    const { chat, agentSocket } = await paidChat(alice);
    later(30);
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 10.00"), "the first split");
    await replayAlarm(chat.id);
    await evictDurableObject(chatStub(chat.id));
    await replayAlarm(chat.id);
    expect(await stripeCalls(`chat:${chat.id}:charge:`)).toHaveLength(1);
    expect(await stripeCalls(`chat:${chat.id}:hold:`)).toHaveLength(2); // the customer's and the next one
  });
});

describe("the final charge that breaks off", () => {
  it("after Stripe captured: the settle alarm after an eviction records it once, and replays of it change nothing", async () => {
    const { alice } = await paidRoom("crash-d");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    later(330); // 5:30 → EUR 11.00
    await interruptStripe("/capture$", "after");
    customerSocket.send({ type: "hangup" });
    await agentSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("Charging the card…"), "the charge under way");
    expect((await holdsOf(chat.id))[0]!.amount_received, "Stripe captured").toBe(1100);
    expect(await chargesOf(chat.id)).toEqual([]);

    await restoreStripe();
    await evictDurableObject(chatStub(chat.id));
    later(20);
    await runAlarm(chat.id);
    await replayAlarm(chat.id);
    await evictDurableObject(chatStub(chat.id));
    await replayAlarm(chat.id);

    expect(await stripeCalls(`chat:${chat.id}:charge:`)).toHaveLength(1);
    expect((await chargesOf(chat.id)).map((c) => [c.amount_minor, c.status])).toEqual([[1100, "succeeded"]]);
    expect(await ledgerOf(chat.id)).toEqual({ balance: 0, customerPaid: 1100 });
    expect(await totalsOf(chat.id)).toEqual({ amount_minor: 1100, paid_minor: 1100, chargeable_seconds: 330 });
    // The final amount was fixed at the hang-up: the time the alarm took to retry is not billed.
    const reloaded = await chatStub(chat.id).customerView(chat.token);
    expect(reloaded?.billing).toMatchObject({ phase: "settled", chargedMinor: 1100, step: null });
  });

  it("before the capture reached Stripe: the settle alarm after an eviction charges once", async () => {
    const { alice } = await paidRoom("crash-e");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    later(100);
    await interruptStripe("/capture$", "before");
    agentSocket.send({ type: "hangup" });
    await customerSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("Charging the card…"), "the charge under way");
    expect((await holdsOf(chat.id))[0]!.status, "nothing captured yet").toBe("requires_capture");

    await restoreStripe();
    await evictDurableObject(chatStub(chat.id));
    later(20);
    await runAlarm(chat.id);
    await replayAlarm(chat.id);
    expect(await stripeCalls(`chat:${chat.id}:charge:`)).toHaveLength(1);
    expect((await holdsOf(chat.id))[0]).toMatchObject({ status: "succeeded", amount_received: 1000 });
    expect((await chargesOf(chat.id)).map((c) => c.amount_minor)).toEqual([1000]);
  });
});
