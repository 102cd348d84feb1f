import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  activeGrant,
  badPoints,
  inkStep,
  MAX_CHUNK_POINTS,
  MAX_STROKE_POINTS,
  MAX_STROKES,
  remoteControlMessages,
  remoteRefusal,
  type RemoteContext,
  type Stroke,
} from "../../worker/calls/remote-control";

// Remote control's rules: only the customer grants and takes back, only the agent points and
// draws, and only over the screen the customer shares now; every number is a place on it.

const customer: RemoteContext = { party: "customer", enabled: true, connected: true, screen: "screen-1" };
const agent: RemoteContext = { ...customer, party: "agent" };
const grant = { screen: "screen-1", grantedAt: 1_000 };

describe("remoteRefusal", () => {
  it("lets the customer grant while sharing a screen, and take it back", () => {
    expect(remoteRefusal("grant", null, customer)).toBeNull();
    expect(remoteRefusal("revoke", grant, customer)).toBeNull();
    expect(remoteRefusal("grant", grant, customer)).toBe("The agent can already point and draw on your screen.");
    expect(remoteRefusal("grant", null, { ...customer, screen: null })).toBe("Share your screen first, then let the agent point and draw on it.");
    expect(remoteRefusal("revoke", null, customer)).toBe("Nobody is pointing or drawing on your screen.");
  });

  it("never lets the agent grant or revoke, nor the customer point, draw or clear", () => {
    expect(remoteRefusal("grant", null, agent)).toBe("Only the customer can let the agent point and draw.");
    expect(remoteRefusal("revoke", grant, agent)).toBe("Only the customer can take back control.");
    for (const action of ["pointer", "ink", "clear"] as const) {
      expect(remoteRefusal(action, grant, customer)).toBe("Only the agent points and draws on the shared screen.");
    }
  });

  it("lets the agent point, draw and clear only under a grant for the screen shared now", () => {
    for (const action of ["pointer", "ink", "clear"] as const) {
      expect(remoteRefusal(action, grant, agent)).toBeNull();
      expect(remoteRefusal(action, null, agent)).toBe("The customer has not let you point and draw on their screen.");
      // The customer stopped sharing, or shares another screen now: that grant is over.
      expect(remoteRefusal(action, grant, { ...agent, screen: null })).toBe("The customer has not let you point and draw on their screen.");
      expect(remoteRefusal(action, grant, { ...agent, screen: "screen-2" })).toBe("The customer has not let you point and draw on their screen.");
    }
  });

  it("refuses everything in a room without the button, and outside a connected chat", () => {
    expect(remoteRefusal("grant", null, { ...customer, enabled: false })).toBe("Remote control is not available in this chat room.");
    expect(remoteRefusal("pointer", grant, { ...agent, enabled: false })).toBe("Remote control is not available in this chat room.");
    expect(remoteRefusal("ink", grant, { ...agent, connected: false })).toBe("Remote control is possible only during a connected chat.");
  });
});

describe("activeGrant", () => {
  it("is the grant only while its screen is shared in a connected chat of a room that allows it", () => {
    expect(activeGrant(grant, customer)).toEqual(grant);
    expect(activeGrant(grant, { ...customer, screen: "screen-2" })).toBeNull();
    expect(activeGrant(grant, { ...customer, connected: false })).toBeNull();
    expect(activeGrant(grant, { ...customer, enabled: false })).toBeNull();
    expect(activeGrant(null, customer)).toBeNull();
  });
});

describe("badPoints", () => {
  it("accepts pairs of finite numbers from 0 to 1, edges included", () => {
    expect(badPoints([0, 0, 1, 1, 0.25, 0.75])).toBeNull();
  });

  it("refuses odd counts, empty lists, numbers off the screen and non-finite ones", () => {
    expect(badPoints([])).toBe("Each point needs an x and a y.");
    expect(badPoints([0.5])).toBe("Each point needs an x and a y.");
    for (const n of [-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(badPoints([0.5, n])).toBe("Points must lie on the shared screen (0 to 1).");
    }
  });
});

describe("inkStep", () => {
  const line = (id: string, n: number): Stroke => ({ id, color: "red", points: Array.from({ length: 2 * n }, () => 0.5) });

  it("starts a new line, then adds to the latest line that carries the same id", () => {
    const first = inkStep(null, 0, { stroke: "a", color: "red", points: [0.1, 0.2] });
    expect(first).toEqual({ index: 0, stroke: { id: "a", color: "red", points: [0.1, 0.2] } });
    const more = inkStep((first as { stroke: Stroke }).stroke, 1, { stroke: "a", color: "red", points: [0.3, 0.4] });
    expect(more).toEqual({ index: 0, stroke: { id: "a", color: "red", points: [0.1, 0.2, 0.3, 0.4] } });
    const second = inkStep(line("a", 2), 1, { stroke: "b", color: "blue", points: [0.9, 0.9] });
    expect(second).toEqual({ index: 1, stroke: { id: "b", color: "blue", points: [0.9, 0.9] } });
  });

  it("bounds the length of a line and the number of lines", () => {
    expect(inkStep(line("a", MAX_STROKE_POINTS - 1), 1, { stroke: "a", color: "red", points: [0.5, 0.5] })).toHaveProperty("index", 0);
    expect(inkStep(line("a", MAX_STROKE_POINTS), 1, { stroke: "a", color: "red", points: [0.5, 0.5] })).toEqual({
      error: "That line is long enough: lift the pen and draw another.",
    });
    expect(inkStep(line("z", 1), MAX_STROKES, { stroke: "new", color: "red", points: [0.5, 0.5] })).toEqual({
      error: `There are ${MAX_STROKES} drawings on the screen: press Clear to draw more.`,
    });
    expect(inkStep(line("z", 1), MAX_STROKES, { stroke: "z", color: "red", points: [0.5, 0.5] })).toHaveProperty("index", MAX_STROKES - 1);
  });

  it("refuses ink off the screen", () => {
    expect(inkStep(null, 0, { stroke: "a", color: "red", points: [0.5, 2] })).toEqual({ error: "Points must lie on the shared screen (0 to 1)." });
  });
});

describe("the remote control messages", () => {
  const schema = z.discriminatedUnion("type", [...remoteControlMessages]);

  it("read a grant, a pointer (or its absence) and a chunk of ink", () => {
    expect(schema.parse({ type: "remote", action: "grant", HEADERS: {} })).toEqual({ type: "remote", action: "grant" });
    expect(schema.parse({ type: "pointer", point: [0.5, 0.25] })).toEqual({ type: "pointer", point: [0.5, 0.25] });
    expect(schema.parse({ type: "pointer", point: null })).toEqual({ type: "pointer", point: null });
    expect(schema.parse({ type: "ink", stroke: "a-1", color: "blue", points: [0, 1] }).type).toBe("ink");
  });

  it("refuse colours off the palette, odd stroke ids, oversized chunks and numbers that JSON turns into Infinity", () => {
    expect(schema.safeParse({ type: "ink", stroke: "a", color: "url(#x)", points: [0, 0] }).success).toBe(false);
    expect(schema.safeParse({ type: "ink", stroke: "<b>", color: "red", points: [0, 0] }).success).toBe(false);
    expect(schema.safeParse({ type: "ink", stroke: "a", color: "red", points: Array(2 * MAX_CHUNK_POINTS + 2).fill(0.5) }).success).toBe(false);
    expect(schema.safeParse(JSON.parse('{"type":"pointer","point":[1e999,0]}')).success).toBe(false);
  });
});
