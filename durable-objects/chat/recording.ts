import { saveRecordingConsent } from "../../worker/stores/recording-consents";
import type { RecordingPanelView } from "../../views/live/RecordingFragments";
import { recordingStep, type RecordingAction, type RecordingState } from "../../worker/live/recording-rules";
import { PARTIES, type Party } from "../../worker/live/contracts";
import type { ChatHost } from "./host";

// A chat's recording consent and recorder state, kept in the ChatDO's storage under one key.
// The customer's answer is written there and to D1 (with an audit event) before either party
// hears of it; the recordings themselves are made and uploaded by the agent's browser.

const STATE = "recording";

export class ChatRecording {
  constructor(private readonly host: ChatHost) {}

  async handle(ws: WebSocket, party: Party, action: RecordingAction, now: number): Promise<void> {
    const init = this.host.init();
    const before = this.host.kv.get<RecordingState>(STATE) ?? null;
    const step = recordingStep(before, action, { party, enabled: init.recording === true, connected: this.host.status() === "connected", now });
    if ("error" in step) return this.host.reply(ws, { type: "error", text: step.error });
    const state = step.state;
    this.host.kv.put(STATE, state);
    if (action === "allow" || action === "refuse") await this.saveAnswer(state);
    const names = this.host.names();
    if (action === "allow") this.tellBoth(`${names.customer} allowed this chat to be recorded.`, "ok");
    if (action === "refuse") this.tellBoth(`${names.customer} refused recording. This chat will not be recorded.`, "warn");
    // The agent's own recorder draws its controls; the agent's panel changes only with the consent.
    if (before?.consent !== state.consent) this.host.send("agent", { type: "recording", view: this.panel("agent") });
    this.host.send("customer", { type: "recording", view: this.panel("customer") });
  }

  /** The recording panel for `party`, as its chat snapshot carries it. */
  panel(party: Party): RecordingPanelView {
    const init = this.host.init();
    return { chatId: init.chatId, party, enabled: init.recording === true, status: this.host.status(), state: this.host.kv.get<RecordingState>(STATE) ?? null, names: this.host.names() };
  }

  private tellBoth(text: string, tone: "ok" | "warn"): void {
    for (const party of PARTIES) this.host.send(party, { type: "notice", text, tone });
  }

  private async saveAnswer(state: RecordingState): Promise<void> {
    const init = this.host.init();
    await saveRecordingConsent(this.host.env.DB, {
      chatId: init.chatId,
      companyId: init.companyId,
      agentId: this.host.agent()!.agentId,
      answer: state.consent === "allowed" ? "allowed" : "refused",
      askedAt: state.askedAt,
      answeredAt: state.answeredAt!,
    });
  }
}
