import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { Browser } from "./client";
import { control, signedIn } from "./fixtures";
import { Customer, chatRow, connectedChat, team, type Agent } from "./live";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";

// The customer rates a chat that ended (1 to 5 stars and a comment), once; the rating is kept
// with the chat and shown in Chat Records, Chat View, each agent's average on those pages and in
// the statistics details.

afterEach(() => closeAllSockets());

const ratingPath = (chatId: string) => `/chats/${chatId}/rating`;

const stored = (chatId: string) =>
  env.DB.prepare("select rating, rating_comment, rated_at from chats where id = ?").bind(chatId).first<{ rating: number | null; rating_comment: string | null; rated_at: number | null }>();

async function untilEnded(chatId: string) {
  const until = Date.now() + 3_000;
  while ((await chatRow(chatId))?.status !== "ended" && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  expect((await chatRow(chatId))?.status).toBe("ended");
}

/**
 * A chat the agent answered and then hung up; the customer's end screen has the rating's slot.
 * The agent is ONLINE again afterwards, ready for the next chat.
 */
async function endedChat(agent: Agent, console: LiveSocket, customer = new Customer()) {
  const { chat, customerSocket, agentSocket } = await connectedChat(agent, console, undefined, customer);
  agentSocket.send({ type: "hangup" });
  await customerSocket.next((f) => frames.snapshot(chat.id)(f) && f.includes(`hx-get="${ratingPath(chat.id)}"`), "the ended chat with its rating slot");
  await untilEnded(chat.id);
  await agent.choose(console, "WAITING_NEW_CALL");
  return { chat, customer, customerSocket };
}

async function ratedTeam(slug: string) {
  const { company, agents } = await team(slug, ["Alice Martin"]);
  const alice = agents[0];
  const console = await alice.online();
  return { company, alice, console };
}

describe("the customer's end-of-chat screen", () => {
  it("has a slot that loads the rating form, with the page's CSRF token and five labelled stars", async () => {
    const { alice, console } = await ratedTeam("rate-form-co");
    const { chat, customer, customerSocket } = await endedChat(alice, console);
    const slot = customerSocket.log.find((f) => f.includes(`hx-get="${ratingPath(chat.id)}"`))!;
    expect(slot).toContain(`<div id="rating-${chat.id}" class="rating-slot" hx-get="${ratingPath(chat.id)}" hx-trigger="load" hx-swap="outerHTML"></div>`);

    const res = await customer.browser.htmxGet(ratingPath(chat.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("vary")).toContain("HX-Request");
    const html = await res.text();
    expect(html).not.toContain("<!DOCTYPE html>");
    expect(html).toMatch(new RegExp(`^<section id="rating-${chat.id}" class="rating-panel"`));
    expect(html).toContain("How was your chat with Alice Martin?");
    expect(html).toContain(`method="post" action="${ratingPath(chat.id)}" hx-post="${ratingPath(chat.id)}" hx-target="#rating-${chat.id}" hx-swap="outerHTML"`);
    expect(control(html, "_csrf")).toContain(`value="${customer.browser.cookie("parley_csrf")}"`);
    for (const [n, words] of [
      [1, "1 star, very poor"],
      [3, "3 stars, ok"],
      [5, "5 stars, excellent"],
    ] as const) {
      expect(html).toContain(`<input type="radio" class="visually-hidden" id="rating-${chat.id}-${n}" name="rating" value="${n}" required=""/>`);
      expect(html).toContain(`<label for="rating-${chat.id}-${n}"`);
      expect(html).toContain(words);
    }
    expect(html).toContain("<legend>Your rating</legend>");
    expect(control(html, "comment")).toContain('maxlength="1000"');
  });

  it("is not offered to the agent, nor in a chat nobody answered", async () => {
    const { company, alice, console } = await ratedTeam("rate-slot-co");
    const { chat, agentSocket } = await connectedChat(alice, console);
    agentSocket.send({ type: "hangup" });
    await agentSocket.next((f) => frames.snapshot(chat.id)(f) && f.includes("You ended the chat."), "the agent's end of the chat");
    expect(agentSocket.log.join()).not.toContain(ratingPath(chat.id));

    // A customer who leaves the queue: the chat is missed.
    await alice.choose(console, "TAKING_BREAK");
    const leaver = new Customer();
    const missed = await leaver.startChat(`/c/${company.slug}/GENERAL`);
    const socket = await missed.socket();
    socket.send({ type: "hangup" });
    await socket.next((f) => frames.snapshot(missed.id)(f) && f.includes("You left the queue"), "the end of the wait");
    expect(socket.log.join()).not.toContain(ratingPath(missed.id));
    expect((await leaver.browser.htmxGet(ratingPath(missed.id))).status).toBe(404);
  });
});

describe("POST /chats/:chatId/rating", () => {
  it("stores the rating with the chat and answers with the customer's rating and a thank-you (htmx)", async () => {
    const { alice, console } = await ratedTeam("rate-ok-co");
    const { chat, customer } = await endedChat(alice, console);
    const before = Date.now();
    const res = await customer.browser.htmxPost(ratingPath(chat.id), { rating: "4", comment: "  Helpful, <b>quick</b> & kind.  " });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`^<section id="rating-${chat.id}" class="rating-panel rated"`));
    expect(html).toContain("Thank you for your rating");
    expect(html).toContain('aria-label="4 out of 5 stars"');
    expect(html).toContain("Good");
    expect(html).toContain('<blockquote class="rating-comment">Helpful, &lt;b&gt;quick&lt;/b&gt; &amp; kind.</blockquote>');

    const row = await stored(chat.id);
    expect(row).toMatchObject({ rating: 4, rating_comment: "Helpful, <b>quick</b> & kind." });
    expect(row!.rated_at).toBeGreaterThanOrEqual(before);

    // The slot shows the rating from now on (another tab, a refreshed page).
    const again = await (await customer.browser.htmxGet(ratingPath(chat.id))).text();
    expect(again).toContain("Thank you for your rating");
    expect(again).toContain('aria-label="4 out of 5 stars"');
    expect(control(again, "rating")).toBeUndefined();
  });

  it("works without JavaScript: a plain form post, then the page with the rating", async () => {
    const { alice, console } = await ratedTeam("rate-plain-co");
    const { chat, customer } = await endedChat(alice, console);
    const page = await customer.browser.get(ratingPath(chat.id));
    expect(page.status).toBe(200);
    const form = await page.text();
    expect(form).toContain("<!DOCTYPE html>");
    expect(form).toContain("<h1>Your chat with rate-plain-co Ltd</h1>");
    expect(form).toContain(`href="/chats/${chat.id}"`);

    const res = await customer.browser.post(ratingPath(chat.id), { rating: "5", comment: "" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(ratingPath(chat.id));
    expect(await stored(chat.id)).toMatchObject({ rating: 5, rating_comment: null });
    const after = await (await customer.browser.get(ratingPath(chat.id))).text();
    expect(after).toContain("<!DOCTYPE html>");
    expect(after).toContain("Thank you for your rating");
    expect(after).toContain('aria-label="5 out of 5 stars"');
  });

  it("rates a chat once: a second post changes nothing and says it was already rated", async () => {
    const { alice, console } = await ratedTeam("rate-twice-co");
    const { chat, customer } = await endedChat(alice, console);
    expect((await customer.browser.htmxPost(ratingPath(chat.id), { rating: "2", comment: "Slow." })).status).toBe(200);
    const first = await stored(chat.id);

    const res = await customer.browser.htmxPost(ratingPath(chat.id), { rating: "5", comment: "Actually great." });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("You have already rated this chat");
    expect(html).toContain("your first rating stays as it was");
    expect(html).toContain('aria-label="2 out of 5 stars"');
    expect(html).toContain("Slow.");
    expect(html).not.toContain("Actually great.");
    expect(await stored(chat.id)).toEqual(first);

    // The same without JavaScript, and with a form that would not even be valid.
    const plain = await customer.browser.post(ratingPath(chat.id), { rating: "9" });
    expect(plain.status).toBe(422);
    expect(await plain.text()).toContain("You have already rated this chat");
    expect(await stored(chat.id)).toEqual(first);
  });

  it("counts one of two posts sent at the same moment", async () => {
    const { alice, console } = await ratedTeam("rate-race-co");
    const { chat, customer } = await endedChat(alice, console);
    const answers = await Promise.all([
      customer.browser.htmxPost(ratingPath(chat.id), { rating: "1" }),
      customer.browser.htmxPost(ratingPath(chat.id), { rating: "5" }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
    const row = await stored(chat.id);
    expect([1, 5]).toContain(row!.rating);
  });

  it.each([
    ["no rating", "rate-bad-none", { comment: "Nice" }, "rating", "Choose a rating from 1 to 5 stars."],
    ["a rating of 0", "rate-bad-0", { rating: "0" }, "rating", "Choose a rating from 1 to 5 stars."],
    ["a rating of 6", "rate-bad-6", { rating: "6" }, "rating", "Choose a rating from 1 to 5 stars."],
    ['a rating of "abc"', "rate-bad-abc", { rating: "abc" }, "rating", "Choose a rating from 1 to 5 stars."],
    ["a rating of 4.5", "rate-bad-half", { rating: "4.5" }, "rating", "Choose a rating from 1 to 5 stars."],
    ["a comment of 1001 characters", "rate-bad-long", { rating: "3", comment: "x".repeat(1001) }, "comment", "Keep your comment to 1000 characters or fewer."],
  ])("refuses %s with 422, the form again and a message by the field, and stores nothing", async (_, slug, fields: Record<string, string>, field, message) => {
    const { alice, console } = await ratedTeam(slug);
    const { chat, customer } = await endedChat(alice, console);
    const res = await customer.browser.htmxPost(ratingPath(chat.id), fields);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain("<!DOCTYPE html>");
    expect(html).toContain(`<p class="error" id="rating-${chat.id}${field === "comment" ? "-comment" : "-rating"}-error" role="alert">${message}</p>`);
    // What was typed comes back.
    if (fields.comment) expect(html).toContain(fields.comment);
    if (fields.rating === "3") expect(html).toContain(`value="3" checked=""`);
    expect(await stored(chat.id)).toEqual({ rating: null, rating_comment: null, rated_at: null });

    // Without JavaScript: the page with the same message.
    const plain = await customer.browser.post(ratingPath(chat.id), fields);
    expect(plain.status).toBe(422);
    const page = await plain.text();
    expect(page).toContain("<!DOCTYPE html>");
    expect(page).toContain(message);
  });

  it("takes a comment of exactly 1000 characters", async () => {
    const { alice, console } = await ratedTeam("rate-long-co");
    const { chat, customer } = await endedChat(alice, console);
    expect((await customer.browser.htmxPost(ratingPath(chat.id), { rating: "3", comment: "y".repeat(1000) })).status).toBe(200);
    expect((await stored(chat.id))!.rating_comment).toHaveLength(1000);
  });

  it("is refused to another browser, an agent, and the customer of another chat, with 404", async () => {
    const { alice, console } = await ratedTeam("rate-who-co");
    const { chat } = await endedChat(alice, console);
    const { customer: other } = await endedChat(alice, console);

    const stranger = new Browser();
    await stranger.get("/login");
    for (const browser of [stranger, alice.browser, other.browser]) {
      expect((await browser.htmxPost(ratingPath(chat.id), { rating: "1" })).status).toBe(404);
      expect((await browser.htmxGet(ratingPath(chat.id))).status).toBe(404);
    }
    const page = await stranger.post(ratingPath(chat.id), { rating: "1" }, { from: "/login" });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("We could not find that chat.");
    expect((await stranger.htmxPost("/chats/not-a-chat/rating", { rating: "1" })).status).toBe(404);
    expect(await stored(chat.id)).toEqual({ rating: null, rating_comment: null, rated_at: null });
  });

  it("is refused while the chat goes on, with 404 and why", async () => {
    const { alice, console } = await ratedTeam("rate-live-co");
    const { chat, customer } = await connectedChat(alice, console);
    const res = await customer.browser.post(ratingPath(chat.id), { rating: "5" });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("This chat cannot be rated: a chat is rated once it has ended, after someone answered it.");
    expect((await customer.browser.htmxGet(ratingPath(chat.id))).status).toBe(404);
    expect(await stored(chat.id)).toEqual({ rating: null, rating_comment: null, rated_at: null });
  });

  it("is refused without the form's CSRF token", async () => {
    const { alice, console } = await ratedTeam("rate-csrf-co");
    const { chat, customer } = await endedChat(alice, console);
    const res = await customer.browser.post(ratingPath(chat.id), { rating: "5" }, { csrf: false });
    expect(res.status).toBe(403);
    expect(await stored(chat.id)).toEqual({ rating: null, rating_comment: null, rated_at: null });
  });
});

describe("ratings in the records and the statistics", () => {
  it("show in Chat Records (stars, and the comment in the chat's record), Chat View, and each agent's average", { timeout: 30_000 }, async () => {
    const { company, agents } = await team("rate-rec-co", ["Alice Martin", "Bob Stone"]);
    const [alice, bob] = agents;
    const aliceConsole = await alice.online();
    const { chat: good, customer: c1 } = await endedChat(alice, aliceConsole);
    const { chat: fair, customer: c2 } = await endedChat(alice, aliceConsole);
    const { chat: unrated } = await endedChat(alice, aliceConsole);
    await c1.browser.htmxPost(ratingPath(good.id), { rating: "5", comment: "Alice <fixed> it!" });
    await c2.browser.htmxPost(ratingPath(fair.id), { rating: "4" });
    await alice.choose(aliceConsole, "TAKING_BREAK");
    const bobConsole = await bob.online();
    const { chat: bobs, customer: c3 } = await endedChat(bob, bobConsole);
    await c3.browser.htmxPost(ratingPath(bobs.id), { rating: "2", comment: "Bob was late." });

    // The administrator: every agent's average and count, a Rating column, the comment in the record.
    const admin = await signedIn(`boss@${company.slug}.test`);
    const records = await (await admin.get("/chat-records")).text();
    expect(records).toContain("Customer ratings by agent");
    const aliceRow = records.match(new RegExp(`<tr data-agent="${alice.id}">[\\s\\S]*?</tr>`))![0];
    expect(aliceRow).toContain("<th scope=\"row\">Alice Martin</th>");
    expect(aliceRow).toContain("<strong>4.5</strong>");
    expect(aliceRow).toContain("<td>2</td>");
    const bobRow = records.match(new RegExp(`<tr data-agent="${bob.id}">[\\s\\S]*?</tr>`))![0];
    expect(bobRow).toContain("<strong>2.0</strong>");
    expect(bobRow).toContain("<td>1</td>");
    expect(records).toContain("<span>Rating</span>");
    const record = (id: string) => records.slice(records.indexOf(`id="record-${id}"`), records.indexOf("</details>", records.indexOf(`id="record-${id}"`)));
    expect(record(good.id)).toContain('<span class="record-rating-cell"><span class="stars" role="img" aria-label="5 out of 5 stars"');
    expect(record(good.id)).toContain('<blockquote class="rating-comment">Alice &lt;fixed&gt; it!</blockquote>');
    expect(record(fair.id)).toContain('aria-label="4 out of 5 stars"');
    expect(record(fair.id)).toContain("No comment.");
    expect(record(unrated.id)).toContain('<span class="record-rating-cell"><span class="muted">—</span></span>');
    expect(record(unrated.id)).not.toContain("Customer&#39;s rating");

    // An agent: their own average, their own chats' ratings, not a colleague's.
    const aliceRecords = await (await alice.browser.get("/chat-records")).text();
    expect(aliceRecords).toContain("Your customers&#39; rating");
    expect(aliceRecords).toContain("<strong>4.5</strong>");
    expect(aliceRecords).toContain("· 2 ratings<");
    expect(aliceRecords).toContain("Alice &lt;fixed&gt; it!");
    expect(aliceRecords).not.toContain("Bob was late.");
    const aliceView = await (await alice.browser.get("/chat-view")).text();
    expect(aliceView).toContain("· 2 ratings<");
    expect(aliceView).toContain("<dt>Rating</dt>");
    expect(aliceView).toContain("Alice &lt;fixed&gt; it!");
    const bobView = await (await bob.browser.get("/chat-view")).text();
    expect(bobView).toContain("· 1 rating<");
    expect(bobView).not.toContain("Alice &lt;fixed&gt; it!");

    // The statistics details: each logged-on agent's average and count, after the spec's fields.
    await alice.choose(aliceConsole, "WAITING_NEW_CALL");
    const res = await new Browser().get(`/api/stats/${company.slug}/GENERAL/details`);
    const body = await res.json<{ agStatDetails: { agName: string }[] }>();
    expect(body.agStatDetails.sort((a, b) => a.agName.localeCompare(b.agName))).toEqual([
      { agentID: alice.email, agName: "Alice Martin", browserAgentStatus: "WAITING_NEW_CALL", mobileAppAgentStatus: null, averageRating: 4.5, ratings: 2 },
      { agentID: bob.email, agName: "Bob Stone", browserAgentStatus: "WAITING_NEW_CALL", mobileAppAgentStatus: null, averageRating: 2, ratings: 1 },
    ]);
    expect(Object.keys(body.agStatDetails[0]!)).toEqual(["agentID", "agName", "browserAgentStatus", "mobileAppAgentStatus", "averageRating", "ratings"]);
    // The brief statistics stay as the spec has them.
    expect(await (await new Browser().get(`/api/stats/${company.slug}/GENERAL`)).json()).not.toHaveProperty("agStatDetails");
  });

  it("are not shown to another company's agents or administrator, nor counted in their statistics", { timeout: 30_000 }, async () => {
    const { alice, console } = await ratedTeam("rate-mine-co");
    const { chat, customer } = await endedChat(alice, console);
    await customer.browser.htmxPost(ratingPath(chat.id), { rating: "5", comment: "Secret praise for Alice." });

    const { company: other, agents } = await team("rate-theirs-co", ["Alice Other"]);
    const otherAlice = agents[0];
    await otherAlice.online();
    for (const browser of [otherAlice.browser, await signedIn(`boss@${other.slug}.test`)]) {
      const records = await (await browser.get("/chat-records")).text();
      expect(records).not.toContain("Secret praise for Alice.");
      expect(records).not.toContain(chat.id);
      expect(records).toContain("No ratings yet.");
      expect((await browser.htmxGet(ratingPath(chat.id))).status).toBe(404);
    }
    const theirs = await (await new Browser().get(`/api/stats/${other.slug}/GENERAL/details`)).json<{ agStatDetails: { averageRating: number | null; ratings: number }[] }>();
    expect(theirs.agStatDetails).toEqual([expect.objectContaining({ agName: "Alice Other", averageRating: null, ratings: 0 })]);
  });
});
