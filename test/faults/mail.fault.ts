import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, askForChat, frames, signIn } from "./live-client";
import { startFaultServer, type FaultServer } from "./server";

// Mail on the real local server, killed (SIGKILL of the whole process group) right after the
// customer was told their message or alert is on its way. The queue's messages die with the
// server; the outbox row written before the answer does not: after the restart, the five-minute
// sweep sends what the queue lost, each mail once, and an alert still goes out when an agent
// comes free.

const MAIL_SWEEP = "*/5 * * * *";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer((request, answer) => answer(request));
  server.d1("update rooms set allow_email_alert = 1 where name = 'GENERAL'");
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

type Caught = { subject: string; to: { address: string }[]; headers: Record<string, string> };
const caught = async (): Promise<Caught[]> => (await fetch(`${server.mail}/api/email`)).json() as Promise<Caught[]>;
const to = (mail: Caught[], address: string, subject: string) => mail.filter((m) => m.subject === subject && m.to.some((t) => t.address === address));

/** Waits until every address has `subject`, then a moment more for any second copy; the copies of each. */
async function delivered(addresses: string[], subject: string): Promise<Record<string, number>> {
  for (let i = 0; i < 100; i++) {
    const mail = await caught();
    if (addresses.every((a) => to(mail, a, subject).length > 0)) break;
    await sleep(200);
  }
  await sleep(2_000);
  const mail = await caught();
  return Object.fromEntries(addresses.map((a) => [a, to(mail, a, subject).length]));
}

/** Ten minutes pass for the outbox (queued rows and any claim left by the dead server), then the sweep runs. */
async function sweepAfterRestart() {
  server.d1("update email_outbox set created_at = created_at - 600000, claimed_at = claimed_at - 660000 where status in ('queued', 'sending')");
  await server.cron(MAIL_SWEEP);
}

describe("mail after a crash", () => {
  it("a message left by email: the agents' alerts, written before the answer, are each sent once after the restart", async () => {
    const customer = new Browser(server.base, "198.51.100.21");
    const res = await customer.post("/c/demo/GENERAL", { name: "Fiona Fault", email: "fiona@example.com", message: "Please call me about the invoice.", mode: "email" });
    expect(res.status).toBe(200);
    await server.crash();

    const id = server.d1<{ id: string }>("select id from customer_requests where email = 'fiona@example.com'")[0]!.id;
    const recipients = server.d1<{ to_address: string }>(`select to_address from email_outbox where id like '${id}:%'`).map((r) => r.to_address);
    expect(recipients.length, "alert mails written with the message").toBeGreaterThan(0);

    await server.restart();
    await sweepAfterRestart();
    const copies = await delivered(recipients, "New message from Fiona Fault");
    expect(copies).toEqual(Object.fromEntries(recipients.map((a) => [a, 1])));
    expect(server.d1<{ status: string }>(`select status from email_outbox where id like '${id}:%'`).map((r) => r.status)).toEqual(recipients.map(() => "sent"));
  });

  it("an email alert: after the restart the customer is emailed once when an agent comes free, and the agents once each that they wait", async () => {
    const { browser: customer, chatId } = await askForChat(server.base, "/c/demo/GENERAL", "Gina Fault", "198.51.100.22");
    const res = await customer.post(`/chats/${chatId}/requests`, { kind: "alert", email: "gina@example.com" }, `/chats/${chatId}`);
    expect(await res.text()).toContain("we will email you when someone is free");
    const chat = await customer.socket(`/chats/${chatId}/ws`, "Gina's chat");
    await chat.until(frames.snapshot(chatId), "the waiting screen");
    chat.send({ type: "hangup" });
    for (let i = 0; i < 50 && server.d1<{ status: string }>(`select status from chats where id = '${chatId}'`)[0]?.status !== "missed"; i++) await sleep(100);
    await server.crash();

    const alert = server.d1<{ id: string }>("select id from customer_requests where email = 'gina@example.com' and kind = 'alert'")[0]!;
    const agents = server.d1<{ to_address: string }>(`select to_address from email_outbox where id like '${alert.id}:waiting:%'`).map((r) => r.to_address);
    await server.restart();
    await sweepAfterRestart();
    expect(await delivered(agents, "Gina Fault is waiting for someone to be free")).toEqual(Object.fromEntries(agents.map((a) => [a, 1])));

    // Alice comes free (after her last chat, or ONLINE from a break): Gina is written to, once.
    const alice = await signIn(server.base, "alice@demo.test", "parley-demo");
    const console = await alice.socket("/agent/ws?device=browser", "Alice's console");
    const snapshot = await console.until((f) => f.includes('id="agent-status"'), "the console snapshot");
    if (!snapshot.includes('data-status="TAKING_BREAK"')) {
      console.send({ type: "status", status: "TAKING_BREAK" });
      await console.until(frames.status("TAKING_BREAK"), "OFFLINE");
    }
    console.send({ type: "status", status: "WAITING_NEW_CALL" });
    await console.until(frames.status("WAITING_NEW_CALL"), "ONLINE");
    expect(await delivered(["gina@example.com"], "Someone is free to talk at Parley Demo")).toEqual({ "gina@example.com": 1 });
    expect(server.d1<{ alert_outcome: string }>(`select alert_outcome from customer_requests where id = '${alert.id}'`)[0]!.alert_outcome).toBe("notified");
    console.close();
  });
});
