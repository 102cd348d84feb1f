// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { embedScript, type EmbedConfig } from "../../worker/embed/loader";

// The embed script runs on the customer's website: here in a simulated page, with the room's
// statistics answered by a stub. The whisper must not say "We're online" when nobody is.

const config: EmbedConfig = {
  url: "https://parley.test/c/shop/GENERAL",
  theme: "#2563eb",
  position: "right",
  popup: true,
  whisper: "Questions? We're online.",
  offlineWhisper: "Questions? Leave us a message and we will answer by email.",
  statsUrl: "https://parley.test/api/stats/shop/GENERAL",
  whisperDelayMs: 1000,
  label: "Chat with Shop",
};

const counts = (over: Record<string, number> = {}) => ({ TAKING_BREAK: 0, WAITING_NEW_CALL: 0, REMOTE_CUSTOMER_HANGUP: 0, HANG_UP: 0, SERVING_CUSTOMER: 0, ...over });
const stats = (browser: Record<string, number>, mobile: Record<string, number> = {}) => ({
  result: "OK",
  chatRoom: "GENERAL",
  totalAgentLogon: Object.values(browser).reduce((a, b) => a + b, 0),
  agStatSummary: { browserAgentStatus: counts(browser), mobileAppAgentStatus: counts(mobile) },
});

/** Runs the room's script on a fresh page and returns what its whisper says once due (null: none). */
// The few DOM parts read here (the unit tests are type-checked without the DOM library).
type Element = { hidden: boolean; textContent: string | null; innerHTML: string; shadowRoot: Element | null; querySelector(selector: string): Element | null };
const page = globalThis as unknown as { document: { body: Element; querySelector(selector: string): Element | null }; __parleyEmbed?: boolean };

type Answer = { ok: boolean; json(): Promise<unknown> };
async function whisperShown(answer: () => Promise<Answer>, settings: Partial<EmbedConfig> = {}) {
  const fetch = vi.fn(answer);
  vi.stubGlobal("fetch", fetch);
  delete page.__parleyEmbed;
  page.document.body.innerHTML = "";
  new Function(embedScript({ ...config, ...settings }))();
  const whisper = page.document.querySelector("[data-parley]")!.shadowRoot!.querySelector(".w")!;
  expect(whisper.hidden).toBe(true);
  await vi.advanceTimersByTimeAsync(config.whisperDelayMs);
  expect(fetch).toHaveBeenCalledOnce();
  for (let i = 0; i < 10; i++) await Promise.resolve(); // the answer's promise chain
  return { text: whisper.hidden ? null : whisper.querySelector("span")!.textContent, fetch };
}

const json = (body: unknown) => async (): Promise<Answer> => ({ ok: true, json: async () => body });

describe("the embed's whisper", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("says the room's whisper while an agent takes chats, asking the room's statistics without cookies", async () => {
    const { text, fetch } = await whisperShown(json(stats({ WAITING_NEW_CALL: 1 })));
    expect(text).toBe("Questions? We're online.");
    expect(fetch).toHaveBeenCalledWith(config.statsUrl, { credentials: "omit" });
  });

  it("counts an agent serving a customer, or on a phone only, as online", async () => {
    expect((await whisperShown(json(stats({ SERVING_CUSTOMER: 1 })))).text).toBe("Questions? We're online.");
    expect((await whisperShown(json(stats({}, { WAITING_NEW_CALL: 1 })))).text).toBe("Questions? We're online.");
  });

  it("offers to take a message instead when no agent is logged on, or all are on a break", async () => {
    expect((await whisperShown(json(stats({})))).text).toBe(config.offlineWhisper);
    expect((await whisperShown(json(stats({ TAKING_BREAK: 2 })))).text).toBe(config.offlineWhisper);
  });

  it("says nothing while nobody is online in a room that takes no email", async () => {
    expect((await whisperShown(json(stats({})), { offlineWhisper: "" })).text).toBeNull();
  });

  it("does not claim anyone is online when the statistics cannot be read", async () => {
    expect((await whisperShown(async () => ({ ok: false, json: async () => ({}) }))).text).toBe(config.offlineWhisper);
    expect((await whisperShown(async () => Promise.reject(new TypeError("blocked by the website's policy")))).text).toBe(config.offlineWhisper);
  });
});
