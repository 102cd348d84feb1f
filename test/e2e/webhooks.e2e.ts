import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot, signIn } from "./chromium";

// An integrator's endpoint as they would run it: a plain HTTP server on localhost, added on the
// admin's Webhooks page, which receives chat.started and chat.ended from a real chat in Chromium
// and checks each Parley-Signature the way the README tells integrators to.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

type Received = { headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
});
let endpoint = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  endpoint = `http://localhost:${(receiver.address() as AddressInfo).port}/parley`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** The README's verification, as an integrator copies it. */
function verifyParley(secret: string, header: string, rawBody: string, toleranceSeconds = 300): boolean {
  const { t, v1 } = Object.fromEntries(header.split(",").map((part) => part.split("="))) as { t?: string; v1?: string };
  if (!t || !v1 || Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}

/** The first event of this type about this chat, once it arrived. */
async function eventFor(type: string, chatId: string): Promise<Received> {
  let found: Received | undefined;
  await expect
    .poll(
      () => {
        found = received.find((r) => {
          const event = JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
          return event.type === type && JSON.stringify(event.data).includes(chatId);
        });
        return !!found;
      },
      { timeout: 20_000, message: `${type} for ${chatId}` },
    )
    .toBe(true);
  return found!;
}

describe("webhooks", () => {
  it("deliver chat.started and chat.ended of a real chat to an endpoint on localhost, signed with the secret shown once", async () => {
    const admin = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(admin, baseUrl, "admin@demo.test");
    await admin.goto(`${baseUrl}/admin/webhooks`);
    await admin.getByLabel("Endpoint URL").fill(endpoint);
    await admin.locator('input[name="events"][value="chat.started"]').check();
    await admin.locator('input[name="events"][value="chat.ended"]').check();
    await admin.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await admin.locator("[data-secret]").innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    // Shown once: the page again no longer has it.
    await admin.goto(`${baseUrl}/admin/webhooks`);
    expect(await admin.locator("[data-secret]").count()).toBe(0);

    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");
    const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/GENERAL`, { "Your name": "Hook Tester", "How can we help?": "Do you post events?" });
    const chatId = new URL(customer.url()).pathname.split("/").pop()!;
    await agent.locator(".ring-card", { hasText: "Hook Tester" }).getByRole("button", { name: "Answer" }).click();
    await expect.poll(() => customer.locator(".chat-head h1").innerText()).toBe("Alice Martin");
    customer.once("dialog", (d) => d.accept());
    await customer.getByRole("button", { name: "Hang up" }).click();
    await customer.getByRole("link", { name: "Start a new chat" }).waitFor();
    // The next test files find Alice ONLINE.
    await agent.getByRole("button", { name: "Go online" }).click();

    for (const type of ["chat.started", "chat.ended"]) {
      const delivery = await eventFor(type, chatId);
      expect(delivery.headers["content-type"]).toContain("application/json");
      expect(verifyParley(secret, String(delivery.headers["parley-signature"]), delivery.body), `${type} verifies`).toBe(true);
      expect(verifyParley("whsec_wrong", String(delivery.headers["parley-signature"]), delivery.body)).toBe(false);
      const event = JSON.parse(delivery.body) as { id: string; type: string; created: number };
      expect(event.id).toMatch(/^evt_/);
      expect(Math.abs(Date.now() / 1000 - event.created)).toBeLessThan(120);
    }

    await admin.reload();
    await admin.locator("#webhook-deliveries").getByText("chat.ended").first().waitFor();
    await screenshot(admin, "webhooks-deliveries");
    await admin.context().close();
    await agent.context().close();
    await customer.context().close();
  });
});
