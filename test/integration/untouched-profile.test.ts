import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signedIn } from "./fixtures";
import { liveCompany, setRoom } from "./live";

// An agent opens their private profile and presses Save without changing anything: the form as
// the browser would send it (every field's shown value, ticked boxes only) must be accepted.

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];

/** The fields a browser submits for the form posting to `action`, untouched. */
function untouchedForm(html: string, action: string): Record<string, string[]> {
  const form = html.slice(html.indexOf(`action="${action}"`));
  const body = form.slice(0, form.indexOf("</form>"));
  const fields: Record<string, string[]> = {};
  const add = (name: string | undefined, value: string) => {
    if (name) (fields[name] ??= []).push(unescape(value));
  };
  for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
    const type = attr(tag, "type") ?? "text";
    if ((type === "checkbox" || type === "radio") && !/\bchecked=""/.test(tag)) continue;
    add(attr(tag, "name"), attr(tag, "value") ?? (type === "checkbox" ? "on" : ""));
  }
  for (const [, open, options] of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const selected = options!.match(/<option value="([^"]*)" selected=""/) ?? options!.match(/<option value="([^"]*)"/);
    add(attr(open!, "name"), selected?.[1] ?? "");
  }
  for (const [, open, text] of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) add(attr(open!, "name"), text!);
  return fields;
}

describe("POST /agent/profile, untouched", () => {
  it("saves a new agent's profile with own pricing off, though the pricing fields have no split threshold", async () => {
    await liveCompany("untouched-co", { agents: [{ name: "Nora Quinn", email: "nora@untouched-co.test" }] });
    // A room that lets agents price their own time puts the pricing fields on the profile page.
    await setRoom("untouched-co", "GENERAL", "charging_mode = 'automatic', allow_agent_pricing = 1");
    const nora = await signedIn("nora@untouched-co.test");
    const page = await (await nora.get("/agent/profile")).text();
    expect(page).toContain('name="pricingSplitThreshold"');
    // Nothing on the untouched page reads as a refusal.
    expect(page).not.toContain("needs a split threshold");
    expect(page).not.toContain("once these are corrected");
    const fields = untouchedForm(page, "/agent/profile");
    expect(fields.ownPricingEnabled).toBeUndefined();

    const res = await nora.post("/agent/profile", fields, { from: "/agent/profile" });
    expect(res.status, res.status === 303 ? "" : await res.text().then((t) => t.match(/class="error"[^>]*>([^<]*)/g)?.join(" | "))).toBe(303);
    const row = await env.DB.prepare("select own_pricing_enabled from agent_profiles where user_id = (select id from users where email = ?)").bind("nora@untouched-co.test").first();
    expect(row).toMatchObject({ own_pricing_enabled: 0 });
  });

  it("neither checks nor saves the pricing fields while own pricing is off, and keeps the scheme kept from before", async () => {
    await liveCompany("off-co", { agents: [{ name: "Omar Diaz", email: "omar@off-co.test" }] });
    await setRoom("off-co", "GENERAL", "charging_mode = 'automatic', allow_agent_pricing = 1");
    const omar = await signedIn("omar@off-co.test");
    const fields = untouchedForm(await (await omar.get("/agent/profile")).text(), "/agent/profile");
    const res = await omar.post("/agent/profile", { ...fields, pricingBlockPrice: ["not money"], pricingSplitThreshold: ["1.00"] }, { from: "/agent/profile" });
    expect(res.status).toBe(303);
    const row = await env.DB.prepare("select own_pricing_enabled, pricing_block_price_minor, pricing_split_threshold_minor from agent_profiles where user_id = (select id from users where email = ?)")
      .bind("omar@off-co.test")
      .first();
    expect(row).toEqual({ own_pricing_enabled: 0, pricing_block_price_minor: 1000, pricing_split_threshold_minor: null });

    // Switched on, the scheme is checked: its threshold is the card hold.
    const on = await omar.post("/agent/profile", { ...fields, ownPricingEnabled: ["on"] }, { from: "/agent/profile" });
    expect(on.status).toBe(422);
    expect(await on.text()).toContain("needs a split threshold");
  });
});
