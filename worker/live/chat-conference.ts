import { and, eq } from "drizzle-orm";
import { openDb } from "../stores/db";
import { chatGuests, users } from "../db/schema";
import { socketError } from "../../views/live/ConsoleFragments";
import { notice } from "../../views/live/ChatFragments";
import { conferenceBar, type ConferenceInvite, type ConferenceView, type ConferenceViewer } from "../../views/live/ConferenceFragments";
import { answerStep, inviteStep, invitedGuests, joinedGuests, leaveStep, type Conference, type ConferenceContext, type Guest, type Invitee } from "./conference-rules";
import type { AgentCard, AnswerResult, ChatInit } from "./types";

// A chat's conference, kept in the ChatDO's storage under one key: the host invites colleagues,
// each invited agent's console offers Join / Decline, a guest may leave. Every change is written
// to storage and to D1 (chat_guests, which lets a guest open the chat) before anyone hears of it.

/** What the conference asks of an agent's Durable Object. */
export type GuestConsole = {
  invite(invite: ConferenceInvite): Promise<boolean>;
  inviteWithdrawn(chatId: string): Promise<void>;
  chatEnded(chatId: string, endedBy: "customer" | "agent" | "timeout" | "system", wrapUpSeconds: number | null): Promise<void>;
};

export type ConferenceDeps = {
  d1: D1Database;
  init: ChatInit;
  get: () => Conference | undefined;
  put: (conference: Conference) => void;
  connected: () => boolean;
  host: () => AgentCard | null;
  /** Sends to the customer, the host and the joined guests, each its own rendering. */
  sendAll: (render: (viewer: ConferenceViewer) => string) => void;
  sendHost: (html: string) => void;
  console: (agentId: string) => GuestConsole;
};

export class ChatConference {
  constructor(private readonly deps: ConferenceDeps) {}

  private state(): Conference {
    return this.deps.get() ?? {};
  }

  guest(agentId: string): Guest | undefined {
    return this.state()[agentId];
  }

  joined(): Guest[] {
    return joinedGuests(this.state());
  }

  view(): ConferenceView {
    const { init } = this.deps;
    return {
      chatId: init.chatId,
      enabled: init.conference === true,
      connected: this.deps.connected(),
      hostName: this.deps.host()?.name ?? init.agentRole,
      guests: Object.values(this.state()),
    };
  }

  /** The host's Invite. */
  async invite(ws: WebSocket, agentId: string, now: number): Promise<void> {
    const { init } = this.deps;
    const step = inviteStep(this.state(), await this.colleague(agentId), this.context(now));
    if ("error" in step) return ws.send(socketError(step.error));
    const host = this.deps.host()!;
    this.deps.put(step.conference);
    await openDb(this.deps.d1)
      .insert(chatGuests)
      .values({ chatId: init.chatId, userId: agentId, invitedBy: host.agentId, invitedAt: now })
      .onConflictDoUpdate({ target: [chatGuests.chatId, chatGuests.userId], set: { invitedBy: host.agentId, invitedAt: now, joinedAt: null, leftAt: null } });
    const reached = await this.deps.console(agentId).invite({
      chatId: init.chatId,
      roomKey: init.roomKey,
      roomName: init.roomName,
      hostName: host.name,
      customerName: init.customer.name ?? "a customer",
    });
    if (!reached) {
      // Nobody at that console to answer: the invitation is withdrawn at once.
      const declined = answerStep(this.state(), agentId, false, this.context(now));
      if (!("error" in declined)) this.deps.put(declined.conference);
      ws.send(socketError(`${step.guest.name} is not at their console right now.`));
    }
    this.tellBar();
  }

  /** The invited agent's Join or Decline, from their console (its Durable Object). */
  async answer(agentId: string, join: boolean, now: number): Promise<AnswerResult> {
    const step = answerStep(this.state(), agentId, join, this.context(now));
    if ("error" in step) return { ok: false, reason: step.error };
    this.deps.put(step.conference);
    if (join) {
      await this.stamp(agentId, { joinedAt: now });
      this.tellAll(`${step.guest.name} joined the chat.`, "ok");
    } else {
      this.deps.sendHost(notice(this.deps.init.chatId, `${step.guest.name} declined to join.`, "info"));
    }
    this.tellBar();
    return { ok: true };
  }

  /** A guest's Leave: the chat goes on between the others. */
  async leave(ws: WebSocket, agentId: string, now: number): Promise<boolean> {
    const step = leaveStep(this.state(), agentId);
    if ("error" in step) {
      ws.send(socketError(step.error));
      return false;
    }
    this.deps.put(step.conference);
    await this.stamp(agentId, { leftAt: now });
    this.tellAll(`${step.guest.name} left the chat.`, "info");
    this.tellBar();
    await this.deps.console(agentId).chatEnded(this.deps.init.chatId, "agent", this.deps.init.wrapUpSeconds);
    return true;
  }

  /** The chat ended: guests' consoles are freed and open invitations withdrawn. */
  async chatEnded(): Promise<void> {
    const { init } = this.deps;
    const conference = this.state();
    await Promise.all([
      ...joinedGuests(conference).map((g) => this.deps.console(g.agentId).chatEnded(init.chatId, "system", init.wrapUpSeconds)),
      ...invitedGuests(conference).map((g) => this.deps.console(g.agentId).inviteWithdrawn(init.chatId)),
    ]);
  }

  private context(now: number): ConferenceContext {
    return { enabled: this.deps.init.conference === true, connected: this.deps.connected(), hostId: this.deps.host()?.agentId ?? null, now };
  }

  /** An active agent of the chat's company, or null. */
  private async colleague(agentId: string): Promise<Invitee | null> {
    const row = await openDb(this.deps.d1)
      .select({ agentId: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.id, agentId), eq(users.companyId, this.deps.init.companyId), eq(users.isAgent, true), eq(users.disabled, false)))
      .get();
    return row ?? null;
  }

  private async stamp(agentId: string, at: { joinedAt: number } | { leftAt: number }): Promise<void> {
    await openDb(this.deps.d1)
      .update(chatGuests)
      .set(at)
      .where(and(eq(chatGuests.chatId, this.deps.init.chatId), eq(chatGuests.userId, agentId)));
  }

  private tellAll(text: string, tone: "ok" | "info"): void {
    const html = notice(this.deps.init.chatId, text, tone);
    this.deps.sendAll(() => html);
  }

  private tellBar(): void {
    const view = this.view();
    this.deps.sendAll((viewer) => conferenceBar(view, viewer));
  }
}
