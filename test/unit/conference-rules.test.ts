import { describe, expect, it } from "vitest";
import { MAX_GUESTS, answerStep, guestOf, guestSender, inviteStep, joinedGuests, leaveStep, type Conference, type ConferenceContext } from "../../worker/live/conference-rules";

const ctx: ConferenceContext = { enabled: true, connected: true, hostId: "alice", now: 1_000 };
const bob = { agentId: "bob", name: "Bob Stone" };

function invited(conference: Conference = {}, invitee = bob): Conference {
  const step = inviteStep(conference, invitee, ctx);
  if ("error" in step) throw new Error(step.error);
  return step.conference;
}

describe("conference rules", () => {
  it("invites a colleague of a connected chat in a room that allows conferences", () => {
    expect(inviteStep({}, bob, ctx)).toEqual({
      conference: { bob: { agentId: "bob", name: "Bob Stone", state: "invited", invitedAt: 1_000, joinedAt: null } },
      guest: { agentId: "bob", name: "Bob Stone", state: "invited", invitedAt: 1_000, joinedAt: null },
    });
  });

  it("refuses invitations the room, the chat or the invitee rule out", () => {
    expect(inviteStep({}, bob, { ...ctx, enabled: false })).toEqual({ error: "Conference chat is not available in this chat room." });
    expect(inviteStep({}, bob, { ...ctx, connected: false })).toEqual({ error: "You can add an agent once the chat is connected." });
    expect(inviteStep({}, null, ctx)).toEqual({ error: "That agent is not in your company." });
    expect(inviteStep({}, { agentId: "alice", name: "Alice" }, ctx)).toEqual({ error: "You are already in this chat." });
    expect(inviteStep(invited(), bob, ctx)).toEqual({ error: "Bob Stone has already been invited." });
  });

  it("takes at most MAX_GUESTS agents, counting open invitations, and lets a declined agent be asked again", () => {
    let conference: Conference = {};
    for (let i = 0; i < MAX_GUESTS; i++) conference = invited(conference, { agentId: `g${i}`, name: `Guest ${i}` });
    expect(inviteStep(conference, bob, ctx)).toEqual({ error: `A chat can have at most ${MAX_GUESTS} added agents.` });
    const declined = answerStep(conference, "g0", false, ctx);
    if ("error" in declined) throw new Error(declined.error);
    expect("error" in inviteStep(declined.conference, bob, ctx)).toBe(false);
    expect("error" in inviteStep(declined.conference, { agentId: "g0", name: "Guest 0" }, ctx)).toBe(false);
  });

  it("joins an open invitation while the chat is connected, once", () => {
    const joined = answerStep(invited(), "bob", true, { ...ctx, now: 2_000 });
    if ("error" in joined) throw new Error(joined.error);
    expect(joined.guest).toMatchObject({ state: "joined", joinedAt: 2_000 });
    expect(joinedGuests(joined.conference).map((g) => g.agentId)).toEqual(["bob"]);
    expect(answerStep(joined.conference, "bob", true, ctx)).toEqual({ error: "That invitation is no longer open." });
    expect(answerStep(invited(), "bob", true, { ...ctx, connected: false })).toEqual({ error: "That chat has ended." });
    expect(answerStep({}, "bob", true, ctx)).toEqual({ error: "That invitation is no longer open." });
    expect(inviteStep(joined.conference, bob, ctx)).toEqual({ error: "Bob Stone is already in this chat." });
  });

  it("lets only a guest in the chat leave", () => {
    expect(leaveStep(invited(), "bob")).toEqual({ error: "You are not in this chat." });
    const joined = answerStep(invited(), "bob", true, ctx);
    if ("error" in joined) throw new Error(joined.error);
    const left = leaveStep(joined.conference, "bob");
    if ("error" in left) throw new Error(left.error);
    expect(left.guest.state).toBe("left");
    expect(joinedGuests(left.conference)).toEqual([]);
  });

  it("names a guest's stored lines apart from the two parties'", () => {
    expect(guestOf(guestSender("bob"))).toBe("bob");
    expect(guestOf("agent")).toBeNull();
    expect(guestOf("customer")).toBeNull();
  });
});
