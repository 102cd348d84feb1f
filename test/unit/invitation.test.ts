import { describe, expect, it } from "vitest";
import { invitableRooms, invitationForm, invitationMail, PRIVATE_ROOM, type InvitableRoom } from "../../worker/invitations/invitation";
import type { Room } from "../../worker/rooms/room";

// A consultation invitation: the rooms an agent may invite to, what the form takes, what the client reads.

// `rank`: how many open rooms come before it in the rooms list (worker/rooms/usable-rooms.ts).
const room = (name: string, chargingMode: Room["chargingMode"] = "none", rank = name === "GENERAL" ? 0 : 1) => ({ id: `id-${name}`, name, chargingMode, rank }) as Room & { rank: number };
const ann = { id: "ann", handle: "ann-agent", companySlug: "acme", plan: "pro" as const };

describe("the rooms an agent may invite to", () => {
  it("are the rooms they serve, then their private room, each with its contact form's path", () => {
    const rooms = invitableRooms(ann, [room("GENERAL"), room("CHARGE_DURATION_ON_DEMAND", "manual")], room("GENERAL"));
    expect(rooms.map((r) => [r.value, r.label, r.path, r.privateAgentId])).toEqual([
      ["id-GENERAL", "GENERAL", "/c/acme/GENERAL", null],
      ["id-CHARGE_DURATION_ON_DEMAND", "CHARGE_DURATION_ON_DEMAND", "/c/acme/CHARGE_DURATION_ON_DEMAND", null],
      [PRIVATE_ROOM, "Your private room", "/c/acme/~ann-agent", "ann"],
    ]);
  });

  it("leave out the rooms the company's plan closes, and a private room the agent does not have", () => {
    const rooms = invitableRooms({ ...ann, plan: "free" }, [room("GENERAL"), room("PREAUTHORISED_CARD_AUTO_CHARGE_END", "automatic")], undefined);
    expect(rooms.map((r) => r.label)).toEqual(["GENERAL"]);
    // On Pro, the rooms past its twenty (a company that moved down from Large Enterprise).
    const pro = invitableRooms(ann, [room("GENERAL"), room("SALES", "none", 19), room("SUPPORT", "none", 20)], undefined);
    expect(pro.map((r) => r.label)).toEqual(["GENERAL", "SALES"]);
  });
});

describe("the invitation form", () => {
  const form = invitationForm(["id-GENERAL", PRIVATE_ROOM]);
  const errors = (fields: Record<string, string>) => {
    const parsed = form.safeParse(fields);
    return parsed.success ? null : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("takes a name on one line, a lower-cased address, one of the agent's rooms and an optional note", () => {
    expect(form.parse({ name: "  Carla\r\n Client ", email: " Carla@Example.COM ", room: PRIVATE_ROOM, note: "  " })).toEqual({
      name: "Carla Client",
      email: "carla@example.com",
      room: PRIVATE_ROOM,
      note: null,
    });
  });

  it("says what to fix, field by field", () => {
    expect(errors({ name: "", email: "carla@", room: "id-SALES", note: "x".repeat(1001) })).toEqual({
      name: "Enter your client's name.",
      email: "Enter a valid email address, like name@example.com.",
      room: "Choose one of your rooms.",
      note: "Use at most 1000 characters.",
    });
    expect(errors({})).toMatchObject({ name: "Enter your client's name.", email: "Enter your client's email address.", room: "Choose one of your rooms." });
  });
});

describe("the invitation's mail", () => {
  const general: InvitableRoom = { value: "id-GENERAL", label: "GENERAL", path: "/c/acme/GENERAL", room: room("GENERAL"), privateAgentId: null };
  const mail = (over: Partial<Parameters<typeof invitationMail>[0]> = {}) =>
    invitationMail({ agentName: "Ann Agent", businessName: "Acme", clientName: "Carla", note: null, room: general, link: "https://parley.test/c/acme/GENERAL?invitation=x", ...over });

  it("names the agent and the business in the subject, never the note", () => {
    expect(mail({ note: "Our secret\nBcc: x@y.test" }).subject).toBe("Ann Agent of Acme invites you to a consultation");
    // A solo professional's business often bears their own name.
    expect(mail({ businessName: "Ann Agent" }).subject).toBe("Ann Agent invites you to a consultation");
  });

  it("greets the client, keeps the note's paragraphs and ends with the link", () => {
    const content = mail({ note: "First.\n\nSecond." });
    expect(content.greeting).toBe("Hello Carla,");
    expect(content.paragraphs.slice(1, 3)).toEqual(["First.", "Second."]);
    expect(content.action).toEqual({ label: "Open the contact form", url: "https://parley.test/c/acme/GENERAL?invitation=x" });
  });

  it("says what a paid room asks of the client, and that a private room reaches the agent alone", () => {
    expect(mail({ room: { ...general, room: room("PAID", "automatic") } }).paragraphs.join(" ")).toContain("you will be asked to authorise a card before it starts");
    expect(mail({ room: { ...general, room: room("PAID", "manual") } }).paragraphs.join(" ")).toContain("Ann Agent may send you an invoice");
    expect(mail().paragraphs.join(" ")).not.toContain("paid");
    expect(mail({ room: { ...general, value: PRIVATE_ROOM, privateAgentId: "ann" } }).paragraphs.join(" ")).toContain("you are put through to Ann Agent");
  });
});
