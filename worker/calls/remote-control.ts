import * as z from "zod";

// Remote control, kept pure: while the customer shares a screen, the customer may let the agent
// point and draw over it, and take that back. A web page cannot move another computer's mouse or
// type on it (see the README), so "control" here is a pointer and ink both parties see over the
// shared screen. A grant belongs to one shared screen track: it ends when that share stops. The
// ChatDO keeps the grant and the strokes (durable-objects/chat/remote-control.ts); pointer moves are
// only relayed.

export const INK_COLORS = ["red", "blue"] as const;
export type InkColor = (typeof INK_COLORS)[number];

/** Lines on the screen at once; Clear makes room for more. */
export const MAX_STROKES = 40;
/** Points in one line: a few seconds of drawing. */
export const MAX_STROKE_POINTS = 400;
/** Points in one ink message: the agent's page sends what it drew in the last ~50 ms. */
export const MAX_CHUNK_POINTS = 64;

/** A line the agent drew: its colour and its points, flat (x0, y0, x1, y1, …), 0..1 of the shared screen. */
export type Stroke = { id: string; color: InkColor; points: number[] };

/** The customer's permission, for the screen track they were sharing when they gave it. */
export type Grant = { screen: string; grantedAt: number };

/** What the ChatDO stores: the grant, the customer's screen track as last seen, and how many strokes there are. */
export type RemoteState = { grant: Grant | null; screen: string | null; strokes: number };

export const NO_REMOTE: RemoteState = { grant: null, screen: null, strokes: 0 };

/** The socket messages of remote control (the shape; the numbers are checked by badPoints). */
export const remoteControlMessages = [
  // The customer's Let … point & draw / Take back control, and the agent's Clear.
  z.object({ type: z.literal("remote"), action: z.enum(["grant", "revoke", "clear"]) }),
  // Where the agent's pointer is over the shared screen; null when it left it.
  z.object({ type: z.literal("pointer"), point: z.tuple([z.number(), z.number()]).nullable() }),
  // Points added to the line `stroke` (made by the agent's page), or the start of a new line.
  z.object({
    type: z.literal("ink"),
    stroke: z.string().regex(/^[A-Za-z0-9-]{1,40}$/),
    color: z.enum(INK_COLORS),
    points: z.array(z.number()).max(2 * MAX_CHUNK_POINTS),
  }),
] as const;

export type RemoteMessage = z.infer<(typeof remoteControlMessages)[number]>;
export type RemoteAction = "grant" | "revoke" | "clear" | "pointer" | "ink";

export type RemoteContext = {
  party: "customer" | "agent";
  /** The room's Remote control button (phone customization). */
  enabled: boolean;
  connected: boolean;
  /** The customer's shared screen track as their page declared it; null while not sharing. */
  screen: string | null;
};

/** The grant in force: given for the screen the customer shares now, in a connected chat of a room that allows it. */
export const activeGrant = (grant: Grant | null, ctx: Omit<RemoteContext, "party">): Grant | null =>
  grant && ctx.enabled && ctx.connected && ctx.screen === grant.screen ? grant : null;

/** Why `ctx.party` may not do `action` now (a sentence for them), or null when they may. */
export function remoteRefusal(action: RemoteAction, grant: Grant | null, ctx: RemoteContext): string | null {
  if (!ctx.enabled) return "Remote control is not available in this chat room.";
  if (!ctx.connected) return "Remote control is possible only during a connected chat.";
  const active = activeGrant(grant, ctx);
  switch (action) {
    case "grant":
      if (ctx.party !== "customer") return "Only the customer can let the agent point and draw.";
      if (!ctx.screen) return "Share your screen first, then let the agent point and draw on it.";
      return active ? "The agent can already point and draw on your screen." : null;
    case "revoke":
      if (ctx.party !== "customer") return "Only the customer can take back control.";
      return active ? null : "Nobody is pointing or drawing on your screen.";
    case "clear":
    case "pointer":
    case "ink":
      if (ctx.party !== "agent") return "Only the agent points and draws on the shared screen.";
      return active ? null : "The customer has not let you point and draw on their screen.";
  }
}

/** Why these numbers are not points on the shared screen (pairs, finite, 0 to 1), or null. */
export function badPoints(points: readonly number[]): string | null {
  if (points.length === 0 || points.length % 2 !== 0) return "Each point needs an x and a y.";
  if (points.some((n) => !Number.isFinite(n) || n < 0 || n > 1)) return "Points must lie on the shared screen (0 to 1).";
  return null;
}

export type Ink = { stroke: string; color: InkColor; points: number[] };

/**
 * Adds ink to the drawing: the points go on the latest line when they carry its id, else they
 * start a new line. `last` is the latest line and `count` the number of lines. The answer says
 * which line (by its number) now holds what.
 */
export function inkStep(last: Stroke | null, count: number, ink: Ink): { index: number; stroke: Stroke } | { error: string } {
  const bad = badPoints(ink.points);
  if (bad) return { error: bad };
  if (last && last.id === ink.stroke) {
    if ((last.points.length + ink.points.length) / 2 > MAX_STROKE_POINTS) return { error: "That line is long enough: lift the pen and draw another." };
    return { index: count - 1, stroke: { ...last, points: [...last.points, ...ink.points] } };
  }
  if (count >= MAX_STROKES) return { error: `There are ${MAX_STROKES} drawings on the screen: press Clear to draw more.` };
  return { index: count, stroke: { id: ink.stroke, color: ink.color, points: [...ink.points] } };
}
