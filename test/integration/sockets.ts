import { exports } from "cloudflare:workers";
import { expect } from "vitest";

// Live sockets for tests: a real WebSocket through the Worker into a Durable Object, with a way to
// wait for the next frame that matches (htmx ws fragments from the server) and to say that none
// arrives. Every socket opened here is closed by `closeAllSockets` after each test.

export type Match = (frame: string) => boolean;

/**
 * Binary frames are JSON messages for the page's controllers (worker/live/socket-frames.ts), text
 * frames HTML for htmx; the log keeps a binary frame as `message:` and its JSON, so a test can
 * tell which kind of frame came.
 */
const MESSAGE = "message:";
/** The message a binary frame carried; an HTML frame fails the test. */
export const messageOf = (frame: string): { type: string } & Record<string, any> => {
  if (!frame.startsWith(MESSAGE)) throw new Error(`not a message frame: ${frame.slice(0, 100)}`);
  return JSON.parse(frame.slice(MESSAGE.length));
};

const open = new Set<LiveSocket>();

/** Frames are waited for this long before a test fails with the frames that did arrive. */
export const FRAME_TIMEOUT_MS = 3_000;
/** How long "nothing arrives" is watched for: the relays under test answer within milliseconds. */
export const QUIET_MS = 250;

export class LiveSocket {
  /** Every frame received, in order. */
  readonly log: string[] = [];
  /** Frames no `next` has taken yet. */
  private pending: string[] = [];
  private waiters: { match: Match; resolve: (frame: string) => void }[] = [];
  private closedWith: { code: number; reason: string } | null = null;
  private closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];

  constructor(
    readonly ws: WebSocket,
    readonly label: string,
  ) {
    // Binary frames read at once, in order with the text frames, as the pages read them.
    ws.binaryType = "arraybuffer";
    ws.accept();
    ws.addEventListener("message", (event) => {
      const frame = typeof event.data === "string" ? event.data : MESSAGE + new TextDecoder().decode(event.data as ArrayBuffer);
      this.log.push(frame);
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(frame);
      else this.pending.push(frame);
    });
    ws.addEventListener("close", (event) => {
      this.closedWith = { code: event.code, reason: event.reason };
      for (const resolve of this.closeWaiters.splice(0)) resolve(this.closedWith);
      open.delete(this);
    });
    open.add(this);
  }

  /** Sends a JSON message (or a raw string / binary frame, for bad-input tests). */
  send(message: object | string | ArrayBuffer): void {
    this.ws.send(typeof message === "object" && !(message instanceof ArrayBuffer) ? JSON.stringify(message) : message);
  }

  /** The next frame (not yet taken) that matches; fails the test after `timeout` ms. */
  async next(match: Match, what = "a matching frame", timeout = FRAME_TIMEOUT_MS): Promise<string> {
    return (await this.nextOf({ match }, what, timeout)).frame;
  }

  /** The next frame that matches one of several outcomes, and which one it was. */
  nextOf<K extends string>(outcomes: Record<K, Match>, what: string, timeout = FRAME_TIMEOUT_MS): Promise<{ outcome: K; frame: string }> {
    const entries = Object.entries(outcomes) as [K, Match][];
    const which = (frame: string) => entries.find(([, m]) => m(frame))?.[0];
    const i = this.pending.findIndex((f) => which(f) !== undefined);
    if (i >= 0) {
      const frame = this.pending.splice(i, 1)[0]!;
      return Promise.resolve({ outcome: which(frame)!, frame });
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        match: (frame: string) => which(frame) !== undefined,
        resolve: (frame: string) => {
          clearTimeout(timer);
          resolve({ outcome: which(frame)!, frame });
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.label}: no frame with ${what} within ${timeout} ms. Received:\n${this.log.map((f) => `  ${f.slice(0, 300)}`).join("\n")}`));
      }, timeout);
      this.waiters.push(waiter);
    });
  }

  /** Like `next`, but content with a matching frame that an earlier `next` already took. */
  async arrived(match: Match, what = "a matching frame", timeout = FRAME_TIMEOUT_MS): Promise<string> {
    if (this.pending.some(match)) return this.next(match, what, timeout);
    return this.log.find(match) ?? this.next(match, what, timeout);
  }

  /** Watches for `ms` and fails if a frame that matches arrives (or is still untaken). */
  async nothing(match: Match, what = "a matching frame", ms = QUIET_MS): Promise<void> {
    const from = this.log.length;
    expect(this.pending.filter(match), `${this.label} already had ${what}`).toEqual([]);
    await new Promise((r) => setTimeout(r, ms));
    expect(this.log.slice(from).filter(match), `${this.label} received ${what}`).toEqual([]);
  }

  /** Whether any frame received so far matches. */
  saw(match: Match): boolean {
    return this.log.some(match);
  }

  /** Marks a socket shared by several tests: only `closeAllSockets({ kept: true })` closes it. */
  kept = false;
  keep(): this {
    this.kept = true;
    return this;
  }

  /** Closes from this side; `closed()` resolves once the server has answered the close. */
  close(): void {
    if (this.closedWith) return;
    try {
      this.ws.close(1000, "done");
    } catch {
      // already closing
    }
  }

  /** Resolves when the server closes this socket. */
  closed(): Promise<{ code: number; reason: string }> {
    if (this.closedWith) return Promise.resolve(this.closedWith);
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }
}

/** The Worker's answer to a WebSocket handshake, as a browser would send it. */
export function handshake(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request(`https://parley.test${path}`, { headers: { upgrade: "websocket", ...headers }, redirect: "manual" }));
}

/** Opens a socket from a handshake answer; fails with the refusal when the Worker did not upgrade. */
export async function accept(res: Response, label: string): Promise<LiveSocket> {
  if (res.status !== 101 || !res.webSocket) throw new Error(`${label}: expected 101, got ${res.status}: ${await res.text()}`);
  return new LiveSocket(res.webSocket, label);
}

/**
 * Closes every socket a test opened and waits for the closing handshakes, so the Durable Objects
 * have heard of each close before the next test (or the end of the file) begins.
 */
export async function closeAllSockets({ kept = false } = {}): Promise<void> {
  const sockets = [...open].filter((s) => kept || !s.kept);
  for (const socket of sockets) socket.close();
  await Promise.all(sockets.map((s) => Promise.race([s.closed(), new Promise((r) => setTimeout(r, 1_000))])));
}

// What the server's frames mean, by the ids and attributes the views give them.
export const frames = {
  /** A JSON message (a binary frame) of this type. */
  serverMessage: (type: string): Match => (f) => f.startsWith(MESSAGE) && messageOf(f).type === type,
  /** A ring card for this chat, offered live or inside a console snapshot. */
  ring: (chatId: string): Match => (f) => f.includes(`<article id="ring-${chatId}"`),
  /** The ring card of this chat is removed from the console. */
  ringGone: (chatId: string): Match => (f) => f.includes(`id="ring-${chatId}" hx-swap-oob="delete"`),
  /** Any ring card at all. */
  anyRing: ((f) => f.includes('class="ring-card"')) as Match,
  status: (status: string): Match => (f) => f.includes(`data-status="${status}"`),
  error: (text?: string): Match => (f) => f.includes('id="socket-error"') && (text === undefined || f.includes(text)),
  chatOpened: (chatId: string): Match => (f) => f.includes(`id="chat-slot-${chatId}"`),
  /** A message line added to the transcript, with this (already escaped) body. */
  message: (body: string): Match => (f) => f.includes('hx-swap-oob="beforeend:#transcript-') && f.includes(`<p>${body}</p>`),
  typing: (text: string): Match => (f) => f.includes(`<span class="preview">${text}</span>`),
  anyTyping: ((f) => f.includes("is typing:")) as Match,
  notice: (text: string): Match => (f) => f.includes('class="notice') && f.includes(text),
  /** A full snapshot of a chat (sent when a party's socket connects, and on big changes). */
  snapshot: (chatId: string): Match => (f) => f.includes(`id="chat-head-${chatId}"`) && f.includes(`id="controls-${chatId}"`),
  /** The customer's waiting screen with their queue position. */
  queue: (text: string): Match => (f) => f.includes('class="chat-head waiting"') && f.includes(text),
};
