import { findColleague } from "../../worker/stores/agents";
import { saveInvitation, stampGuest } from "../../worker/stores/chat-guests";
import { openDb } from "../../worker/stores/db";
import type { ConferenceView } from "../../views/live/ConferenceFragments";
import { answerStep, inviteStep, invitedGuests, joinedGuests, leaveStep, type Conference, type ConferenceContext, type Guest, type Invitee } from "../../worker/live/conference-rules";
import type { AnswerResult } from "../../worker/live/contracts";
import { agentObject } from "../../worker/live/stubs";
import type { ChatHost } from "./host";

// A chat's conference, kept in the ChatDO's storage under one key: the host invites colleagues,
// each invited agent's console offers Join / Decline, a guest may leave. Every change is written
// to storage and to D1 (chat_guests, which lets a guest open the chat) before anyone hears of it.

const STATE = "conference";

export class ChatConference {
  constructor(private readonly host: ChatHost) {}

  private state(): Conference {
    return this.host.kv.get<Conference>(STATE) ?? {};
  }

  private put(conference: Conference): void {
    this.host.kv.put(STATE, conference);
  }

  private connected(): boolean {
    return this.host.status() === "connected";
  }

  /** An agent's console (their Durable Object), which offers and withdraws invitations. */
  private console(agentId: string) {
    return agentObject(this.host.env, agentId);
  }

  guest(agentId: string): Guest | undefined {
    return this.state()[agentId];
  }

  joined(): Guest[] {
    return joinedGuests(this.state());
  }

  view(): ConferenceView {
    const init = this.host.init();
    return {
      chatId: init.chatId,
      enabled: init.conference === true,
      connected: this.connected(),
      hostName: this.host.agent()?.name ?? init.agentRole,
      guests: Object.values(this.state()),
    };
  }

  /** The host's Invite. */
  async invite(ws: WebSocket, agentId: string, now: number): Promise<void> {
    const init = this.host.init();
    const step = inviteStep(this.state(), await this.colleague(agentId), this.context(now));
    if ("error" in step) return this.host.reply(ws, { type: "error", text: step.error });
    const host = this.host.agent()!;
    this.put(step.conference);
    await saveInvitation(this.host.env.DB, init.chatId, agentId, host.agentId, now);
    const reached = await this.console(agentId).invite({
      chatId: init.chatId,
      roomKey: init.roomKey,
      roomName: init.roomName,
      hostName: host.name,
      customerName: init.customer.name ?? "a customer",
    });
    if (!reached) {
      // Nobody at that console to answer: the invitation is withdrawn at once.
      const declined = answerStep(this.state(), agentId, false, this.context(now));
      if (!("error" in declined)) this.put(declined.conference);
      this.host.reply(ws, { type: "error", text: `${step.guest.name} is not at their console right now.` });
    }
    this.tellBar();
  }

  /** The invited agent's Join or Decline, from their console (its Durable Object). */
  async answer(agentId: string, join: boolean, now: number): Promise<AnswerResult> {
    const step = answerStep(this.state(), agentId, join, this.context(now));
    if ("error" in step) return { ok: false, reason: step.error };
    this.put(step.conference);
    if (join) {
      await this.stamp(agentId, { joinedAt: now });
      this.tellAll(`${step.guest.name} joined the chat.`, "ok");
    } else {
      this.host.send("agent", { type: "notice", text: `${step.guest.name} declined to join.`, tone: "info" });
    }
    this.tellBar();
    return { ok: true };
  }

  /** A guest's Leave: the chat goes on between the others. */
  async leave(ws: WebSocket, agentId: string, now: number): Promise<boolean> {
    const step = leaveStep(this.state(), agentId);
    if ("error" in step) {
      this.host.reply(ws, { type: "error", text: step.error });
      return false;
    }
    this.put(step.conference);
    await this.stamp(agentId, { leftAt: now });
    this.tellAll(`${step.guest.name} left the chat.`, "info");
    this.tellBar();
    await this.console(agentId).chatEnded(this.host.init().chatId, "agent", this.host.init().wrapUpSeconds);
    return true;
  }

  /** The chat ended: guests' consoles are freed and open invitations withdrawn. */
  async chatEnded(): Promise<void> {
    const init = this.host.init();
    const conference = this.state();
    await Promise.all([
      ...joinedGuests(conference).map((g) => this.console(g.agentId).chatEnded(init.chatId, "system", init.wrapUpSeconds)),
      ...invitedGuests(conference).map((g) => this.console(g.agentId).inviteWithdrawn(init.chatId)),
    ]);
  }

  private context(now: number): ConferenceContext {
    return { enabled: this.host.init().conference === true, connected: this.connected(), hostId: this.host.agent()?.agentId ?? null, now };
  }

  /** An active agent of the chat's company, or null. */
  private async colleague(agentId: string): Promise<Invitee | null> {
    return (await findColleague(openDb(this.host.env.DB), this.host.init().companyId, agentId)) ?? null;
  }

  private async stamp(agentId: string, at: { joinedAt: number } | { leftAt: number }): Promise<void> {
    await stampGuest(this.host.env.DB, this.host.init().chatId, agentId, at);
  }

  private tellAll(text: string, tone: "ok" | "info"): void {
    this.host.sendAll(() => ({ type: "notice", text, tone }));
  }

  private tellBar(): void {
    const view = this.view();
    this.host.sendAll((viewer) => ({ type: "conference", view, viewer }));
  }
}
