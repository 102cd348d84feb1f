import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";

// The console's service worker (static/sw.js) run against a stand-in for the browser's `self`:
// its notifications are a list, and its timers fire at once.

type Shown = { title: string; tag: string; silent?: boolean; renotify?: boolean; body?: string; data?: { withdrawn?: boolean }; closed: boolean };

function serviceWorker(showing: Omit<Shown, "closed">[] = []) {
  const notifications: Shown[] = showing.map((n) => ({ ...n, closed: false }));
  const listeners: Record<string, (event: unknown) => void> = {};
  const self = {
    addEventListener: (type: string, listener: (event: unknown) => void) => (listeners[type] = listener),
    registration: {
      getNotifications: async ({ tag }: { tag: string }) =>
        notifications.filter((n) => n.tag === tag && !n.closed).map((n) => ({ ...n, close: () => (n.closed = true) })),
      // A notification of the same tag takes the place of the one showing, as in browsers.
      showNotification: async (title: string, options: Omit<Shown, "title" | "closed">) => {
        for (const n of notifications) if (n.tag === options.tag) n.closed = true;
        notifications.push({ title, ...options, closed: false });
      },
    },
  };
  runInNewContext(readFileSync("static/sw.js", "utf8"), { self, URL, setTimeout: (resolve: () => void) => resolve() });
  const push = async (message: object) => {
    const work: Promise<unknown>[] = [];
    listeners.push!({ data: { json: () => message }, waitUntil: (p: Promise<unknown>) => work.push(p) });
    await Promise.all(work);
  };
  return { push, notifications };
}

describe("the service worker's withdrawal of a pushed ring", () => {
  it("replaces the ring showing with a silent 'Already taken', then closes it", async () => {
    const sw = serviceWorker();
    await sw.push({ type: "ring", chatId: "c1", room: "GENERAL", customer: "Dana Diaz", mode: "chat" });
    expect(sw.notifications.map((n) => [n.title, n.closed])).toEqual([["Dana Diaz is waiting", false]]);

    await sw.push({ type: "withdraw", chatId: "c1", why: "taken" });
    const [ring, taken] = sw.notifications;
    expect(ring!.closed).toBe(true);
    expect(taken).toMatchObject({ title: "Already taken", tag: "c1", silent: true, renotify: false, closed: true });
  });

  it("says the customer left when they did", async () => {
    const sw = serviceWorker([{ title: "Dana Diaz is waiting", tag: "c2" }]);
    await sw.push({ type: "withdraw", chatId: "c2", why: "left" });
    expect(sw.notifications[1]).toMatchObject({ title: "The customer left", body: "The customer stopped waiting.", silent: true });
  });

  it("shows nothing for a ring no longer showing, nor touches another chat's ring", async () => {
    const sw = serviceWorker([{ title: "Sam Lee is waiting", tag: "other" }]);
    await sw.push({ type: "withdraw", chatId: "c3", why: "taken" });
    expect(sw.notifications).toEqual([{ title: "Sam Lee is waiting", tag: "other", closed: false }]);
  });
});
