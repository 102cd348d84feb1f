import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Agent, Customer, answer, team, untilDevice } from "./live";
import { closeAllSockets, frames } from "./sockets";
import { count } from "./fixtures";
import { Browser } from "./client";
import type { Received } from "../fakes/push";

// Rings pushed to agents away from their consoles (Web Push with VAPID), through the fake push
// service of test/fakes/push, which verifies the VAPID JWT and decrypts each payload with the
// device's own keys, as a browser would.

afterEach(async () => {
  await closeAllSockets();
});

const PUSH = "https://push.fake";
const ANDROID_CHROME = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";

type Device = { id: string; endpoint: string; keys: { p256dh: string; auth: string } };

/** A browser's subscription at the fake push service, made with Parley's VAPID key as PushManager.subscribe does. */
async function newDevice(serverKey = env.VAPID_PUBLIC_KEY as string): Promise<Device> {
  const res = await fetch(`${PUSH}/_fake/devices`, { method: "POST", body: JSON.stringify({ applicationServerKey: serverKey }) });
  const sub = (await res.json()) as Omit<Device, "id">;
  return { ...sub, id: sub.endpoint.split("/").pop()! };
}

/** What the console's "Enable notifications on this device" sends: the subscription as JSON, the CSRF token in its header. */
async function sendSubscription(agent: Agent, body: unknown, { csrf = true } = {}): Promise<Response> {
  if (!agent.browser.cookie("parley_csrf")) await agent.browser.get("/agent/profile");
  return agent.browser.fetch("/agent/push/subscriptions", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", "user-agent": ANDROID_CHROME, ...(csrf ? { "x-csrf-token": agent.browser.cookie("parley_csrf")! } : {}) },
  });
}

async function subscribe(agent: Agent): Promise<Device> {
  const device = await newDevice();
  const res = await sendSubscription(agent, { endpoint: device.endpoint, keys: device.keys });
  expect(res.status, await res.clone().text()).toBe(200);
  return device;
}

const received = async (device: Device) => (await (await fetch(`${PUSH}/_fake/devices/${device.id}/messages`)).json()) as Received[];
const refusals = async (device: Device) => (await (await fetch(`${PUSH}/_fake/devices/${device.id}/refusals`)).json()) as string[];

/** Waits for the device's next push of this type and chat. */
async function pushOf(device: Device, type: string, chatId: string): Promise<Received> {
  return vi.waitFor(
    async () => {
      const found = (await received(device)).find((m) => (m.payload as { type: string; chatId: string }).type === type && (m.payload as { chatId: string }).chatId === chatId);
      if (!found) throw new Error(`no ${type} push of ${chatId} yet (refused: ${JSON.stringify(await refusals(device))})`);
      return found;
    },
    { timeout: 3_000, interval: 50 },
  );
}

const deleteDevice = (agent: Agent, id: string) =>
  agent.browser.fetch(`/agent/push/subscriptions/${id}`, { method: "DELETE", headers: { "x-csrf-token": agent.browser.cookie("parley_csrf") ?? "" } });

const subscriptionRow = (endpoint: string) => count("select count(*) as n from push_subscriptions where endpoint = ?", endpoint);

describe("rings pushed to agents away from their consoles", () => {
  it("pushes the ring to an agent with no console open, and withdraws it when a colleague answers", async () => {
    const { agents: [alice, bob] } = await team("push-co", ["Alice Martin", "Bob Chen"]);
    const phone = await subscribe(alice);

    const chat = await new Customer().startChat("/c/push-co/GENERAL", { name: "Dana Diaz" });
    const ring = await pushOf(phone, "ring", chat.id);
    expect(ring.payload).toEqual({ type: "ring", chatId: chat.id, room: "GENERAL", customer: "Dana Diaz", mode: "chat" });
    // The same topic lets a later push of this chat replace the ring at the push service.
    expect(ring.topic).toBe(chat.id.replaceAll("-", ""));
    expect(ring.urgency).toBe("high");

    // Bob opens his console, is rung there and answers: Alice's notification is withdrawn.
    const console = await bob.online();
    await answer(console, chat.id);
    expect((await pushOf(phone, "withdraw", chat.id)).payload).toEqual({ type: "withdraw", chatId: chat.id, why: "taken" });
    expect(await refusals(phone)).toEqual([]);
  });

  it("withdraws the pushed ring when the customer leaves the queue", async () => {
    const { agents: [alice] } = await team("push-leave", ["Alice Martin"]);
    const phone = await subscribe(alice);
    const chat = await new Customer().startChat("/c/push-leave/GENERAL");
    await pushOf(phone, "ring", chat.id);

    const socket = await chat.socket();
    socket.send({ type: "hangup" });
    expect((await pushOf(phone, "withdraw", chat.id)).payload).toEqual({ type: "withdraw", chatId: chat.id, why: "left" });
  });

  it("rings a console no one sees and pushes the ring too; once the console is in sight again, it only rings", async () => {
    const { agents: [alice] } = await team("push-hidden", ["Alice Martin"]);
    const phone = await subscribe(alice);
    const console = await alice.online();
    // The page goes into the background. The status chosen after it comes back once the agent's object knows.
    console.send({ type: "visibility", hidden: true });
    await alice.choose(console, "WAITING_NEW_CALL");

    const first = await new Customer().startChat("/c/push-hidden/GENERAL", { name: "Dana Diaz" });
    await console.next(frames.ring(first.id), "the ring on the hidden console");
    expect((await pushOf(phone, "ring", first.id)).payload).toMatchObject({ type: "ring", customer: "Dana Diaz" });
    (await first.socket()).send({ type: "hangup" });
    await pushOf(phone, "withdraw", first.id);

    console.send({ type: "visibility", hidden: false });
    await alice.choose(console, "WAITING_NEW_CALL");
    const second = await new Customer().startChat("/c/push-hidden/GENERAL");
    await console.next(frames.ring(second.id), "the ring on the console in sight");
    await console.nothing(() => false, "time for a push to go out", 300);
    expect((await received(phone)).filter((m) => (m.payload as { chatId: string }).chatId === second.id)).toEqual([]);
  });

  it("refuses a visibility report it cannot read", async () => {
    const { agents: [alice] } = await team("push-hidden-bad", ["Alice Martin"]);
    const console = await alice.online();
    console.send({ type: "visibility", hidden: "yes" });
    await console.next((f) => f.includes("That message could not be understood."), "the error");
  });

  it("pushes no one while an agent's console is free to ring", async () => {
    const { agents: [alice, bob] } = await team("push-free", ["Alice Martin", "Bob Chen"]);
    const phone = await subscribe(alice);
    const console = await bob.online();
    const chat = await new Customer().startChat("/c/push-free/GENERAL");
    await console.next(frames.ring(chat.id), "Bob's ring");
    await console.nothing(() => false, "time for a push to go out", 300);
    expect(await received(phone)).toEqual([]);
  });

  it("does not push an agent who went OFFLINE (taking a break) before closing the console", async () => {
    const { agents: [alice, carol] } = await team("push-break", ["Alice Martin", "Carol Jones"]);
    const alicePhone = await subscribe(alice);
    const carolPhone = await subscribe(carol);
    const console = await alice.online();
    await alice.choose(console, "TAKING_BREAK");
    console.close();
    await untilDevice("push-break", "GENERAL", alice.email, "browser", null);

    const chat = await new Customer().startChat("/c/push-break/GENERAL");
    // Carol, away but available, is pushed; by then Alice would have been too.
    await pushOf(carolPhone, "ring", chat.id);
    expect(await received(alicePhone)).toEqual([]);
  });

  it("is refused by the push service for a device subscribed with another server's key (the fake checks the VAPID signature)", async () => {
    const { agents: [alice] } = await team("push-key", ["Alice Martin"]);
    const other = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])) as CryptoKeyPair;
    const otherKey = btoa(String.fromCharCode(...new Uint8Array((await crypto.subtle.exportKey("raw", other.publicKey)) as ArrayBuffer)))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    const stranger = await newDevice(otherKey);
    expect((await sendSubscription(alice, { endpoint: stranger.endpoint, keys: stranger.keys })).status).toBe(200);

    await new Customer().startChat("/c/push-key/GENERAL");
    await vi.waitFor(async () => expect(await refusals(stranger)).toEqual(["k is not the key the subscription was made with"]), { timeout: 3_000 });
    expect(await received(stranger)).toEqual([]);
  });

  it("deletes a subscription the push service says is gone (410), and keeps the others", async () => {
    const { agents: [alice] } = await team("push-gone", ["Alice Martin"]);
    const old = await subscribe(alice);
    const current = await subscribe(alice);
    await fetch(`${PUSH}/_fake/devices/${old.id}/gone`, { method: "POST" });

    const chat = await new Customer().startChat("/c/push-gone/GENERAL");
    await pushOf(current, "ring", chat.id);
    await vi.waitFor(async () => expect(await subscriptionRow(old.endpoint)).toBe(0), { timeout: 3_000 });
    expect(await subscriptionRow(current.endpoint)).toBe(1);
  });
});

describe("an agent's devices", () => {
  it("lists the subscribed device in the profile's alerts, named by its browser, and removes it", async () => {
    const { agents: [alice] } = await team("devices-co", ["Alice Martin"]);
    const profile = await (await alice.browser.get("/agent/profile")).text();
    expect(profile).toContain("Enable notifications on this device");
    expect(profile).toContain(`data-push-key-value="${env.VAPID_PUBLIC_KEY}"`);
    expect(profile).toContain("No device rings you yet");

    const phone = await subscribe(alice);
    const page = await (await alice.browser.get("/agent/profile")).text();
    expect(page).toContain("Chrome on Android");
    const id = page.match(/data-push-id-param="([^"]+)"/)![1]!;
    // The console offers the same control.
    expect(await (await alice.browser.get("/agent")).text()).toContain("Chrome on Android");

    const removed = await deleteDevice(alice, id);
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain("No device rings you yet");
    expect(await subscriptionRow(phone.endpoint)).toBe(0);
  });

  it("subscribing the same browser again keeps one device", async () => {
    const { agents: [alice] } = await team("devices-again", ["Alice Martin"]);
    const phone = await newDevice();
    for (let i = 0; i < 2; i++) expect((await sendSubscription(alice, { endpoint: phone.endpoint, keys: phone.keys })).status).toBe(200);
    expect(await count("select count(*) as n from push_subscriptions where user_id = ?", alice.id)).toBe(1);
  });

  it("stops notifying a browser signed out of, and keeps the agent's devices signed in elsewhere", async () => {
    const { company, agents: [alice] } = await team("devices-signout", ["Alice Martin"]);
    const laptop = await subscribe(alice);
    const phoneBrowser = await Agent.signIn(company, alice.email, "Alice Martin");
    const phone = await subscribe(phoneBrowser);

    expect((await alice.browser.post("/logout", {}, { from: "/agent" })).status).toBe(303);
    expect(await subscriptionRow(laptop.endpoint)).toBe(0);
    expect(await subscriptionRow(phone.endpoint)).toBe(1);

    const chat = await new Customer().startChat("/c/devices-signout/GENERAL", { name: "Dana Diaz" });
    await pushOf(phone, "ring", chat.id);
    expect(await received(laptop)).toEqual([]);

    // Signed in again, the laptop's browser sends its subscription again (the console does on load).
    const again = await Agent.signIn(company, alice.email, "Alice Martin");
    expect((await sendSubscription(again, { endpoint: laptop.endpoint, keys: laptop.keys })).status).toBe(200);
    expect(await subscriptionRow(laptop.endpoint)).toBe(1);
  });

  it("refuses another agent's device, a missing CSRF token, someone signed out, and a subscription it cannot use", async () => {
    const { agents: [alice, bob] } = await team("devices-auth", ["Alice Martin", "Bob Chen"]);
    const phone = await subscribe(alice);
    const id = (await (await alice.browser.get("/agent/profile")).text()).match(/data-push-id-param="([^"]+)"/)![1]!;

    await bob.browser.get("/agent/profile");
    expect((await deleteDevice(bob, id)).status).toBe(404);
    expect(await subscriptionRow(phone.endpoint)).toBe(1);

    const other = await newDevice();
    expect((await sendSubscription(bob, { endpoint: other.endpoint, keys: other.keys }, { csrf: false })).status).toBe(403);
    expect(await subscriptionRow(other.endpoint)).toBe(0);

    const stranger = new Browser();
    await stranger.get("/login");
    const signedOut = await stranger.fetch("/agent/push/subscriptions", {
      method: "POST",
      body: JSON.stringify({ endpoint: other.endpoint, keys: other.keys }),
      headers: { "content-type": "application/json", "x-csrf-token": stranger.cookie("parley_csrf")! },
    });
    expect([302, 303, 401, 403]).toContain(signedOut.status);
    expect(await subscriptionRow(other.endpoint)).toBe(0);

    const bad = await sendSubscription(bob, { endpoint: "http://push.fake/push/x", keys: other.keys });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("push subscription Parley cannot use");
    expect((await sendSubscription(bob, { endpoint: other.endpoint, keys: { p256dh: "short", auth: other.keys.auth } })).status).toBe(400);
    expect((await sendSubscription(bob, "not json at all")).status).toBe(400);
  });

});
