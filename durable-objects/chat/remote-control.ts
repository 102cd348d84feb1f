import { socketError } from "../../views/live/ConsoleFragments";
import { notice } from "../../views/live/ChatParts";
import { remoteControlState } from "../../views/live/RemoteControlFragments";
import { activeGrant, badPoints, inkStep, NO_REMOTE, remoteRefusal, type RemoteContext, type RemoteMessage, type RemoteState, type Stroke } from "../../worker/calls/remote-control";
import type { ChatInit } from "../../worker/live/contracts";
import { messageFrame, type Frame } from "../../worker/live/socket-frames";

// A chat's remote control, kept in the ChatDO's storage: the customer's grant (for the screen
// track they share), the customer's screen as last seen, and the agent's strokes, one key each so
// that a chunk of ink rewrites one line only. Ink is stored before it is relayed, so a refreshed
// page gets the drawing back from its snapshot; pointer moves are only relayed.

type Party = "customer" | "agent";
type Kv = DurableObjectStorage["kv"];

export type RemoteControlDeps = {
  kv: Kv;
  init: ChatInit;
  status: () => "waiting" | "connected" | "ended";
  /** The customer's shared screen track, as their page last declared it. */
  customerScreen: () => string | null;
  /** How each party is named on the other's screen. */
  names: () => Record<Party, string>;
  send: (party: Party, frame: Frame) => void;
};

const STATE = "remote";
const strokeKey = (i: number) => `remote:stroke:${i}`;

export class ChatRemoteControl {
  constructor(private readonly deps: RemoteControlDeps) {}

  private state(): RemoteState {
    return this.deps.kv.get<RemoteState>(STATE) ?? NO_REMOTE;
  }

  private enabled(): boolean {
    return this.deps.init.call?.buttons.remoteControl === true;
  }

  private context(party: Party): RemoteContext {
    return { party, enabled: this.enabled(), connected: this.deps.status() === "connected", screen: this.deps.customerScreen() };
  }

  private strokes(count: number): Stroke[] {
    return Array.from({ length: count }, (_, i) => this.deps.kv.get<Stroke>(strokeKey(i))!).filter(Boolean);
  }

  /** Forgets every line (a grant ended, or the agent's Clear). */
  private erase(state: RemoteState): void {
    for (let i = 0; i < state.strokes; i++) this.deps.kv.delete(strokeKey(i));
  }

  handle(ws: WebSocket, party: Party, message: RemoteMessage, now: number): void {
    const state = this.state();
    const refuse = (text: string) => ws.send(socketError(text));
    const refusal = remoteRefusal(message.type === "remote" ? message.action : message.type, state.grant, this.context(party));
    if (refusal) return refuse(refusal);
    const { customer, agent } = this.deps.names();
    switch (message.type) {
      case "pointer": {
        const bad = message.point && badPoints(message.point);
        if (bad) return refuse(bad);
        this.deps.send("customer", messageFrame({ type: "remote.pointer", point: message.point }));
        return;
      }
      case "ink": {
        const last = state.strokes ? (this.deps.kv.get<Stroke>(strokeKey(state.strokes - 1)) ?? null) : null;
        const step = inkStep(last, state.strokes, message);
        if ("error" in step) {
          refuse(step.error);
          // The agent's page drew the refused ink already: the panel brings back the stored drawing.
          this.deps.send("agent", this.panel("agent"));
          return;
        }
        this.deps.kv.put(strokeKey(step.index), step.stroke);
        if (step.index === state.strokes) this.deps.kv.put(STATE, { ...state, strokes: state.strokes + 1 });
        this.deps.send("customer", messageFrame({ type: "remote.ink", index: step.index, color: step.stroke.color, points: message.points }));
        return;
      }
      case "remote":
        switch (message.action) {
          case "grant": {
            // remoteRefusal made sure the customer shares a screen.
            const screen = this.deps.customerScreen()!;
            this.erase(state);
            this.deps.kv.put(STATE, { grant: { screen, grantedAt: now }, screen, strokes: 0 });
            this.tell({ customer: `You let ${agent} point and draw on your shared screen.`, agent: `${customer} lets you point and draw on their shared screen.` }, "ok");
            break;
          }
          case "revoke":
            this.erase(state);
            this.deps.kv.put(STATE, { ...state, grant: null, strokes: 0 });
            this.tell({ customer: "You took back control of your screen.", agent: `${customer} took back control of their screen.` }, "info");
            break;
          case "clear":
            this.erase(state);
            this.deps.kv.put(STATE, { ...state, strokes: 0 });
            break;
        }
        this.sendPanels();
        return;
    }
  }

  /**
   * The customer's page declared what it sends: a screen share that started shows the grant
   * button, and one that stopped (or was replaced) ends the grant and its drawing.
   */
  screenChanged(): void {
    const state = this.state();
    const screen = this.deps.customerScreen();
    if (!this.enabled() || screen === state.screen) return;
    const ended = state.grant !== null && state.grant.screen !== screen;
    if (ended) this.erase(state);
    this.deps.kv.put(STATE, ended ? { grant: null, screen, strokes: 0 } : { ...state, screen });
    if (ended) {
      const customer = this.deps.names().customer;
      this.tell({ customer: "Pointing and drawing ended: you stopped sharing your screen.", agent: `Pointing and drawing ended: ${customer} stopped sharing their screen.` }, "info");
    }
    this.sendPanels();
  }

  /** What `party` sees of remote control (its chat snapshot carries it); empty outside a connected chat of a room with the button. */
  panel(party: Party): string {
    if (!this.enabled() || this.deps.status() !== "connected") return "";
    const state = this.state();
    const ctx = this.context(party);
    const grant = activeGrant(state.grant, ctx);
    return remoteControlState({
      chatId: this.deps.init.chatId,
      party,
      sharing: ctx.screen !== null,
      granted: grant !== null,
      strokes: grant ? this.strokes(state.strokes) : [],
      names: this.deps.names(),
    });
  }

  private sendPanels(): void {
    for (const party of ["customer", "agent"] as const) {
      const panel = this.panel(party);
      if (panel) this.deps.send(party, panel);
    }
  }

  /** Each party in its own words: the customer reads about their own screen. */
  private tell(text: Record<"customer" | "agent", string>, tone: "ok" | "info"): void {
    for (const party of ["customer", "agent"] as const) this.deps.send(party, notice(this.deps.init.chatId, text[party], tone));
  }
}
