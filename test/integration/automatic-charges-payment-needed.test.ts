import { createExecutionContext, env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../worker/index";
import { chatRow, later } from "./live";
import {
  authorise,
  chargesOf,
  holdsOf,
  ledgerOf,
  paidChat,
  paidRoom,
  paidShown,
  passAuthentication,
  runAlarm,
  setCardOutcome,
  totalsOf,
} from "./paid-chats";
import { closeAllSockets, frames } from "./sockets";
import { stripeApi, stripeJsConfirm } from "./stripe";

// "Payment needed" (spec: mitigation for a client failing to pay): a hold placed off-session
// fails, the agent is told, the customer gives another card (or passes 3-D Secure) on the same
// PaymentIntent until paid, or the agent hangs up anyway.

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

const meter = (chatId: string, text: string) => (f: string) => f.includes(`id="meter-${chatId}"`) && f.includes(text);

describe("payment needed during the chat", () => {
  it("tells the agent when the next hold is declined, keeps the chat and the meter going, and continues once the customer's new card is authorised on the same PaymentIntent", async () => {
    const { alice } = await paidRoom("needed-a", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    // Authorises, and declines every later payment for insufficient funds.
    const { chat, customer, customerSocket, agentSocket } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id); // charge 0 (EUR 10) taken; hold 1 declined off-session

    await agentSocket.next((f) => f.includes("Payment needed: Carla Customer&#39;s card could not be charged (insufficient funds). They are asked for another card."), "the agent told");
    const agentPanel = await agentSocket.next(meter(chat.id, "Payment needed"), "the agent's meter panel");
    expect(agentPanel).toContain("The chat goes on and the meter keeps counting.");
    expect(agentPanel).toContain("Hang up anyway");
    const customerPanel = await customerSocket.next(meter(chat.id, "Payment needed"), "the customer's meter panel");
    expect(customerPanel).toContain("Your card could not be charged: there are not enough funds. Please use another card.");
    expect(customerPanel).toContain(`href="/chats/${chat.id}/card"`);
    const failed = (await holdsOf(chat.id))[1]!;
    expect(failed.status).toBe("requires_payment_method");

    later(200); // the chat goes on meanwhile
    const page = await customer.browser.get(`/chats/${chat.id}/card`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Payment needed");
    expect(html).toContain("So far this chat comes to <strong>EUR 10.00</strong>, of which EUR 10.00 is paid.");
    expect(html).not.toContain('name="agree"');

    const declinedAgain = await authorise(customer, chat.id, "pm_card_chargeDeclinedInsufficientFunds", false);
    expect(declinedAgain.status).toBe(422);
    expect(await declinedAgain.text()).toContain("Your card has insufficient funds. Please try another card.");
    const paid = await authorise(customer, chat.id, "pm_card_visa", false);
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`/chats/${chat.id}`);
    await agentSocket.next((f) => f.includes("Carla Customer&#39;s new card is authorised."), "the agent told the card is good");
    const retried = (await holdsOf(chat.id))[1]!;
    expect(retried).toMatchObject({ id: failed.id, status: "requires_capture", amount_capturable: 1000 });

    later(360); // 9:50 → EUR 20.00: the next split comes from the new card, the hold after it too
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 20.00"), "the second threshold charged");
    later(300); // 14:50 → EUR 30.00: the third, off-session on the card given in the form
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 30.00"), "the third threshold charged");
    later(20);
    agentSocket.send({ type: "hangup" });
    await customerSocket.next(meter(chat.id, "Paid: EUR 31.00 charged to the card."), "the final amount");
    const holds = await holdsOf(chat.id);
    expect(holds.map((h) => [h.status, h.amount_received])).toEqual([
      ["succeeded", 1000],
      ["succeeded", 1000],
      ["succeeded", 1000],
      ["succeeded", 100],
    ]);
    // Every charge after the decline came from the card given in the form, saved for off-session use.
    expect(new Set(holds.slice(1).map((h) => h.payment_method)).size).toBe(1);
    expect(holds[1]!.payment_method).not.toBe(holds[0]!.payment_method);
    expect(agentSocket.saw((f) => f.includes("cannot be used for this payment") || f.includes("Stripe refused"))).toBe(false);
    // The meter counted through the time payment was needed.
    expect(await totalsOf(chat.id)).toEqual({ amount_minor: 3100, paid_minor: 3100, chargeable_seconds: 910 });
  });

  it("says so when Stripe refuses the next hold as a request, not as a decline (a card no longer on file), and tries no more until another card is given", async () => {
    const { alice } = await paidRoom("needed-refused", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    const account = (await env.DB.prepare("select stripe_account_id a from companies where slug = 'needed-refused'").first<{ a: string }>())!.a;
    const card = (await holdsOf(chat.id))[0]!.payment_method!;
    expect((await stripeApi(`/v1/payment_methods/${card}/detach`, { method: "POST", account })).status).toBe(200);

    later(30);
    await runAlarm(chat.id); // charge 0 taken from the hold; hold 1 refused: the card is not on file
    await agentSocket.next((f) => f.includes("Payment needed: Carla Customer&#39;s card could not be charged (Stripe refused the card for this payment)."), "the agent told");
    await customerSocket.next(meter(chat.id, "Your card could not be charged: it cannot be used for this payment."), "the customer asked for a card");
    const holds = (await holdsOf(chat.id)).length;
    later(30);
    await runAlarm(chat.id);
    later(30);
    await runAlarm(chat.id);
    expect((await holdsOf(chat.id)).length, "no new PaymentIntent at each tick").toBe(holds);
  });

  it("lets the agent hang up anyway: the failed hold is cancelled, the unpaid fee recorded as abandoned, and the chat ends", async () => {
    const { alice } = await paidRoom("needed-b", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    const { chat, customerSocket, agentSocket } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id);
    await agentSocket.next(meter(chat.id, "Hang up anyway"), "payment needed");
    later(420); // 7:30 → EUR 15.00, of which EUR 10.00 paid

    customerSocket.send({ type: "hangUpAnyway" });
    await customerSocket.next(frames.error("There is no unpaid bill to give up."), "the customer refused");
    agentSocket.send({ type: "hangUpAnyway" });
    await agentSocket.next(meter(chat.id, "You hung up anyway: EUR 5.00 was not paid and is recorded as abandoned."), "the agent's final meter");
    await customerSocket.next(meter(chat.id, "The chat ended with EUR 5.00 unpaid. needed-b Ltd may ask you to pay it another way."), "the customer's final meter");

    expect(await chatRow(chat.id)).toMatchObject({ status: "ended", ended_by: "agent" });
    expect((await holdsOf(chat.id)).map((h) => h.status)).toEqual(["succeeded", "canceled"]);
    expect(await chargesOf(chat.id)).toEqual([
      { seq: 0, amount_minor: 1000, status: "succeeded", failure_code: null, idempotency_key: `chat:${chat.id}:charge:0` },
      { seq: 2, amount_minor: 500, status: "abandoned", failure_code: "insufficient_funds", idempotency_key: `chat:${chat.id}:uncollected` },
    ]);
    expect(await totalsOf(chat.id)).toEqual({ amount_minor: 1500, paid_minor: 1000, chargeable_seconds: 450 });
    expect(await ledgerOf(chat.id)).toEqual({ balance: 0, customerPaid: 1000 });
  });

  it("refuses Hang up anyway while nothing is unpaid", async () => {
    const { alice } = await paidRoom("needed-c");
    const { agentSocket } = await paidChat(alice);
    agentSocket.send({ type: "hangUpAnyway" });
    await agentSocket.next(frames.error("There is no unpaid bill to give up."), "the refusal");
  });
});

describe("a replacement card given while payment is needed", () => {
  const PK = "pk_test_parley_element";
  const elementWorker = { fetch: async (request: Request) => app.fetch(request, { ...env, STRIPE_PUBLISHABLE_KEY: PK }, createExecutionContext()) };

  it("is saved for later charges when entered in Stripe's Payment Element: two more split charges and the final charge are taken from it", async () => {
    const { alice } = await paidRoom("needed-element", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    const { chat, customer, customerSocket, agentSocket } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id); // charge 0 taken; hold 1 declined off-session
    await agentSocket.next(meter(chat.id, "Payment needed"), "payment needed");

    const account = (await env.DB.prepare("select stripe_account_id a from companies where slug = 'needed-element'").first<{ a: string }>())!.a;
    const browser = customer.browser.through(elementWorker);
    const page = await (await browser.get(`/chats/${chat.id}/card`)).text();
    const secret = page.match(/data-payment-element-client-secret-value="([^"]+)"/)![1]!;
    const replaced = await stripeJsConfirm<{ status: string; payment_method: string }>(PK, secret, account, "4242424242424242");
    expect(replaced.status).toBe("requires_capture");
    expect((await browser.get(`/chats/${chat.id}/authenticated`)).status).toBe(303);
    await agentSocket.next((f) => f.includes("new card is authorised"), "the agent told the card is good");

    // The splits after it come from the replacement card, off-session, each on a new hold.
    later(600); // 10:30 → EUR 21.00: EUR 11.00 unpaid, up to the EUR 10.00 hold taken
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 20.00"), "the second split charge");
    later(300); // 15:30 → EUR 31.00
    await runAlarm(chat.id);
    await agentSocket.next(paidShown(chat.id, "EUR 30.00"), "the third split charge");
    later(20);
    agentSocket.send({ type: "hangup" });
    await customerSocket.next(meter(chat.id, "Paid: EUR 32.00 charged to the card."), "the final charge");
    expect((await chargesOf(chat.id)).map((c) => [c.amount_minor, c.status])).toEqual([
      [1000, "succeeded"],
      [1000, "succeeded"],
      [1000, "succeeded"],
      [200, "succeeded"],
    ]);
    expect(await ledgerOf(chat.id)).toEqual({ balance: 0, customerPaid: 3200 });
    // Every hold after the decline was on the replacement card, which Stripe saved on the chat's customer.
    const holds = await holdsOf(chat.id);
    expect(holds.slice(1).map((h) => h.payment_method)).toEqual(holds.slice(1).map(() => replaced.payment_method));
    expect(agentSocket.saw((f) => f.includes("cannot be used for this payment") || f.includes("Stripe refused"))).toBe(false);
  });
});

describe("payment needed at the end", () => {
  it("asks the customer to pass 3-D Secure when the last part of the bill needs it, then charges it", async () => {
    // A hold of EUR 5 for a EUR 10 chat: the rest is held off-session at the end, and the bank
    // asks the customer to confirm it.
    const { alice } = await paidRoom("needed-d", "phone_timer_start = 0, authorisation_amount_minor = 500");
    const { chat, customer, customerSocket, agentSocket } = await paidChat(alice);
    await setCardOutcome((await holdsOf(chat.id))[0]!.payment_method!, "authentication_required");
    later(100);
    agentSocket.send({ type: "hangup" });

    const agentPanel = await agentSocket.next(meter(chat.id, "Payment needed"), "payment needed, told to the agent");
    expect(agentPanel).toContain("the bank asks the customer to confirm the payment (3-D Secure)");
    expect(agentPanel).toContain("The bill is charged as soon as a card pays.");
    await customerSocket.next(meter(chat.id, "Confirm or use another card"), "the customer asked to confirm");
    const page = await (await customer.browser.get(`/chats/${chat.id}/card`)).text();
    expect(page).toContain("This chat came to <strong>EUR 10.00</strong>, of which EUR 5.00 is paid.");
    expect(page).toContain('value="saved"');

    const challenge = await authorise(customer, chat.id, "saved", false);
    expect(challenge.status).toBe(303);
    expect(challenge.headers.get("location")).toMatch(/^http:\/\/stripe\.fake\/_fake\/3ds\/pi_/);
    const second = (await holdsOf(chat.id))[1]!;
    expect(second.status).toBe("requires_action");
    await passAuthentication(second.id);
    const back = await customer.browser.get(`/chats/${chat.id}/authenticated`);
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe(`/chats/${chat.id}`);

    await agentSocket.next(meter(chat.id, "New revenue: EUR 10.00 charged to the card."), "the agent's revenue");
    expect((await holdsOf(chat.id)).map((h) => [h.status, h.amount_received])).toEqual([
      ["succeeded", 500],
      ["succeeded", 500],
    ]);
    expect((await chargesOf(chat.id)).map((c) => [c.seq, c.amount_minor, c.status])).toEqual([
      [0, 500, "succeeded"],
      [1, 500, "succeeded"],
    ]);
    expect(await totalsOf(chat.id)).toEqual({ amount_minor: 1000, paid_minor: 1000, chargeable_seconds: 100 });
  });
});

describe("the agent's hang-up in a room with automatic charges", () => {
  it("asks the agent to confirm Charge bill first; the customer's End asks nothing of the kind", async () => {
    const { alice } = await paidRoom("confirm-a");
    const { chat } = await paidChat(alice);
    const agentView = (await alice.chat(chat.id)).log.find(frames.snapshot(chat.id))!;
    expect(agentView).toContain(`popovertarget="charge-bill-${chat.id}"`);
    expect(agentView).toMatch(/Charge bill\?[\s\S]*name="type" value="hangup"[\s\S]*Charge bill<\/button>/);
    const customerView = (await chat.socket()).log.find(frames.snapshot(chat.id))!;
    expect(customerView).not.toContain("Charge bill");
  });
});
