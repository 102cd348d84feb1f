import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { Browser } from "./client";
import { errorNextTo, roomId } from "./fixtures";
import { connectedChat, team, type Agent } from "./live";
import { closeAllSockets } from "./sockets";

// An agent's photo in the private profile (spec/agent-private-profile.txt): uploaded to Parley's
// storage (R2, the FILES bucket), a web address of the agent's own, or the initials avatar.
// Uploaded photos are public: anyone may load them, by a name nobody can guess.

afterEach(() => closeAllSockets());

/** A 1×1 PNG. */
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const UPLOADED = /^\/photos\/[A-Za-z0-9_-]{32}\.png$/;

/** The profile form as the page posts it (multipart), with the photo option and file given. */
async function saveProfile(agent: Agent, photo: Record<string, string | File>) {
  return agent.browser.postMultipart(
    "/agent/profile",
    {
      photo: "initials",
      photoUrl: "",
      photoFile: new File([], "", { type: "application/octet-stream" }),
      greeting: "Hello, I am here to help.",
      ringtone: "classic",
      whatsappNumber: "",
      notificationAlert: "on",
      privateRoomId: await roomId(agent.company.slug, "GENERAL"),
      pricingCurrency: "EUR",
      pricingFreeMinutes: "0",
      pricingBlockPrice: "10.00",
      pricingBlockMinutes: "5",
      pricingSplitThreshold: "",
      ...photo,
    },
    { from: "/agent/profile" },
  );
}

const upload = (agent: Agent, bytes: Uint8Array, name = "me.png", type = "image/png") => saveProfile(agent, { photo: "upload", photoFile: new File([bytes], name, { type }) });

const photoUrlOf = async (agent: Agent) =>
  (await env.DB.prepare("select photo_url from agent_profiles where user_id = ?").bind(agent.id).first<{ photo_url: string | null }>())?.photo_url ?? null;

const storedPhotos = async () => (await env.FILES.list({ prefix: "photos/" })).objects.map((o) => o.key).sort();

const keyOf = (url: string) => url.replace(/^\//, "");

async function agentOf(slug: string) {
  const { agents } = await team(slug, ["Alice Martin"]);
  return agents[0];
}

describe("uploading a photo on POST /agent/profile", () => {
  it("keeps a PNG in R2 under a random name and serves it to anyone, as image/png, not sniffed, cached for a year", async () => {
    const alice = await agentOf("photo-ok");
    const res = await upload(alice, PNG);
    expect(res.status).toBe(303);
    const url = (await photoUrlOf(alice))!;
    expect(url).toMatch(UPLOADED);
    expect(await storedPhotos()).toContain(keyOf(url));

    // No session needed: the customer's page loads it.
    const served = await new Browser().get(url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("set-cookie")).toBeNull();
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    // The browser's copy is still good.
    const again = await new Browser().fetch(url, { headers: { "if-none-match": served.headers.get("etag")! } });
    expect(again.status).toBe(304);

    // The profile page shows it, with the upload option chosen.
    const page = await (await alice.browser.get("/agent/profile")).text();
    expect(page).toContain(`<img class="avatar" src="${url}"`);
    expect(page).toMatch(/<input type="radio" name="photo" value="upload" checked=""/);
    expect(page).toContain("Uploaded photos are public");
  });

  it("takes the type from the file's bytes, not from its name or the type the browser sent", async () => {
    const alice = await agentOf("photo-sniffed");
    expect((await upload(alice, PNG, "holiday.jpg", "image/jpeg")).status).toBe(303);
    const url = (await photoUrlOf(alice))!;
    expect(url).toMatch(UPLOADED);
    expect((await new Browser().get(url)).headers.get("content-type")).toBe("image/png");
  });

  it("refuses a file that is not a JPEG, PNG or WebP by its bytes, with a message next to the field, and stores nothing", async () => {
    const alice = await agentOf("photo-svg");
    const before = await storedPhotos();
    const res = await upload(alice, SVG, "me.png", "image/png");
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorNextTo(html, "photoFile")).toBe("This file is not a JPEG, PNG or WebP image.");
    expect(html).toContain("Nothing was saved");
    expect(await storedPhotos()).toEqual(before);
    expect(await photoUrlOf(alice)).toBeNull();
  });

  it("refuses a photo over 2 MB next to the field, and a far larger body before reading it; nothing is stored", async () => {
    const alice = await agentOf("photo-large");
    const before = await storedPhotos();
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG);
    const res = await upload(alice, big);
    expect(res.status).toBe(422);
    expect(errorNextTo(await res.text(), "photoFile")).toBe("This photo is over 2 MB: use a smaller one.");

    const huge = new Uint8Array(9 * 1024 * 1024);
    huge.set(PNG);
    const refused = await upload(alice, huge);
    expect(refused.status).toBe(413);
    expect(await refused.text()).toContain("That photo is far over 2 MB: nothing was saved.");
    expect(await storedPhotos()).toEqual(before);
    expect(await photoUrlOf(alice)).toBeNull();
  });

  it("stores nothing when another field of the form is refused", async () => {
    const alice = await agentOf("photo-other-field");
    const before = await storedPhotos();
    const res = await saveProfile(alice, { photo: "upload", photoFile: new File([PNG], "me.png"), greeting: "" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Write a greeting");
    expect(await storedPhotos()).toEqual(before);
  });

  it("asks for a file when Upload is chosen without one and no photo was uploaded before", async () => {
    const alice = await agentOf("photo-missing");
    const res = await saveProfile(alice, { photo: "upload" });
    expect(res.status).toBe(422);
    expect(errorNextTo(await res.text(), "photoFile")).toBe("Choose a JPEG, PNG or WebP image to upload.");
  });

  it("needs the form's CSRF token, multipart or not", async () => {
    const alice = await agentOf("photo-csrf");
    const before = await storedPhotos();
    const body = new FormData();
    body.append("photo", "upload");
    body.append("photoFile", new File([PNG], "me.png"));
    body.append("greeting", "Hi");
    const res = await alice.browser.fetch("/agent/profile", { method: "POST", body });
    expect(res.status).toBe(403);
    expect(await storedPhotos()).toEqual(before);
  });
});

describe("replacing the photo", () => {
  it("keeps the uploaded photo when the form is saved without a new file, and deletes it when another is uploaded", async () => {
    const alice = await agentOf("photo-replace");
    await upload(alice, PNG);
    const first = (await photoUrlOf(alice))!;
    expect((await saveProfile(alice, { photo: "upload" })).status).toBe(303);
    expect(await photoUrlOf(alice)).toBe(first);

    expect((await upload(alice, PNG)).status).toBe(303);
    const second = (await photoUrlOf(alice))!;
    expect(second).toMatch(UPLOADED);
    expect(second).not.toBe(first);
    const stored = await storedPhotos();
    expect(stored).toContain(keyOf(second));
    expect(stored).not.toContain(keyOf(first));
    expect((await new Browser().get(first)).status).toBe(404);
  });

  it("takes a web address, https only, and deletes the uploaded photo it replaces", async () => {
    const alice = await agentOf("photo-url");
    await upload(alice, PNG);
    const uploaded = (await photoUrlOf(alice))!;
    for (const [address, message] of [
      ["http://photos.example/alice.png", "Use a web address starting with https://."],
      ["javascript:alert(1)", "Use a web address starting with https://."],
      ["", "Enter the web address of your photo, starting with https://."],
    ]) {
      const res = await saveProfile(alice, { photo: "url", photoUrl: address! });
      expect(res.status).toBe(422);
      expect(errorNextTo(await res.text(), "photoUrl")).toBe(message);
    }
    expect(await photoUrlOf(alice)).toBe(uploaded);

    expect((await saveProfile(alice, { photo: "url", photoUrl: "https://photos.example/alice.png" })).status).toBe(303);
    expect(await photoUrlOf(alice)).toBe("https://photos.example/alice.png");
    expect(await storedPhotos()).not.toContain(keyOf(uploaded));
    const page = await (await alice.browser.get("/agent/profile")).text();
    expect(page).toMatch(/<input type="radio" name="photo" value="url" checked=""/);
    expect(page).toContain('value="https://photos.example/alice.png"');
  });

  it("goes back to the initials avatar, deleting the uploaded photo", async () => {
    const alice = await agentOf("photo-initials");
    await upload(alice, PNG);
    const uploaded = (await photoUrlOf(alice))!;
    expect((await saveProfile(alice, { photo: "initials" })).status).toBe(303);
    expect(await photoUrlOf(alice)).toBeNull();
    expect(await storedPhotos()).not.toContain(keyOf(uploaded));
    const page = await (await alice.browser.get("/agent/profile")).text();
    expect(page).toMatch(/avatar-initials[^>]*>AM</);
    expect(page).toMatch(/<input type="radio" name="photo" value="initials" checked=""/);
  });
});

describe("GET /photos/:name", () => {
  it("answers 404 for a name Parley never gives and for a photo that is gone, without listing anything", async () => {
    for (const path of ["/photos/", "/photos/x.png", "/photos/../recordings/x.webm", `/photos/${"a".repeat(32)}.svg`, `/photos/${"a".repeat(32)}.png`]) {
      expect((await new Browser().get(path)).status, path).toBe(404);
    }
  });
});

describe("the customer's chat", () => {
  it("shows the agent's uploaded photo", async () => {
    const alice = await agentOf("photo-customer");
    await upload(alice, PNG);
    const url = (await photoUrlOf(alice))!;
    const { customerSocket } = await connectedChat(alice, await alice.online());
    expect(customerSocket.log.find((f) => f.includes("<h1>Alice Martin</h1>"))).toContain(`<img class="avatar" src="${url}"`);
  });
});
