import type { RemoteControlView } from "../../views/live/RemoteControlFragments";
import { activeGrant, badPoints, inkStep, NO_REMOTE, remoteRefusal, type RemoteContext, type RemoteMessage, type RemoteState, type Stroke } from "../../worker/calls/remote-control";
import { PARTIES, type Party } from "../../worker/live/contracts";
import type { ChatHost } from "./host";
import { ChatMedia } from "./media";

// A chat's remote control, kept in the ChatDO's storage: the customer's grant (for the screen
// track they share), the customer's screen as last seen, and the agent's strokes, one key each so
// that a chunk of ink rewrites one line only. Ink is stored before it is relayed, so a refreshed
// page gets the drawing back from its snapshot; pointer moves are only relayed.


const STATE = "remote";
const strokeKey = (i: number) => `remote:stroke:${i}`;

export class ChatRemoteControl {
  constructor(private readonly host: ChatHost) {}

  /** The customer's shared screen track, as their page last declared it. */
  private customerScreen(): string | null {
    return new ChatMedia(this.host).party("customer")?.tracks.find((t) => t.kind === "screen")?.name ?? null;
  }

  private state(): RemoteState {
    return this.host.kv.get<RemoteState>(STATE) ?? NO_REMOTE;
  }

  private enabled(): boolean {
    return this.host.init().call?.buttons.remoteControl === true;
  }

  private context(party: Party): RemoteContext {
    return { party, enabled: this.enabled(), connected: this.host.status() === "connected", screen: this.customerScreen() };
  }

  private strokes(count: number): Stroke[] {
    return Array.from({ length: count }, (_, i) => this.host.kv.get<Stroke>(strokeKey(i))!).filter(Boolean);
  }

  /** Forgets every line (a grant ended, or the agent's Clear). */
  private erase(state: RemoteState): void {
    for (let i = 0; i < state.strokes; i++) this.host.kv.delete(strokeKey(i));
  }

  handle(ws: WebSocket, party: Party, message: RemoteMessage, now: number): void {
    const state = this.state();
    const refuse = (text: string) => this.host.reply(ws, { type: "error", text });
    const refusal = remoteRefusal(message.type === "remote" ? message.action : message.type, state.grant, this.context(party));
    if (refusal) return refuse(refusal);
    const { customer, agent } = this.host.names();
    switch (message.type) {
      case "pointer": {
        const bad = message.point && badPoints(message.point);
        if (bad) return refuse(bad);
        this.host.send("customer", { type: "message", message: { type: "remote.pointer", point: message.point } });
        return;
      }
      case "ink": {
        const last = state.strokes ? (this.host.kv.get<Stroke>(strokeKey(state.strokes - 1)) ?? null) : null;
        const step = inkStep(last, state.strokes, message);
        if ("error" in step) {
          refuse(step.error);
          // The agent's page drew the refused ink already: the panel brings back the stored drawing.
          const panel = this.panel("agent");
          if (panel) this.host.send("agent", { type: "remoteControl", view: panel });
          return;
        }
        this.host.kv.put(strokeKey(step.index), step.stroke);
        if (step.index === state.strokes) this.host.kv.put(STATE, { ...state, strokes: state.strokes + 1 });
        this.host.send("customer", { type: "message", message: { type: "remote.ink", index: step.index, color: step.stroke.color, points: message.points } });
        return;
      }
      case "remote":
        switch (message.action) {
          case "grant": {
            // remoteRefusal made sure the customer shares a screen.
            const screen = this.customerScreen()!;
            this.erase(state);
            this.host.kv.put(STATE, { grant: { screen, grantedAt: now }, screen, strokes: 0 });
            this.tell({ customer: `You let ${agent} point and draw on your shared screen.`, agent: `${customer} lets you point and draw on their shared screen.` }, "ok");
            break;
          }
          case "revoke":
            this.erase(state);
            this.host.kv.put(STATE, { ...state, grant: null, strokes: 0 });
            this.tell({ customer: "You took back control of your screen.", agent: `${customer} took back control of their screen.` }, "info");
            break;
          case "clear":
            this.erase(state);
            this.host.kv.put(STATE, { ...state, strokes: 0 });
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
    const screen = this.customerScreen();
    if (!this.enabled() || screen === state.screen) return;
    const ended = state.grant !== null && state.grant.screen !== screen;
    if (ended) this.erase(state);
    this.host.kv.put(STATE, ended ? { grant: null, screen, strokes: 0 } : { ...state, screen });
    if (ended) {
      const customer = this.host.names().customer;
      this.tell({ customer: "Pointing and drawing ended: you stopped sharing your screen.", agent: `Pointing and drawing ended: ${customer} stopped sharing their screen.` }, "info");
    }
    this.sendPanels();
  }

  /** What `party` sees of remote control (its chat snapshot carries it); null outside a connected chat of a room with the button. */
  panel(party: Party): RemoteControlView | null {
    if (!this.enabled() || this.host.status() !== "connected") return null;
    const state = this.state();
    const ctx = this.context(party);
    const grant = activeGrant(state.grant, ctx);
    return {
      chatId: this.host.init().chatId,
      party,
      sharing: ctx.screen !== null,
      granted: grant !== null,
      strokes: grant ? this.strokes(state.strokes) : [],
      names: this.host.names(),
    };
  }

  private sendPanels(): void {
    for (const party of PARTIES) {
      const panel = this.panel(party);
      if (panel) this.host.send(party, { type: "remoteControl", view: panel });
    }
  }

  /** Each party in its own words: the customer reads about their own screen. */
  private tell(text: Record<"customer" | "agent", string>, tone: "ok" | "info"): void {
    for (const party of PARTIES) this.host.send(party, { type: "notice", text: text[party], tone });
  }
}
