import { beforeAll, describe, expect, it } from "vitest";
import { Browser, PASSWORD, signUpAs } from "./client";
import { addAgent, addRoom, agentSnapshot, roomId, tableCounts } from "./fixtures";

// Two companies side by side. Company B is a Solo User with its three preset rooms and an
// extra room whose name nobody else uses, so a leak would be plain to see.
const A = "alpha-co";
const B = "bravo-co";
let adminA: Browser;
let agentA: string;
let agentB: string;
let roomB: string;
let generalA: string;

beforeAll(async () => {
  adminA = new Browser();
  await signUpAs(adminA, { slug: A, email: `boss@${A}.test` });
  generalA = await roomId(A, "GENERAL");
  agentA = await addAgent(adminA, { name: "Ann Alpha", email: `ann@${A}.test`, roomIds: [generalA] });

  const adminB = new Browser();
  await signUpAs(adminB, { slug: B, email: `boss@${B}.test`, accountType: "solo" });
  roomB = await addRoom(B, "BRAVO_SECRET_ROOM", 5);
  agentB = await addAgent(adminB, { name: "Bea Bravo", email: `bea@${B}.test`, roomIds: [roomB] });
});

describe("GET /admin/agents/:id", () => {
  it("answers 404 for another company's agent and shows nothing of them", async () => {
    const res = await adminA.get(`/admin/agents/${agentB}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("We could not find that agent.");
    expect(html).not.toContain("Bea Bravo");
    expect(html).not.toContain(`bea@${B}.test`);
  });
});

describe("POST /admin/agents/:id", () => {
  it("refuses another company's agent id with 404 and changes nothing", async () => {
    const before = await agentSnapshot(`bea@${B}.test`);
    const counts = await tableCounts();
    const res = await adminA.post(
      `/admin/agents/${agentB}`,
      { name: "Taken Over", email: `mine@${A}.test`, password: "taken over 1", roomIds: [generalA], disabled: "on" },
      { from: "/admin/agents" },
    );
    expect(res.status).toBe(404);
    expect(await agentSnapshot(`bea@${B}.test`)).toEqual(before);
    expect(await tableCounts()).toEqual(counts);
  });

  it("refuses a forged form that gives one's own agent another company's room, with 403 and a clear message", async () => {
    const before = await agentSnapshot(`ann@${A}.test`);
    const counts = await tableCounts();
    const res = await adminA.post(
      `/admin/agents/${agentA}`,
      { name: "Ann Alpha", email: `ann@${A}.test`, roomIds: [generalA, roomB] },
      { from: `/admin/agents/${agentA}` },
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("One of those rooms does not belong to your company.");
    expect(await agentSnapshot(`ann@${A}.test`)).toEqual(before);
    expect(await tableCounts()).toEqual(counts);
  });
});

describe("POST /admin/agents", () => {
  it("refuses a forged form that creates an agent in another company's room, with 403, and adds nobody", async () => {
    const counts = await tableCounts();
    const res = await adminA.post(
      "/admin/agents",
      { name: "Mole", email: `mole@${A}.test`, password: PASSWORD, roomIds: [roomB] },
      { from: "/admin/agents/new" },
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("One of those rooms does not belong to your company.");
    expect(await tableCounts()).toEqual(counts);
  });
});

describe("GET /admin", () => {
  it("lists only the admin's own company's rooms", async () => {
    const html = await (await adminA.get("/admin")).text();
    const listed = [...html.matchAll(/data-room="([^"]+)"/g)].map((m) => m[1]);
    expect(listed).toEqual(["GENERAL"]);
    expect(html).not.toContain("BRAVO_SECRET_ROOM");
    expect(html).not.toContain(`/c/${B}/`);
  });
});

describe("Agent staff pages", () => {
  it("never show another company's agents or rooms to choose from", async () => {
    const list = await (await adminA.get("/admin/agents")).text();
    expect(list).toContain("Ann Alpha");
    expect(list).not.toContain("Bea Bravo");
    for (const path of ["/admin/agents/new", `/admin/agents/${agentA}`]) {
      const form = await (await adminA.get(path)).text();
      expect(form, path).toContain(`value="${generalA}"`);
      expect(form, path).not.toContain(roomB);
      expect(form, path).not.toContain("BRAVO_SECRET_ROOM");
      expect(form, path).not.toContain("PREAUTHORISED_CARD_AUTO_CHARGE_END");
    }
  });
});
