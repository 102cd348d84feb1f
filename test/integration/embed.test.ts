import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../worker/stores/db";
import { seedDemo } from "../../worker/demo/seed";
import { Browser, signUpAs } from "./client";

beforeAll(async () => {
  await seedDemo(openDb(env.DB));
});

describe("GET /embed/{company}/{room}.js", () => {
  it("serves a cacheable script with the room's position, whisper and contact form address", async () => {
    await env.DB.prepare("update rooms set embed_position = 'left', embed_whisper_text = 'Need a hand?', embed_whisper_delay_seconds = 7 where name = 'GENERAL'").run();
    const res = await new Browser().get("/embed/demo/GENERAL.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const js = await res.text();
    const config = JSON.parse(js.slice(js.lastIndexOf("})(") + 3, js.lastIndexOf(");")));
    expect(config).toMatchObject({
      url: "https://parley.test/c/demo/GENERAL",
      position: "left",
      whisper: "Need a hand?",
      whisperDelayMs: 7000,
      popup: true,
      label: "Chat with Parley Demo",
    });
  });

  it("cannot be broken out of by a setting containing </script> or a CSS injection", async () => {
    await env.DB.prepare("update rooms set embed_whisper_text = '</script><script>alert(1)</script>', theme = 'red;}*{display:none' where name = 'GENERAL'").run();
    const js = await (await new Browser().get("/embed/demo/GENERAL.js")).text();
    expect(js).not.toContain("</script>");
    expect(js).toContain("\\u003c/script>");
    expect(js).not.toContain("red;}");
    expect(js).toContain('"theme":"#4f46e5"');
  });

  it("answers 404 for an unknown room and for a room locked on the Forever Free plan", async () => {
    await signUpAs(new Browser(), { slug: "solo-embed", email: "s@embed.test", accountType: "solo" });
    expect((await new Browser().get("/embed/demo/NOPE.js")).status).toBe(404);
    expect((await new Browser().get("/embed/solo-embed/PREAUTHORISED_CARD_AUTO_CHARGE_END.js")).status).toBe(404);
    expect((await new Browser().get("/embed/solo-embed/GENERAL.js")).status).toBe(200);
  });
});
