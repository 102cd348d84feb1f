import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { Browser } from "./client";
import { signedIn } from "./fixtures";
import { Agent, chatRow, Customer, liveCompany, setRoom, type LiveCompany } from "./live";
import { inbox, mailTo, source } from "./mail";
import { closeAllSockets } from "./sockets";

// "Email me when someone is free" on the waiting screen: the room's agents with Email Alert on
// are told a customer is waiting; the customer is emailed once, when an agent of the room comes
// free after they left; alerts expire after a day and stop from the mail's link. Mail is read
// from the catcher.

afterEach(() => closeAllSockets());

const DAY = 24 * 60 * 60 * 1000;

/** A company with a SALES room beside GENERAL: Ann and Bob serve both, Bob with Email Alert off. */
async function company(slug: string): Promise<LiveCompany> {
  const co = await liveCompany(slug, {
    rooms: ["SALES"],
    agents: [
      { name: "Ann Agent", email: `ann@${slug}.test` },
      { name: "Bob Agent", email: `bob@${slug}.test` },
    ],
  });
  await env.DB.prepare("insert into agent_profiles (user_id, email_alert) values (?, 0) on conflict (user_id) do update set email_alert = 0").bind(co.agents[`bob@${slug}.test`]).run();
  for (const room of ["GENERAL", "SALES"]) await setRoom(slug, room, "allow_email_alert = 1, public_company_name = 'Acme Help'");
  return co;
}

/** A customer who found nobody free in the room and asked for an alert. */
async function askForAlert(slug: string, room = "GENERAL", customer = new Customer(), email = `carla@${slug}.test`) {
  const chat = await customer.startChat(`/c/${slug}/${room}`, { name: "Carla Customer", email });
  await customer.browser.htmxGet(`/chats/${chat.id}/requests/new?kind=alert`);
  const res = await customer.browser.htmxPost(`/chats/${chat.id}/requests`, { kind: "alert", email });
  expect(res.status).toBe(200);
  return { customer, chat, said: await res.text() };
}

/** The customer closes the waiting page's chat: nobody answered. */
async function leave(chat: { id: string; socket(): Promise<{ send(m: object): void }> }) {
  (await chat.socket()).send({ type: "hangup" });
  for (let i = 0; i < 50 && (await chatRow(chat.id))?.status !== "missed"; i++) await new Promise((r) => setTimeout(r, 50));
  expect((await chatRow(chat.id))?.status).toBe("missed");
}

const alertsOf = async (slug: string) =>
  (await env.DB.prepare("select id, email, status, alert_outcome as outcome from customer_requests where kind = 'alert' and company_id = (select id from companies where slug = ?) order by created_at").bind(slug).all<{ id: string; email: string; status: string; outcome: string | null }>()).results;

/** Waits until the room's object settled the alert (it does so in the background). */
async function untilOutcome(id: string, outcome: string) {
  for (let i = 0; i < 60; i++) {
    const row = await env.DB.prepare("select alert_outcome from customer_requests where id = ?").bind(id).first<{ alert_outcome: string | null }>();
    if (row?.alert_outcome === outcome) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`alert ${id} never became ${outcome}`);
}

const FREE = "Someone is free to talk at Acme Help";

describe("an email alert", () => {
  it("tells the agents with Email Alert on that a customer is waiting, and the customer once an agent comes free after they left", async () => {
    const co = await company("alert-free");
    const { chat, said } = await askForAlert("alert-free");
    expect(said).toContain("Done — we will email you when someone is free.");

    const told = await mailTo("ann@alert-free.test", "Carla Customer is waiting for someone to be free");
    expect(told, "Ann's mail").toBeDefined();
    expect(told!.text).toContain("carla@alert-free.test");
    expect(told!.text).toContain("GENERAL");
    expect(told!.text).toContain("https://parley.test/agent");
    expect(await source(told!.id)).toMatch(/^List-Unsubscribe: <https:\/\/parley\.test\/agent\/profile#emailAlert>/m);
    // Bob keeps Email Alert off: nothing was even written for him.
    expect(await env.DB.prepare("select count(*) as n from email_outbox where to_address = ?").bind("bob@alert-free.test").first("n")).toBe(0);

    await leave(chat);
    const [alert] = await alertsOf("alert-free");
    expect(alert).toMatchObject({ email: "carla@alert-free.test", status: "open", outcome: null });
    expect(await inbox("carla@alert-free.test", 0)).toEqual([]);

    const ann = await Agent.signIn(co, "ann@alert-free.test", "Ann Agent");
    const console = await ann.online();
    await untilOutcome(alert!.id, "notified");
    const mail = await mailTo("carla@alert-free.test", FREE);
    expect(mail, "Carla's mail").toBeDefined();
    expect(mail!.from[0]!.name).toBe("Acme Help");
    expect(mail!.text).toContain("You asked us to email you when someone in GENERAL was free.");
    expect(mail!.text).toContain("https://parley.test/c/alert-free/GENERAL");
    expect(await source(mail!.id)).toMatch(new RegExp(`^List-Unsubscribe: <https://parley\\.test/alerts/${alert!.id}/unsubscribe>`, "m"));

    // Ann comes free again: the alert was answered once, and no second mail goes.
    await ann.choose(console, "TAKING_BREAK");
    await ann.choose(console, "WAITING_NEW_CALL");
    await new Promise((r) => setTimeout(r, 300));
    expect((await inbox("carla@alert-free.test", 2)).filter((m) => m.subject === FREE)).toHaveLength(1);
  }, 15_000);

  it("is added once a day per customer and room: asking again says so and mails nobody again", async () => {
    await company("alert-twice");
    await askForAlert("alert-twice");
    const again = await askForAlert("alert-twice");
    expect(again.said).toContain("You already asked today — we will email you once when someone is free.");
    // Another room is another alert.
    await askForAlert("alert-twice", "SALES");
    expect((await alertsOf("alert-twice")).length).toBe(2);
    await mailTo("ann@alert-twice.test", "Carla Customer is waiting for someone to be free");
    await new Promise((r) => setTimeout(r, 300));
    expect((await inbox("ann@alert-twice.test", 3)).length).toBe(2);
  }, 15_000);

  it("sends nothing to a customer still waiting on the page, nor once an agent answered them", async () => {
    const co = await company("alert-served");
    const { chat } = await askForAlert("alert-served");
    const customerSocket = await chat.socket();
    const [alert] = await alertsOf("alert-served");

    const ann = await Agent.signIn(co, "ann@alert-served.test", "Ann Agent");
    const console = await ann.online();
    // Still on the page: Ann is rung for the chat, and the alert waits.
    await console.arrived((f) => f.includes(`id="ring-${chat.id}"`), "the ring");
    expect((await alertsOf("alert-served"))[0]!.status).toBe("open");
    console.send({ type: "answer", chatId: chat.id });
    await customerSocket.next((f) => f.includes("<h1>Ann Agent</h1>"), "the connected chat");

    const bob = await Agent.signIn(co, "bob@alert-served.test", "Bob Agent");
    await bob.online();
    await untilOutcome(alert!.id, "served");
    await new Promise((r) => setTimeout(r, 300));
    expect(await inbox("carla@alert-served.test", 0)).toEqual([]);
  });

  it("expires after a day: the agent coming free later writes to nobody, and the cron ends the rest", async () => {
    const co = await company("alert-old");
    const first = await askForAlert("alert-old");
    await leave(first.chat);
    await askForAlert("alert-old", "SALES");
    const [general, sales] = await alertsOf("alert-old");
    await env.DB.prepare("update customer_requests set created_at = created_at - ? where kind = 'alert' and company_id = ?").bind(DAY + 1000, co.id).run();

    const ann = await Agent.signIn(co, "ann@alert-old.test", "Ann Agent");
    await ann.online("browser", ["GENERAL"]);
    await untilOutcome(general!.id, "expired");

    const ctx = { waitUntil: (p: Promise<unknown>) => waits.push(p), passThroughOnException() {} } as unknown as ExecutionContext;
    const waits: Promise<unknown>[] = [];
    await worker.scheduled({ scheduledTime: Date.now(), cron: "*/5 * * * *", noRetry() {} } as ScheduledController, env, ctx);
    await Promise.all(waits);
    expect((await alertsOf("alert-old")).find((a) => a.id === sales!.id)).toMatchObject({ status: "done", outcome: "expired" });
    await new Promise((r) => setTimeout(r, 300));
    expect((await inbox("carla@alert-old.test", 0)).filter((m) => m.subject === FREE)).toEqual([]);
  });

  it("moves with its room when the room is renamed, and still reaches the customer", async () => {
    const co = await company("alert-moved");
    const { chat } = await askForAlert("alert-moved", "SALES");
    await leave(chat);
    const [alert] = await alertsOf("alert-moved");
    const boss = await signedIn("boss@alert-moved.test");
    const renamed = await boss.post(`/admin/rooms/${co.rooms.SALES}/rename`, { name: "HELP_DESK" }, { from: `/admin/rooms/${co.rooms.SALES}/rename` });
    expect(renamed.status).toBe(303);

    const ann = await Agent.signIn(co, "ann@alert-moved.test", "Ann Agent");
    await ann.online("browser", ["HELP_DESK"]);
    await untilOutcome(alert!.id, "notified");
    const mail = await mailTo("carla@alert-moved.test", FREE);
    expect(mail!.text).toContain("You asked us to email you when someone in HELP_DESK was free.");
  });

  it("stops from the mail's link without a session: asks first, then ends every open alert of the address at the company", async () => {
    await company("alert-stop");
    await askForAlert("alert-stop");
    await askForAlert("alert-stop", "SALES");
    await askForAlert("alert-stop", "SALES", new Customer(), "dora@alert-stop.test");
    const [general, sales, dora] = await alertsOf("alert-stop");

    const reader = new Browser();
    const page = await reader.get(`/alerts/${general!.id}/unsubscribe`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Stop the emails Acme Help sends you when someone is free to talk?");
    // Opening the link changed nothing: mail scanners open links too.
    expect((await alertsOf("alert-stop")).every((a) => a.status === "open")).toBe(true);

    const done = await reader.post(`/alerts/${general!.id}/unsubscribe`, {}, { from: `/alerts/${general!.id}/unsubscribe` });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Acme Help will not email you when someone is free.");
    const after = await alertsOf("alert-stop");
    expect(after.find((a) => a.id === general!.id)).toMatchObject({ status: "done", outcome: "unsubscribed" });
    expect(after.find((a) => a.id === sales!.id)).toMatchObject({ status: "done", outcome: "unsubscribed" });
    expect(after.find((a) => a.id === dora!.id)).toMatchObject({ status: "open" });

    expect((await reader.get("/alerts/00000000-0000-4000-8000-000000000000/unsubscribe")).status).toBe(404);
    expect((await reader.get("/alerts/not-an-id/unsubscribe")).status).toBe(404);
  });
});
