import { afterEach, describe, expect, it, vi } from "vitest";
import { later } from "./live";
import { authorise, paidChat, paidRoom, paidShown, runAlarm } from "./paid-chats";
import { closeAllSockets } from "./sockets";

// The end of a paid chat (spec: "Summary of charges and payment at the end of chat"): both
// parties' meter panels list chargeable time, each charge of a split bill, total paid and what is
// outstanding; the customer's becomes a receipt once the card is done with. EUR 10 per 5 minutes,
// then EUR 1 per started 30 s; split at EUR 10.

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

const SPLIT = "phone_timer_start = 0, pricing_split_threshold_minor = 1000";

/** A final meter panel showing `text`. */
const ended = (chatId: string, text: string) => (f: string) => f.includes(`id="meter-${chatId}" class="meter-panel ended`) && f.includes(text);

/** The bill's lines as label → value, tags and spacing taken out. */
function lines(frame: string): [string, string][] {
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, "")
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, " ")
      .trim();
  return [...frame.matchAll(/<div class="bill-line[^"]*"><dt>(.*?)<\/dt><dd[^>]*>(.*?)<\/dd><\/div>/g)].map((m) => [text(m[1]!), text(m[2]!)]);
}

/** "Charge 2 · 14:05 UTC" → "Charge 2 · hh:mm UTC": the times are the clock's, checked apart. */
const withoutTimes = (pairs: [string, string][]) => pairs.map(([label, value]) => [label.replace(/\d\d:\d\d UTC/, "hh:mm UTC"), value]);

describe("the end of a chat paid in split bills", () => {
  it("shows both parties each charge, total paid and nothing outstanding, and gives the customer a receipt", async () => {
    const { alice } = await paidRoom("bill-a", SPLIT);
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    later(30); // 0:30 → EUR 10.00: split charge 1
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 10.00"), "the first split charge");
    later(600); // 10:30 → EUR 21.00: split charge 2 takes the EUR 10.00 hold
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 20.00"), "the second split charge");
    later(20); // 10:50 → EUR 22.00
    agentSocket.send({ type: "hangup" });

    const receipt = await customerSocket.next(ended(chat.id, "Paid: EUR 22.00 charged to the card."), "the customer's receipt");
    expect(receipt).toContain('class="meter-panel ended receipt-panel"');
    expect(receipt).toContain(">Receipt</p>");
    expect(receipt).toContain(">bill-a Ltd</h2>");
    expect(receipt).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC<\/time>/);
    expect(withoutTimes(lines(receipt))).toEqual([
      ["Chargeable time", "10:50"],
      ["Charges", "EUR 22.00"],
      ["Charge 1 · hh:mm UTC", "EUR 10.00"],
      ["Charge 2 · hh:mm UTC", "EUR 10.00"],
      ["Charge 3 · hh:mm UTC", "EUR 2.00"],
      ["Total paid", "EUR 22.00"],
      ["Outstanding", "EUR 0.00"],
      ["Card", "Visa •••• 4242"],
      ["Reference", chat.id],
    ]);

    const summary = await agentSocket.next(ended(chat.id, "New revenue: EUR 22.00 charged to the card."), "the agent's summary");
    expect(summary).toContain("Summary of charges");
    expect(summary).not.toContain("Receipt");
    // The same figures as the customer's, without the card and the reference.
    expect(lines(summary)).toEqual(lines(receipt).slice(0, 7));
  });
});

describe("the end of a chat whose card fails", () => {
  it("shows both parties what is outstanding, and the customer a receipt once another card paid it", async () => {
    const { alice } = await paidRoom("bill-b", SPLIT);
    // Authorises, and declines every later payment for insufficient funds.
    const { chat, customer, customerSocket, agentSocket } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id); // split charge 1 taken; the hold for what follows declined
    later(420); // 7:30 → EUR 15.00
    agentSocket.send({ type: "hangup" });

    const bill = await customerSocket.next(ended(chat.id, "Payment needed"), "the customer's bill, payment needed");
    expect(bill).toContain("Your bill");
    expect(bill).not.toContain("Receipt");
    expect(withoutTimes(lines(bill))).toEqual([
      ["Chargeable time", "7:30"],
      ["Charges", "EUR 15.00"],
      ["Charge 1 · hh:mm UTC", "EUR 10.00"],
      ["Total paid", "EUR 10.00"],
      ["Outstanding", "EUR 5.00"],
    ]);
    const summary = await agentSocket.next(ended(chat.id, "Hang up anyway"), "the agent's summary, payment needed");
    expect(lines(summary)).toEqual(lines(bill));

    expect((await authorise(customer, chat.id, "pm_card_mastercard", false)).status).toBe(303);
    const receipt = await customerSocket.next(ended(chat.id, "Paid: EUR 15.00 charged to the card."), "the receipt");
    expect(withoutTimes(lines(receipt))).toEqual([
      ["Chargeable time", "7:30"],
      ["Charges", "EUR 15.00"],
      ["Charge 1 · hh:mm UTC", "EUR 10.00"],
      ["Charge 2 · hh:mm UTC", "EUR 5.00"],
      ["Total paid", "EUR 15.00"],
      ["Outstanding", "EUR 0.00"],
      // The card that paid last.
      ["Card", "Mastercard •••• 4444"],
      ["Reference", chat.id],
    ]);
  });

  it("tells the customer on the receipt what was not paid when the agent hangs up anyway", async () => {
    const { alice } = await paidRoom("bill-c", SPLIT);
    const { chat, customerSocket, agentSocket } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id);
    await agentSocket.next((f) => f.includes("Hang up anyway"), "payment needed");
    later(420);
    agentSocket.send({ type: "hangUpAnyway" });

    const receipt = await customerSocket.next(ended(chat.id, "The chat ended with EUR 5.00 unpaid."), "the receipt");
    expect(receipt).toContain(">Receipt</p>");
    expect(withoutTimes(lines(receipt)).slice(0, 5)).toEqual([
      ["Chargeable time", "7:30"],
      ["Charges", "EUR 15.00"],
      ["Charge 1 · hh:mm UTC", "EUR 10.00"],
      ["Total paid", "EUR 10.00"],
      ["Not paid", "EUR 5.00"],
    ]);
  });
});
