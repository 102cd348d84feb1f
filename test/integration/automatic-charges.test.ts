import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Customer, CustomerChat, later, answer } from "./live";
import { mailTo } from "./mail";
import { authorise as submitCard, holdsOf, paidChat, paidPath as path, paidRoom, ROOM } from "./paid-chats";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";

// Automatic charges against the fake Stripe (the Worker's outbound requests all go to it).

async function paymentIntentOf(chatId: string) {
  const [pi] = await holdsOf(chatId);
  if (!pi) throw new Error(`no PaymentIntent for chat ${chatId}`);
  return pi;
}

async function authorise(customer: Customer, chatId: string, paymentMethod: string, agree = true): Promise<Response> {
  const page = await customer.browser.get(`/chats/${chatId}`);
  expect(page.status).toBe(200);
  return submitCard(customer, chatId, paymentMethod, agree);
}

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

describe("a room with automatic charges", () => {
  it("shows the price in words and test cards, and rings nobody until the card is authorised", async () => {
    const { alice } = await paidRoom("paid-a");
    const console: LiveSocket = await alice.online("browser", ["GENERAL", ROOM]);
    const customer = new Customer();
    const chat = await customer.startChat(path("paid-a"));
    const page = await (await customer.browser.get(`/chats/${chat.id}`)).text();
    expect(page).toContain("The chat costs EUR 10.00 for the first 5 minutes, even if shorter (the minimum charge).");
    expect(page).toContain("Test mode");
    expect(page).toContain('value="pm_card_visa"');
    await console.nothing(frames.ring(chat.id), "a ring before the card is authorised");

    const unagreed = await authorise(customer, chat.id, "pm_card_visa", false);
    expect(unagreed.status).toBe(422);
    expect(await unagreed.text()).toContain("Please agree to the price first.");

    const ok = await authorise(customer, chat.id, "pm_card_visa");
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`/chats/${chat.id}`);
    await console.arrived(frames.ring(chat.id), "the ring after authorisation");
    const pi = await paymentIntentOf(chat.id);
    expect(pi).toMatchObject({ status: "requires_capture", amount: 5000, amount_capturable: 5000 });
  });

  it("asks for another card after a decline, on the same PaymentIntent", async () => {
    const { alice } = await paidRoom("paid-b");
    const console = await alice.online("browser", ["GENERAL", ROOM]);
    const customer = new Customer();
    const chat = await customer.startChat(path("paid-b"));
    const declined = await authorise(customer, chat.id, "pm_card_chargeDeclinedInsufficientFunds");
    expect(declined.status).toBe(422);
    expect(await declined.text()).toContain("Please try another card.");
    await console.nothing(frames.ring(chat.id), "a ring after a decline");
    const first = await paymentIntentOf(chat.id);

    expect((await authorise(customer, chat.id, "pm_card_visa")).status).toBe(303);
    await console.arrived(frames.ring(chat.id), "the ring after the second card");
    const second = await paymentIntentOf(chat.id);
    expect(second.id).toBe(first.id);
    expect(second.status).toBe("requires_capture");
  });

  it("charges the meter's amount at hang-up, releases the rest of the hold, and records the revenue in D1", async () => {
    const { company, alice } = await paidRoom("paid-c");
    const console = await alice.online("browser", ["GENERAL", ROOM]);
    const customer = new Customer();
    const chat = await customer.startChat(path("paid-c"));
    expect((await authorise(customer, chat.id, "pm_card_visa")).status).toBe(303);
    const customerSocket = await chat.socket();
    await answer(console, chat.id);
    await customerSocket.next((f) => f.includes(`id="meter-${chat.id}"`), "the meter on the customer's screen");

    later(330); // 5:30 → EUR 11.00 (DESIGN.md)
    customerSocket.send({ type: "hangup" });
    const final = await customerSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("charged to the card"), "the final amount");
    expect(final).toContain("EUR 11.00");

    const pi = await paymentIntentOf(chat.id);
    expect(pi).toMatchObject({ status: "succeeded", amount_received: 1100 });
    const row = await env.DB.prepare("select amount_minor, paid_minor, currency, chargeable_seconds from chats where id = ?").bind(chat.id).first();
    expect(row).toEqual({ amount_minor: 1100, paid_minor: 1100, currency: "EUR", chargeable_seconds: 330 });
    const ledger = await env.DB.prepare("select account, amount_minor from ledger_entries where chat_id = ?").bind(chat.id).all<{ account: string; amount_minor: number }>();
    expect(ledger.results.reduce((t, l) => t + l.amount_minor, 0)).toBe(0);
    expect(ledger.results.filter((l) => l.account === "platform").reduce((t, l) => t + l.amount_minor, 0)).toBe(110);
    const charges = await env.DB.prepare("select amount_minor, status, idempotency_key from charges where chat_id = ?").bind(chat.id).all();
    expect(charges.results).toEqual([{ amount_minor: 1100, status: "succeeded", idempotency_key: `chat:${chat.id}:charge:0` }]);
    // The customer's receipt and the agent's "new revenue" note wait in the outbox.
    const mails = await env.DB.prepare("select to_address, subject from email_outbox where id like ? order by to_address").bind(`${chat.id}:%`).all();
    expect(mails.results).toEqual([
      { to_address: "alice@paid-c.test", subject: "New revenue: EUR 11.00" },
      { to_address: "carla@example.com", subject: "Your receipt from paid-c Ltd" },
    ]);
    // The receipt names the business, the room, the agent, the chat's date, its time and the currency.
    const receipt = await mailTo("carla@example.com", "Your receipt from paid-c Ltd");
    expect(receipt?.text).toMatch(/Company: +paid-c Ltd/);
    expect(receipt?.text).toMatch(/Amount: +EUR 11\.00/);
    expect(receipt?.text).toMatch(/Currency: +EUR/);
    expect(receipt?.text).toMatch(/Duration: +5:30 min/);
    expect(receipt?.text).toMatch(/Agent: +Alice/);
    expect(receipt?.text).toMatch(new RegExp(`Room: +${ROOM}`));
    expect(receipt?.text).toMatch(/Chat started: +.+ UTC/);
    void company;
  });

  it("counts nothing until the agent presses Start when the room gives agents the button", async () => {
    const { alice } = await paidRoom("paid-d", "phone_timer_start = 1, phone_timer_stop = 1");
    const console = await alice.online("browser", ["GENERAL", ROOM]);
    const customer = new Customer();
    const chat = await customer.startChat(path("paid-d"));
    expect((await authorise(customer, chat.id, "pm_card_visa")).status).toBe(303);
    const customerSocket = await chat.socket();
    await answer(console, chat.id);
    const agentSocket = await alice.chat(chat.id);
    later(600);
    agentSocket.send({ type: "timer", running: "true" });
    const started = await agentSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("Stop / Pause charges"), "the running meter");
    // At once, not at the next 30-second update: the first block is owed from the first second.
    expect(started).toContain('<dd class="meter-charges">EUR 10.00</dd>');
    expect(started).toContain('<dd class="meter-time">0:00</dd>');
    later(20);
    agentSocket.send({ type: "hangup" });
    const final = await customerSocket.next((f) => f.includes("charged to the card"), "the final amount");
    expect(final).toContain("EUR 10.00"); // 20 s of service: the minimum, not 10 minutes' worth
    // The customer has no timer button, and the server refuses the message too.
  });

  it("shows both parties the meter paused while the customer is offline, and running again when they are back", async () => {
    const { alice } = await paidRoom("paid-paused");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    customerSocket.close();
    const paused = await agentSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("paused"), "the paused meter");
    expect(paused).toContain("The meter is paused while Carla Customer is offline; it goes on when they are back.");
    expect(paused).not.toContain("The meter is running");
    expect(paused).toContain('class="meter-panel"');

    const back = await new CustomerChat(chat.id, chat.token).socket();
    await agentSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("The meter is running"), "the meter running again");
    expect(back.saw((f) => f.includes("The meter is running"))).toBe(true);
  });

  it("refuses the timer message from the customer, and from an agent in a room without the button", async () => {
    const { alice } = await paidRoom("paid-e", "phone_timer_start = 0, phone_timer_stop = 0");
    const console = await alice.online("browser", ["GENERAL", ROOM]);
    const customer = new Customer();
    const chat = await customer.startChat(path("paid-e"));
    expect((await authorise(customer, chat.id, "pm_card_visa")).status).toBe(303);
    const customerSocket = await chat.socket();
    await answer(console, chat.id);
    const agentSocket = await alice.chat(chat.id);
    customerSocket.send({ type: "timer", running: "false" });
    await customerSocket.next(frames.error("The charges timer cannot be changed here."), "the refusal to the customer");
    agentSocket.send({ type: "timer", running: "false" });
    await agentSocket.next(frames.error("The charges timer cannot be changed here."), "the refusal to the agent");
  });
});
