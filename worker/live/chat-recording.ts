import { auditInsert } from "../stores/audit";
import { openDb } from "../stores/db";
import { recordingConsents } from "../db/schema";
import { socketError } from "../../views/live/ConsoleFragments";
import { notice } from "../../views/live/ChatFragments";
import { recordingPanel } from "../../views/live/RecordingFragments";
import { recordingStep, type RecordingAction, type RecordingState } from "./recording-rules";
import type { ChatInit } from "./types";

// A chat's recording consent and recorder state, kept in the ChatDO's storage under one key.
// The customer's answer is written there and to D1 (with an audit event) before either party
// hears of it; the recordings themselves are made and uploaded by the agent's browser.

type Party = "customer" | "agent";

export type RecordingDeps = {
  d1: D1Database;
  init: ChatInit;
  get: () => RecordingState | undefined;
  put: (state: RecordingState) => void;
  status: () => "waiting" | "connected" | "ended";
  agentId: () => string | null;
  /** How each party is named on the other's screen. */
  names: () => Record<Party, string>;
  send: (party: Party, html: string) => void;
};

export class ChatRecording {
  constructor(private readonly deps: RecordingDeps) {}

  async handle(ws: WebSocket, party: Party, action: RecordingAction, now: number): Promise<void> {
    const { init, status } = this.deps;
    const before = this.deps.get() ?? null;
    const step = recordingStep(before, action, { party, enabled: init.recording === true, connected: status() === "connected", now });
    if ("error" in step) return ws.send(socketError(step.error));
    const state = step.state;
    this.deps.put(state);
    if (action === "allow" || action === "refuse") await this.saveAnswer(state);
    const names = this.deps.names();
    if (action === "allow") this.tellBoth(`${names.customer} allowed this chat to be recorded.`, "ok");
    if (action === "refuse") this.tellBoth(`${names.customer} refused recording. This chat will not be recorded.`, "warn");
    // The agent's own recorder draws its controls; the agent's panel changes only with the consent.
    if (before?.consent !== state.consent) this.deps.send("agent", this.panel("agent"));
    this.deps.send("customer", this.panel("customer"));
  }

  /** The recording panel for `party`, as its chat snapshot carries it. */
  panel(party: Party): string {
    const { init, status, names } = this.deps;
    return recordingPanel({ chatId: init.chatId, party, enabled: init.recording === true, status: status(), state: this.deps.get() ?? null, names: names() });
  }

  private tellBoth(text: string, tone: "ok" | "warn"): void {
    for (const party of ["customer", "agent"] as const) this.deps.send(party, notice(this.deps.init.chatId, text, tone));
  }

  private async saveAnswer(state: RecordingState): Promise<void> {
    const { init } = this.deps;
    const agentId = this.deps.agentId()!;
    const answer = state.consent === "allowed" ? "allowed" : "refused";
    const db = openDb(this.deps.d1);
    await db.batch([
      db
        .insert(recordingConsents)
        .values({ chatId: init.chatId, agentId, answer, askedAt: state.askedAt, answeredAt: state.answeredAt! })
        .onConflictDoNothing(),
      // The customer is anonymous: the event names the agent who asked.
      auditInsert(db, { companyId: init.companyId, userId: null, action: `recording.${answer}`, subject: init.chatId, detail: { agentId } }),
    ]);
  }
}
