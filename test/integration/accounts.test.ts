import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Browser, PASSWORD, signUpAs } from "./client";
import { errorNextTo } from "./fixtures";

const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql).bind(...args).first<{ n: number }>())!.n;

describe("POST /signup", () => {
  it("gives a Solo User the three preset rooms, GENERAL first, and signs them in", async () => {
    const browser = new Browser();
    const res = await signUpAs(browser, { slug: "solo-doc", email: "doc@solo.test", accountType: "solo" });
    expect(res.headers.get("location")).toBe("/admin");
    const home = await browser.get("/admin");
    expect(home.status).toBe(200);
    const html = await home.text();
    const order = ["GENERAL", "PREAUTHORISED_CARD_AUTO_CHARGE_END", "CHARGE_DURATION_ON_DEMAND"].map((r) => html.indexOf(`data-room="${r}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain("0</strong> of 500 used");
    expect(html).toContain("0 chats · 0 emails");
    // Forever Free: only GENERAL is usable, the others are shown locked.
    expect(html.match(/class="room locked"/g)).toHaveLength(2);
  });

  it("gives a Company the GENERAL room and an admin who is not an agent", async () => {
    const browser = new Browser();
    await signUpAs(browser, { slug: "acme", email: "boss@acme.test" });
    const rooms = await env.DB.prepare("select r.name from rooms r join companies c on c.id = r.company_id where c.slug = 'acme'").all();
    expect(rooms.results.map((r) => r.name)).toEqual(["GENERAL"]);
    expect((await browser.get("/agent")).status).toBe(403);
  });

  it("stores a PBKDF2-SHA256 hash with a salt, never the password", async () => {
    await signUpAs(new Browser(), { slug: "hashy", email: "h@hashy.test" });
    const row = await env.DB.prepare("select password_hash from users where email = ?").bind("h@hashy.test").first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
  });

  it("refuses a duplicate email and a taken address, and changes nothing", async () => {
    await signUpAs(new Browser(), { slug: "first", email: "dup@x.test" });
    const before = await count("select count(*) n from companies");
    const browser = new Browser();
    const res = await browser.post("/signup", { accountType: "company", companyName: "Second", companySlug: "first", name: "Dup", email: "DUP@x.test", password: PASSWORD });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("An account with this email already exists");
    expect(html).toContain("That address is taken");
    expect(await count("select count(*) n from companies")).toBe(before);
  });

  it("explains a malformed email and a weak password next to the fields", async () => {
    const res = await new Browser().post("/signup", { accountType: "solo", companyName: "X", companySlug: "xx", name: "X", email: "not-an-email", password: "123" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Enter a valid email address");
    expect(html).toContain("Use at least 10 characters");
    expect(await count("select count(*) n from companies where slug = 'xx'")).toBe(0);
  });

  it("refuses a common password, or one built from the account's names, saying why in plain words", async () => {
    const form = { accountType: "solo", companyName: "Bright Tutoring", companySlug: "bright", name: "Sam Lee", email: "sam.lee@mail.test" };
    const refusals = {
      password12: "This password is one of the most common ones, so it is easy to guess. Try a few unrelated words instead.",
      "sam.lee.1990": "This password is built from a name, an email address or the word Parley, so it is easy to guess. Try a few unrelated words instead.",
      "BrightTutoring!": "This password is built from a name, an email address or the word Parley, so it is easy to guess. Try a few unrelated words instead.",
      "parley-2024": "This password is built from a name, an email address or the word Parley, so it is easy to guess. Try a few unrelated words instead.",
      abcdefgh123: "This password is mostly a repeat or a sequence, like aaaa, 1234 or qwerty. Try a few unrelated words instead.",
    };
    for (const [password, message] of Object.entries(refusals)) {
      const res = await new Browser().post("/signup", { ...form, password });
      expect(res.status, password).toBe(422);
      expect(errorNextTo(await res.text(), "password"), password).toBe(message);
    }
    expect(await count("select count(*) n from companies where slug = 'bright'")).toBe(0);
    // No rules about kinds of characters: a few plain words will do.
    expect((await new Browser().post("/signup", { ...form, password: "violet tram lemon" })).status).toBe(303);
  });

  it("refuses a form without the CSRF token", async () => {
    const res = await new Browser().post("/signup", { accountType: "solo", companyName: "X", companySlug: "csrf-x", name: "X", email: "c@x.test", password: PASSWORD }, { csrf: false });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("This form has expired or came from another site");
    expect(await count("select count(*) n from companies where slug = 'csrf-x'")).toBe(0);
  });

  it("refuses a cross-site form even with a token", async () => {
    const browser = new Browser();
    await browser.get("/signup");
    const body = new URLSearchParams({ accountType: "solo", companyName: "X", companySlug: "cross", name: "X", email: "x@cross.test", password: PASSWORD, _csrf: browser.cookie("parley_csrf")! });
    const res = await browser.fetch("/signup", { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
  });
});

describe("POST /login", () => {
  it("signs in with a session cookie that is HttpOnly, Secure over https and SameSite", async () => {
    await signUpAs(new Browser(), { slug: "cookie", email: "me@cookie.test" });
    const browser = new Browser();
    const res = await browser.post("/login", { email: "me@cookie.test", password: PASSWORD }, { from: "/login" });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("parley_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await browser.get("/admin")).status).toBe(200);
  });

  it("refuses a wrong password without saying which part was wrong", async () => {
    await signUpAs(new Browser(), { slug: "wrong", email: "me@wrong.test" });
    const wrongPassword = await new Browser().post("/login", { email: "me@wrong.test", password: "nope nope 1" });
    const unknownEmail = await new Browser().post("/login", { email: "nobody@wrong.test", password: "nope nope 1" });
    expect(wrongPassword.status).toBe(422);
    expect(unknownEmail.status).toBe(422);
    const message = "That email and password do not match an account.";
    expect(await wrongPassword.text()).toContain(message);
    expect(await unknownEmail.text()).toContain(message);
  });

  it("does not follow a next= link to another site", async () => {
    await signUpAs(new Browser(), { slug: "nexty", email: "me@nexty.test" });
    const res = await new Browser().post("/login", { email: "me@nexty.test", password: PASSWORD, next: "//evil.test/x" });
    expect(res.headers.get("location")).toBe("/home");
  });
});

describe("POST /login when someone guesses passwords", () => {
  const from = (ip: string) => ({ from: "/login", headers: { "cf-connecting-ip": ip } });
  const guess = (email: string, ip: string, n: number) => new Browser().post("/login", { email, password: `wrong guess ${n}` }, from(ip));
  // Time passing, as the throttle sees it: every failure moves back by `ms`.
  const letTimePass = (ms: number) => env.DB.prepare("update signin_failures set last_failure_at = last_failure_at - ?").bind(ms).run();

  it("makes one client wait 1 s, 2 s, 4 s… after five wrong passwords, saying how long", async () => {
    await signUpAs(new Browser(), { slug: "guessed", email: "me@guessed.test" });
    for (let i = 0; i < 5; i++) expect((await guess("me@guessed.test", "10.0.0.66", i)).status).toBe(422);
    for (const wait of [1, 2, 4, 8]) {
      const refused = await guess("me@guessed.test", "10.0.0.66", 99);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe(String(wait));
      expect(await refused.text()).toContain(`Too many attempts; try again in ${wait} second${wait === 1 ? "" : "s"}.`);
      await letTimePass(wait * 1000);
      expect((await guess("me@guessed.test", "10.0.0.66", wait)).status).toBe(422);
    }
    // A refused attempt never reaches the password check: it is neither counted nor audited.
    expect(await count("select count(*) n from audit_events where action = 'signin.failed' and subject = 'me@guessed.test'")).toBe(9);
  });

  it("lets no more than five of a burst of parallel guesses through", async () => {
    await signUpAs(new Browser(), { slug: "burst", email: "me@burst.test" });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => guess("me@burst.test", "10.0.0.99", i)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 422).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 422).every((s) => s === 429)).toBe(true);
  });

  it("does not stop the owner signing in from another address, nor from their own device", async () => {
    const owner = new Browser();
    await signUpAs(owner, { slug: "target", email: "me@target.test" });
    await owner.post("/logout", {}, { from: "/admin" });
    for (let i = 0; i < 8; i++) await guess("me@target.test", "10.0.0.66", i);
    expect((await guess("me@target.test", "10.0.0.66", 8)).status).toBe(429);

    const elsewhere = await new Browser().post("/login", { email: "me@target.test", password: PASSWORD }, from("10.0.0.7"));
    expect(elsewhere.status).toBe(303);
    // Even behind the attacker's address (one office, one NAT), the owner's browser is known.
    const ownDevice = await owner.post("/login", { email: "me@target.test", password: PASSWORD }, from("10.0.0.66"));
    expect(ownDevice.status).toBe(303);
  });

  it("slows guessing spread over many addresses after 50 failures, but never a device the account knows", async () => {
    const owner = new Browser();
    await signUpAs(owner, { slug: "spread", email: "me@spread.test" });
    for (let ip = 0; ip < 10; ip++) for (let i = 0; i < 5; i++) expect((await guess("me@spread.test", `10.1.0.${ip}`, i)).status).toBe(422);

    const newAddress = await new Browser().post("/login", { email: "me@spread.test", password: PASSWORD }, from("10.2.0.1"));
    expect(newAddress.status).toBe(429);
    expect(await newAddress.text()).toContain("Too many attempts; try again in 1 second.");
    const ownDevice = await owner.post("/login", { email: "me@spread.test", password: PASSWORD }, from("10.2.0.1"));
    expect(ownDevice.status).toBe(303);
  });

  it("lets the owner's own device be slowed only by its own failures", async () => {
    const owner = new Browser();
    await signUpAs(owner, { slug: "typo", email: "me@typo.test" });
    for (let i = 0; i < 5; i++) await owner.post("/login", { email: "me@typo.test", password: `typo typo ${i}` }, from("10.3.0.1"));
    expect((await owner.post("/login", { email: "me@typo.test", password: PASSWORD }, from("10.3.0.1"))).status).toBe(429);
    // Its failures are its own: the same address without the device is not held back by them.
    expect((await new Browser().post("/login", { email: "me@typo.test", password: PASSWORD }, from("10.3.0.1"))).status).toBe(303);
    await letTimePass(1000);
    expect((await owner.post("/login", { email: "me@typo.test", password: PASSWORD }, from("10.3.0.1"))).status).toBe(303);
    // A sign-in forgets the device's failures: the next typo is free again.
    expect((await owner.post("/login", { email: "me@typo.test", password: "typo typo 9" }, from("10.3.0.1"))).status).toBe(422);
  });

  it("names the browser with a long-lived HttpOnly device cookie once it has signed in", async () => {
    const browser = new Browser();
    await signUpAs(browser, { slug: "device", email: "me@device.test" });
    const token = browser.cookie("parley_device");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const res = await browser.post("/login", { email: "me@device.test", password: PASSWORD }, { from: "/login" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("parley_device="))!;
    expect(cookie).toContain(`parley_device=${token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Max-Age=31536000/i);
    // Only its hash is stored.
    expect(await count("select count(*) n from known_devices where device_hash = ?", token)).toBe(0);
    expect(await count("select count(*) n from known_devices")).toBeGreaterThan(0);
  });
});

describe("POST /logout", () => {
  it("ends the session so the admin pages ask to sign in again", async () => {
    const browser = new Browser();
    await signUpAs(browser, { slug: "bye", email: "me@bye.test" });
    expect((await browser.post("/logout", {}, { from: "/admin" })).status).toBe(303);
    const again = await browser.get("/admin");
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/login?next=%2Fadmin");
  });
});
