import { afterEach, describe, it } from "vitest";
import { Customer, liveCompany, Agent, setRoom } from "./live";
import { accept, closeAllSockets, frames, type LiveSocket } from "./sockets";

// Where Cloudflare says a request comes from (request.cf), for agents' consoles and customers.
const PARIS = { latitude: "48.8566", longitude: "2.3522" };
const BERLIN = { latitude: "52.52", longitude: "13.405" };
const LYON = { latitude: "45.764", longitude: "4.8357" };
const WARSAW = { latitude: "52.2297", longitude: "21.0122" };

async function consoleAt(agent: Agent, cf: Record<string, string>): Promise<LiveSocket> {
  const res = await agent.browser.fetch("/agent/ws?device=browser", { headers: { upgrade: "websocket" }, cf } as RequestInit);
  const socket = await accept(res, `${agent.name}'s console`);
  await socket.next(frames.status("WAITING_NEW_CALL"), "the console snapshot");
  return socket;
}

async function askFrom(customer: Customer, path: string, cf: Record<string, string> | null): Promise<string> {
  await customer.browser.get(path);
  const body = new URLSearchParams({ name: "Near Customer", mode: "chat", _csrf: customer.browser.cookie("parley_csrf") ?? "" });
  const res = await customer.browser.fetch(path, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": customer.ip },
    ...(cf ? { cf } : {}),
  } as RequestInit);
  return res.headers.get("location")!.replace("/chats/", "");
}

afterEach(async () => {
  await closeAllSockets();
});

describe("nearest to the customer (Large Enterprise)", () => {
  it("rings only the closest free agent, and everyone free when the customer's location is unknown", async () => {
    const company = await liveCompany("near-co", {
      plan: "enterprise",
      agents: [
        { name: "Paula Paris", email: "paula@near-co.test" },
        { name: "Bernd Berlin", email: "bernd@near-co.test" },
      ],
    });
    await setRoom("near-co", "GENERAL", "assignment = 'nearest'");
    const paula = await consoleAt(await Agent.signIn(company, "paula@near-co.test", "Paula Paris"), PARIS);
    const bernd = await consoleAt(await Agent.signIn(company, "bernd@near-co.test", "Bernd Berlin"), BERLIN);

    const fromLyon = await askFrom(new Customer(), "/c/near-co/GENERAL", LYON);
    await paula.arrived(frames.ring(fromLyon), "the ring for the customer in Lyon");
    await bernd.nothing(frames.ring(fromLyon), "a ring in Berlin for Lyon");

    const fromWarsaw = await askFrom(new Customer(), "/c/near-co/GENERAL", WARSAW);
    await bernd.arrived(frames.ring(fromWarsaw), "the ring for the customer in Warsaw");
    await paula.nothing(frames.ring(fromWarsaw), "a ring in Paris for Warsaw");

    const fromNowhere = await askFrom(new Customer(), "/c/near-co/GENERAL", null);
    await paula.arrived(frames.ring(fromNowhere), "Paris rung when the location is unknown");
    await bernd.arrived(frames.ring(fromNowhere), "Berlin rung when the location is unknown");
  });

  it("routes by quickest reply on a plan without nearest routing", async () => {
    const company = await liveCompany("near-pro", {
      plan: "pro",
      agents: [
        { name: "Paula Paris", email: "paula@near-pro.test" },
        { name: "Bernd Berlin", email: "bernd@near-pro.test" },
      ],
    });
    await setRoom("near-pro", "GENERAL", "assignment = 'nearest'");
    const paula = await consoleAt(await Agent.signIn(company, "paula@near-pro.test", "Paula Paris"), PARIS);
    const bernd = await consoleAt(await Agent.signIn(company, "bernd@near-pro.test", "Bernd Berlin"), BERLIN);
    const chat = await askFrom(new Customer(), "/c/near-pro/GENERAL", LYON);
    await paula.arrived(frames.ring(chat), "Paris rung");
    await bernd.arrived(frames.ring(chat), "Berlin rung too");
  });
});
