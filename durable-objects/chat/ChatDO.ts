import { DurableObject } from "cloudflare:workers";
import { CachedKv } from "../cached-kv";
import { sha256Hex } from "../../worker/accounts/tokens";
import { answerClose, assertNever, parseChatFrame, type ChatMessage } from "../../worker/live/socket-messages";
import { ChatMedia } from "./media";
import { ChatRecording } from "./recording";
import { ChatRemoteControl } from "./remote-control";
import { TEXT_OFF, textAllowed, type CallsAccess } from "../../worker/calls/media";
import { PARTIES, otherParty, type AgentCard, type AnswerResult, type ChatInit, type EnqueueRequest, type Party, type QueueState } from "../../worker/live/contracts";
import { agentObject, roomObject } from "../../worker/live/stubs";
import { sendFrame, type Frame } from "../../worker/live/socket-frames";
import { ChatInvoices, DEADLINE_PREFIX as INVOICE_DEADLINE, type PayOutcome } from "./invoices";
import type { Invoice } from "../../worker/live/chat-views";
import { ChatBilling } from "./billing";
import { newBilling, type Billing, type RevenueParties } from "../../worker/live/chat-bill";
import type { HoldIntent, HoldResult } from "../../worker/adapters/stripe-holds";
import { enqueueMail } from "../../worker/adapters/mail-queue";
import { finishChatRecord, markChatConnected, type TranscriptLine } from "../../worker/stores/chats";
import { enqueueWebhooks } from "../../worker/adapters/webhook-queue";
import { ChatConference } from "./conference";
import { guestOf, guestSender, joinedGuests, type Conference, type Guest } from "../../worker/live/conference-rules";
import type { ChatHost } from "./host";
import { renderFrame, type ChatFrame } from "./frames";
import { partyNames, senderNames } from "../../worker/live/names";
import type { ChatView } from "../../views/live/ChatFragments";

/** Who holds a socket: the two parties, or an agent the host added to a conference. */
type Attachment = { party: Party | "guest"; userId: string | null };
/**
 * The customer's socket from a payment page (Pay Now, another card): it only keeps the customer
 * present, so paying does not count as being offline, and is sent nothing.
 */
const AWAY = "away";
/** Guests' sockets carry this tag and one naming the guest. */
const GUEST = "guest";
const guestTag = (agentId: string) => `guest:${agentId}`;
type Status = "waiting" | "connected" | "ended";
type EndedBy = "customer" | "agent" | "timeout" | "system";

/** How long a waiting customer's page may be gone (a refresh) before the chat is given up. */
export const WAITING_GRACE_MS = 15_000;
/**
 * How long the customer of a paid room may be away from its price and card pages (3-D Secure at
 * their bank, a reload) before the chat, never queued, is given up and its hold released.
 */
export const CARD_GRACE_MS = 60_000;
/** How long either party may be offline in a connected chat before it ends (spec: 90 s). */
export const OFFLINE_TIMEOUT_MS = 90_000;
/** The meter on both screens updates every 30 seconds (spec). */
export const METER_TICK_MS = 30_000;
/** How long an answer waits for the start of a chat that rang before it was started. */
const START_WAIT_MS = 10_000;
/** When a charge at the end did not finish, the alarm tries again after this long. */
export const SETTLE_RETRY_MS = 20_000;
/** How often a socket frame refreshes the stored evidence that its party is there (the tick always does). */
const EVIDENCE_REFRESH_MS = 1_000;
/**
 * Pages ping every 20 s (static/controllers/heartbeat.js), answered without waking this object.
 * A socket that pinged once and then stopped for this long is a page that is gone without a close
 * (a lost network, a sleeping laptop).
 */
export const SILENT_SOCKET_MS = 60_000;

/** The steps of a chat's end, each done once and taken up again by the alarm after a crash. */
type EndStep = "invoices" | "record" | "free" | "conference";
type Ending = { by: EndedBy; from: Status; at: number; done: EndStep[] };

/**
 * One per chat: the WebSocket hub of its parties (text, typing preview, offline/online notices,
 * reconnection after a refresh). Messages are written to this object's storage before they are
 * relayed, and copied to D1 when the chat ends.
 */
export class ChatDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // `seq` is the rowid, in arrival order. Not AUTOINCREMENT: that writes a second table for
    // every text, to avoid reusing the numbers of deleted rows, and messages are never deleted.
    ctx.storage.sql.exec(
      "create table if not exists messages (seq integer primary key, sender text not null, body text not null, at integer not null)",
    );
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    // A new instance after a crash or a restart has lost the sockets it had, and they sent no
    // close: find the parties that are gone before anything else runs (a no-op after hibernation,
    // whose sockets survive).
    void ctx.blockConcurrencyWhile(() => this.reconcile(Date.now()));
  }

  /** Storage with its values kept in memory: every relayed text and every render reads several. */
  #kv: CachedKv | undefined;
  private get kv() {
    this.#kv ??= new CachedKv(this.ctx.storage.kv);
    return this.#kv;
  }
  private init(): ChatInit | undefined {
    return this.kv.get<ChatInit>("init");
  }
  private status(): Status {
    return this.kv.get<Status>("status") ?? "waiting";
  }
  private setStatus(status: Status): void {
    this.kv.put("status", status);
  }
  private agent(): AgentCard | undefined {
    return this.kv.get<AgentCard>("agent");
  }
  private sockets(party: Party): WebSocket[] {
    return this.ctx.getWebSockets(party);
  }
  /** Whether `party` has a page open (other than `closing`): the chat's, or for the customer a payment page. */
  private present(party: Party, closing?: WebSocket): boolean {
    const open = (ws: WebSocket) => ws !== closing && !this.#silenced.has(ws);
    // The payment pages' sockets are listed only when the chat's own are gone (every text asks).
    return this.sockets(party).some(open) || (party === "customer" && this.ctx.getWebSockets(AWAY).some(open));
  }
  /**
   * Who holds each socket, read once per socket: the attachment is written once, at accept, and
   * decoding it again for every frame was a part of each relayed text's time.
   */
  #attachments = new WeakMap<WebSocket, Attachment>();
  private attachment(ws: WebSocket): Attachment {
    let attachment = this.#attachments.get(ws);
    if (!attachment) this.#attachments.set(ws, (attachment = ws.deserializeAttachment() as Attachment));
    return attachment;
  }

  /** `enqueue`: kept for a chat that goes to its room once the card is authorised (automatic charges). */
  async start(init: ChatInit, enqueue: EnqueueRequest | null): Promise<void> {
    if (this.init()) return;
    this.kv.put("init", init);
    this.setStatus("waiting");
    if (enqueue) this.kv.put("enqueue", enqueue);
    if (init.billing) this.kv.put("billing", newBilling(init.billing));
    if (enqueue) {
      // On the price and card pages first: a customer who never gets further leaves too.
      await this.setDeadline("leave", Date.now() + CARD_GRACE_MS);
      await this.setDeadline("tick", Date.now() + METER_TICK_MS);
    } else {
      await this.queued(Date.now());
    }
    this.#started.resolve();
  }

  /**
   * The chat is in its room's queue: a customer whose page never opens its socket (a form posted
   * by a script, a tab closed at once) leaves the queue after the grace, like one who left. No
   * tick runs while the customer waits, so a waiting page wakes no object (bench/idle-wakeups.mjs):
   * a page that died without a close is found when the chat is next called (its place in the
   * queue, an answer; see lookAtCustomer), and after a restart by the new instance's reconcile.
   */
  private async queued(now: number): Promise<void> {
    if (!this.present("customer")) await this.setDeadline("leave", now + WAITING_GRACE_MS);
    // The price and card pages' tick, if any, ends here.
    this.clearDeadline("tick");
  }

  /** In the room's queue (a chat of a paid room goes there once its card is authorised). */
  private inQueue(): boolean {
    return !this.kv.get("enqueue") || !!this.kv.get<boolean>("enqueued");
  }

  /**
   * A waiting customer's page that stopped pinging is taken as gone since its last ping, and the
   * chat given up if the grace since then is over. False: the customer has left.
   */
  private async lookAtCustomer(now: number): Promise<boolean> {
    await this.reconcile(now);
    const leave = this.deadlines().leave;
    if (this.status() === "waiting" && leave !== undefined && leave <= now && !this.present("customer")) await this.end("customer");
    return this.status() === "waiting";
  }

  /**
   * Resolved by `start`. The room rings agents while the chat is being started (start-chat.ts),
   * so an answer may reach this object first; it waits here, in memory, since a chat being
   * started is not evicted.
   */
  #started = Promise.withResolvers<void>();
  /** Whether the chat has started, waiting up to START_WAIT_MS for a start already under way. */
  private async hasStarted(): Promise<boolean> {
    if (this.init()) return true;
    // The timer is cleared once the start comes: a pending one would keep the object busy.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.#started.promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)))]);
    clearTimeout(timer);
    return !!this.init();
  }

  private billing(): ChatBilling | null {
    const init = this.init();
    if (!init?.billing) return null;
    return new ChatBilling(this.host);
  }

  /** The customer's card: before the chat (the price agreed), or another one after a hold failed ("payment needed"). */
  async authorise(token: string, paymentMethod: string, returnUrl: string): Promise<HoldResult | null> {
    const view = await this.customerView(token);
    const billing = this.billing();
    if (!view || !billing?.needsCard()) return null;
    const result = await billing.authorise(paymentMethod, view.init.customer, returnUrl);
    if (result.status === "authorised") await this.cardAuthorised();
    return result;
  }

  /** Stripe's Payment Element: the hold to confirm in the customer's browser; `create` once the price is agreed. */
  async holdIntent(token: string, create: boolean): Promise<HoldIntent | null> {
    const view = await this.customerView(token);
    const billing = this.billing();
    if (!view || !billing?.needsCard()) return null;
    return billing.holdIntent(view.init.customer, create);
  }

  /** Back from 3-D Secure, or from the Payment Element: Stripe says whether the hold is in place. */
  async authenticated(token: string): Promise<HoldResult | null> {
    const view = await this.customerView(token);
    const billing = this.billing();
    if (!view || !billing?.needsCard()) return null;
    const result = await billing.refreshHold();
    if (result?.status === "authorised") await this.cardAuthorised();
    return result;
  }

  /** A card holds the amount: a waiting chat goes to its room; after "payment needed", charging goes on. */
  private async cardAuthorised(): Promise<void> {
    const status = this.status();
    if (status === "waiting") return this.release();
    const billing = this.kv.get<Billing>("billing")!;
    for (const party of PARTIES) this.send(party, { type: "payment", party, billing });
    if (status === "ended") await this.settle();
    else await this.collect();
  }

  /** Manual payment request: the customer's Pay Now with a card. */
  async payInvoice(token: string, n: number, paymentMethod: string, returnUrl: string): Promise<PayOutcome | null> {
    if (!(await this.customerView(token))) return null;
    return this.invoices().pay(n, paymentMethod, returnUrl);
  }

  /** Stripe's Payment Element: the invoice's PaymentIntent and its client secret, for the customer to pay in the browser. */
  async invoiceIntent(token: string, n: number): Promise<{ invoice: Invoice; clientSecret: string } | null> {
    if (!(await this.customerView(token))) return null;
    return this.invoices().intent(n);
  }

  /** Back from 3-D Secure or from Stripe.js for an invoice (`token`), or a Stripe webhook about its payment (no token). */
  async invoicePaymentChanged(token: string | null, n: number): Promise<PayOutcome | null> {
    if (token !== null && !(await this.customerView(token))) return null;
    return this.invoices().refresh(n);
  }

  /** Sends the chat to its room's queue (once). */
  private async release(): Promise<void> {
    const enqueue = this.kv.get<EnqueueRequest>("enqueue");
    if (!enqueue || this.kv.get<boolean>("enqueued")) return;
    this.kv.put("enqueued", true);
    await this.queued(Date.now());
    await this.room().enqueue(enqueue);
  }

  /** For the customer's page: the chat's public facts, if the token is this chat's. */
  async customerView(token: string): Promise<{ init: ChatInit; status: Status; agent: AgentCard | null; billing: Billing | null } | null> {
    const init = this.init();
    if (!init || (await sha256Hex(token)) !== init.customerTokenHash) return null;
    return { init, status: this.status(), agent: this.agent() ?? null, billing: this.kv.get<Billing>("billing") ?? null };
  }

  /** The WebSocket of one party; the Worker has checked the session or passes the customer's token. */
  override async fetch(request: Request): Promise<Response> {
    const init = this.init();
    if (!init || request.headers.get("upgrade") !== "websocket") return new Response("no such chat", { status: 404 });
    let attachment: { party: Party; userId: string | null };
    const agentId = request.headers.get("x-parley-agent-id");
    if (agentId && this.agent()?.agentId === agentId) {
      attachment = { party: "agent", userId: agentId };
      await this.invoices().permit(agentId);
    } else if (agentId) {
      // A conference guest, also after leaving or the chat's end (to read it back).
      if (!this.conference().guest(agentId)?.joinedAt) return new Response("not your chat", { status: 403 });
      const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
      this.ctx.acceptWebSocket(server, [GUEST, guestTag(agentId)]);
      server.serializeAttachment({ party: GUEST, userId: agentId } satisfies Attachment);
      sendFrame([server], this.render(this.guestView(agentId)));
      return new Response(null, { status: 101, webSocket: client });
    } else {
      const token = request.headers.get("x-parley-customer-token") ?? "";
      if ((await sha256Hex(token)) !== init.customerTokenHash) return new Response("not your chat", { status: 403 });
      attachment = { party: "customer", userId: null };
    }
    const wasOffline = !this.present(attachment.party);
    const away = attachment.party === "customer" && new URL(request.url).searchParams.has("away");
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [away ? AWAY : attachment.party]);
    server.serializeAttachment(attachment);
    // Back first, so that the snapshot shows the meter and the other party as they are now.
    if (wasOffline) this.partyBack(attachment.party);
    if (!away) sendFrame([server], this.render(this.snapshot(attachment.party)));
    this.witness(Date.now(), true);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const { party, userId } = this.attachment(ws);
    const parsed = parseChatFrame(frame);
    if (!parsed.ok) return this.reply(ws, { type: "error", text: parsed.error });
    const message = parsed.message;
    if (party === GUEST) return this.guestMessage(ws, userId!, message);
    this.witness(Date.now(), message.type === "timer");
    const status = this.status();
    switch (message.type) {
      case "text": {
        if (status !== "connected") return this.reply(ws, { type: "error", text: status === "ended" ? "This chat has ended." : "Please wait until you are connected." });
        if (!textAllowed(this.init()!)) return this.reply(ws, { type: "error", text: TEXT_OFF });
        // Written before it is relayed: the output gate holds the sends until the row is durable.
        this.store(party, message.text);
        return;
      }
      case "typing":
        return this.typing(party, message.text);
      case "hangup":
        return this.end(party);
      case "askAll":
        if (party === "customer" && status === "waiting") await this.room().askAll(this.init()!.chatId);
        return;
      case "hangUpAnyway": {
        // The agent gives up a fee the customer's cards could not pay (spec: HANG UP ANYWAY).
        if (party !== "agent" || !this.billing()?.abandon(Date.now())) return this.reply(ws, { type: "error", text: "There is no unpaid bill to give up." });
        if (status === "ended") await this.settle();
        else await this.end("agent");
        return;
      }
      case "timer": {
        const billing = this.billing();
        // Refused on the server too when the room does not give the agent this button.
        if (party !== "agent" || status !== "connected" || !billing?.timer(message.running, Date.now())) {
          return this.reply(ws, { type: "error", text: "The charges timer cannot be changed here." });
        }
        this.sendMeter();
        return;
      }
      case "media": {
        const error = status === "connected" ? this.media().declare(party, message) : "A call can start once you are connected.";
        if (error) return this.reply(ws, { type: "callError", text: error });
        this.sendCallState();
        if (party === "customer") this.remoteControl().screenChanged();
        return;
      }
      case "signal": {
        const result = status === "connected" ? this.media().signal(party, message) : { error: "A call can start once you are connected." };
        if ("error" in result) return this.reply(ws, { type: "callError", text: result.error });
        this.send(otherParty(party), { type: "message", message: result.relay });
        return;
      }
      case "recording":
        return this.recording().handle(ws, party, message.action, Date.now());
      case "remote":
      case "pointer":
      case "ink":
        return this.remoteControl().handle(ws, party, message, Date.now());
      case "invoice":
      case "service":
      case "buyAgain":
        return this.invoices().handle(ws, party, message, Date.now());
      case "invite":
        if (party !== "agent") return this.reply(ws, { type: "error", text: "Only the chat's agent can add agents." });
        return this.conference().invite(ws, message.agentId, Date.now());
      default:
        assertNever(message);
    }
  }

  /** A conference guest talks by text and may leave; the rest of the chat is the host's. */
  private async guestMessage(ws: WebSocket, agentId: string, message: ChatMessage): Promise<void> {
    const status = this.status();
    const present = this.conference().guest(agentId)?.state === "joined";
    if (message.type === "hangup") {
      if (status === "connected" && (await this.conference().leave(ws, agentId, Date.now()))) this.sendGuest(agentId, this.render(this.guestView(agentId)));
      return;
    }
    if (message.type !== "text" && message.type !== "typing") return this.reply(ws, { type: "error", text: "Only the chat's agent can do that." });
    if (status !== "connected" || !present) return message.type === "text" ? this.reply(ws, { type: "error", text: "You are no longer in this chat." }) : undefined;
    if (!textAllowed(this.init()!)) return message.type === "text" ? this.reply(ws, { type: "error", text: TEXT_OFF }) : undefined;
    if (message.type === "text") this.store(guestSender(agentId), message.text);
    else this.typing(guestSender(agentId), message.text);
  }

  /**
   * The last line's seq, read once and then counted here: this object alone writes the transcript
   * and never deletes from it, so the next is the rowid SQLite would give. Reading it back from
   * each insert (`returning`) was a part of every text's time.
   */
  #lastSeq: number | undefined;

  /** Writes a text, then relays it: the output gate holds the sends until the row is durable. */
  private store(sender: string, text: string): void {
    const at = Date.now();
    const seq = (this.#lastSeq ?? this.ctx.storage.sql.exec<{ last: number | null }>("select max(seq) as last from messages").one().last ?? 0) + 1;
    this.ctx.storage.sql.exec("insert into messages (seq, sender, body, at) values (?, ?, ?, ?)", seq, sender, text, at);
    this.#lastSeq = seq;
    this.#noTexts = false;
    this.relay({ seq, sender, body: text, at });
  }

  /** The typing preview goes to everyone but the one typing. */
  private typing(sender: string, text: string): void {
    const init = this.init()!;
    if (this.status() !== "connected" || init.hidePreviewTyping || !textAllowed(init)) return;
    const html = this.render({ type: "typing", text, name: this.senderName(sender) });
    for (const party of PARTIES) if (party !== sender) sendFrame(this.sockets(party), html);
    for (const guest of this.guests()) if (guestSender(guest.agentId) !== sender) this.sendGuest(guest.agentId, html);
  }
  override async webSocketClose(ws: WebSocket): Promise<void> {
    answerClose(ws);
    const { party } = this.attachment(ws);
    // A guest's absence holds nothing up: the chat is the customer's and the host's.
    if (party === GUEST || this.present(party, ws)) return;
    await this.departed(party, Date.now());
  }

  /**
   * The last page of `party` went away at `at`: a close now, or the last evidence of a page that
   * died without one. The meter stops at `at`, and the waiting grace or the offline timeout runs
   * from it. Once per absence: a close that follows a found-dead socket changes nothing.
   */
  private async departed(party: Party, at: number): Promise<void> {
    const status = this.status();
    if (status === "waiting" && party === "customer") {
      await this.setDeadline("leave", at + (this.inQueue() ? WAITING_GRACE_MS : CARD_GRACE_MS));
    } else if (status === "connected" && this.kv.get(`offline:${party}`) === undefined) {
      this.kv.put(`offline:${party}`, at);
      this.billing()?.presence(false, at);
      this.sendMeter();
      this.send(otherParty(party), { type: "notice", text: `${this.nameOf(party)} is offline. Waiting for them to come back…`, tone: "warn" });
      await this.setDeadline(`timeout:${party}`, at + OFFLINE_TIMEOUT_MS);
    }
  }

  /**
   * Stores when each party was last known to hold a page: now, for a party with a socket. Frames
   * refresh it at most every EVIDENCE_REFRESH_MS; `force` (the tick, the meter's changes) always.
   */
  private witness(now: number, force = false): void {
    const seen = this.kv.get<Partial<Record<Party, number>>>("seen") ?? {};
    let next: Partial<Record<Party, number>> | undefined;
    for (const party of PARTIES) {
      if ((force || now - (seen[party] ?? 0) >= EVIDENCE_REFRESH_MS) && seen[party] !== now && this.present(party)) (next ??= { ...seen })[party] = now;
    }
    if (next) this.kv.put("seen", next);
  }

  /**
   * Finds the parties counted present who hold no socket any more (they died with the process, or
   * went silent): each is taken as gone since the last evidence of them. A party never seen (an
   * agent whose chat panel has not opened yet) is left as it is.
   */
  private async reconcile(now: number): Promise<void> {
    const status = this.status();
    if (!this.init() || status === "ended") return;
    this.closeSilent(now);
    const seen = this.kv.get<Partial<Record<Party, number>>>("seen") ?? {};
    for (const party of PARTIES) {
      const at = seen[party];
      if (at === undefined || this.present(party)) continue;
      if (status === "waiting" && (party === "agent" || this.deadlines().leave !== undefined)) continue;
      await this.departed(party, Math.min(at, now));
    }
  }

  /** Closes the sockets whose pages stopped pinging; a party left with none was last seen at its last ping. */
  private closeSilent(now: number): void {
    const lastPing: Partial<Record<Party, number>> = {};
    for (const ws of this.ctx.getWebSockets()) {
      const pinged = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime();
      if (pinged === undefined || now - pinged < SILENT_SOCKET_MS || this.#silenced.has(ws)) continue;
      this.#silenced.add(ws);
      try {
        ws.close(1001, "This page stopped answering.");
      } catch {
        // already closing
      }
      const { party } = this.attachment(ws);
      if (party !== GUEST) lastPing[party] = Math.max(lastPing[party] ?? 0, pinged);
    }
    const seen = this.kv.get<Partial<Record<Party, number>>>("seen") ?? {};
    const next = { ...seen };
    for (const party of PARTIES) {
      const pinged = lastPing[party];
      if (pinged !== undefined && !this.present(party) && (seen[party] ?? 0) > pinged) next[party] = pinged;
    }
    if (next.customer !== seen.customer || next.agent !== seen.agent) this.kv.put("seen", next);
  }
  /** Sockets closed here for silence, which the runtime may still list until their close completes. */
  #silenced = new WeakSet<WebSocket>();

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.webSocketClose(ws);
  }

  private partyBack(party: Party): void {
    const status = this.status();
    if (status === "waiting" && party === "customer") {
      this.clearDeadline("leave");
      return;
    }
    const since = this.kv.get<number>(`offline:${party}`);
    if (status !== "connected" || since === undefined) return;
    this.kv.delete(`offline:${party}`);
    this.clearDeadline(`timeout:${party}`);
    const bothBack = !this.kv.get(`offline:${otherParty(party)}`);
    if (bothBack) {
      this.billing()?.presence(true, Date.now());
      this.sendMeter();
    }
    const other: Party = otherParty(party);
    this.send(other, { type: "notice", text: `${this.nameOf(party)} is back online.`, tone: "ok" });
  }

  /** The room found an agent and the agent claimed the chat. False: the customer left first. */
  async assign(agent: AgentCard): Promise<boolean> {
    if (!(await this.hasStarted())) return false;
    if (this.status() === "waiting" && !(await this.lookAtCustomer(Date.now()))) return false;
    if (this.status() !== "waiting") return this.status() === "connected" && this.agent()?.agentId === agent.agentId;
    this.kv.put("agent", agent);
    this.setStatus("connected");
    this.clearDeadline("leave");
    // A customer whose page was gone when the agent answered is offline from now: the offline
    // timeout runs, and the agent hears when they are back.
    const billing = this.billing();
    billing?.connected(Date.now());
    if (!this.present("customer")) {
      this.kv.put("offline:customer", Date.now());
      billing?.presence(false, Date.now());
      await this.setDeadline("timeout:customer", Date.now() + OFFLINE_TIMEOUT_MS);
    }
    await this.setDeadline("tick", Date.now() + METER_TICK_MS);
    this.witness(Date.now(), true);
    const init = this.init()!;
    // After the commit; the sweep enqueues what a crash here missed.
    await enqueueWebhooks(this.env, await markChatConnected(this.env.DB, init, agent.agentId));
    this.send("customer", () => this.snapshot("customer"));
    return true;
  }

  async queuePosition(queue: QueueState): Promise<void> {
    if (this.status() !== "waiting" || !(await this.lookAtCustomer(Date.now()))) return;
    this.kv.put("queue", queue);
    this.send("customer", { type: "queue", queue });
  }

  /**
   * Hang-up by either party, the offline timeout, or the customer leaving the queue. What the end
   * must do is written first, with a deadline: a crash part-way leaves the rest to the alarm,
   * and every step is done once (the charge has its own deadline and idempotency keys).
   */
  async end(by: EndedBy): Promise<void> {
    const status = this.status();
    if (status === "ended") return;
    const now = Date.now();
    this.setStatus("ended");
    this.kv.put("endedBy", by);
    this.kv.put("ending", { by, from: status, at: now, done: [] } satisfies Ending);
    this.kv.put("deadlines", {});
    await this.finishEnding();
  }

  /** Does the steps of the end not done yet; stops at the first that fails, for the alarm to retry. */
  private async finishEnding(): Promise<void> {
    const ending = this.kv.get<Ending>("ending");
    if (!ending) return;
    await this.setDeadline("end", Date.now() + SETTLE_RETRY_MS);
    const steps: EndStep[] = ["invoices", "record", "free", "conference"];
    for (const step of steps) {
      if (!this.kv.get<Ending>("ending")!.done.includes(step)) {
        try {
          await this.endStep(step, ending);
        } catch (err) {
          console.error("a step of the chat's end broke off; the alarm takes it up again", this.init()!.chatId, step, err);
          return;
        }
        const now = this.kv.get<Ending>("ending")!;
        this.kv.put("ending", { ...now, done: [...now.done, step] });
      }
      // The record is in D1 before the charge, and the charge runs before anyone is told; also
      // on a retry whose record was done before a crash (settling a settled chat does nothing).
      if (step === "record") await this.settle();
    }
    this.kv.delete("ending");
    this.clearDeadline("end");
  }

  private async endStep(step: EndStep, { by, from, at }: Ending): Promise<void> {
    const init = this.init()!;
    const agent = this.agent();
    switch (step) {
      case "invoices":
        return this.invoices().chatEnded();
      case "record": {
        const view = this.billing()?.view(at);
        const meter = view ? { chargeableSeconds: view.chargeableSeconds, amountMinor: view.accruedMinor, currency: view.currency } : null;
        const { mails, events } = await finishChatRecord(this.env.DB, init, from === "waiting" ? "missed" : "ended", by, this.messages(), agent?.agentId ?? null, at, meter);
        // After the commit; a retried step enqueues again, and the queues' consumers send each row once.
        await enqueueWebhooks(this.env, events);
        return enqueueMail(this.env, mails);
      }
      case "free": {
        for (const party of PARTIES) this.send(party, () => this.snapshot(party));
        for (const guest of this.conference().joined()) this.sendGuest(guest.agentId, this.render(this.guestView(guest.agentId)));
        if (from === "waiting") return this.room().cancel(init.chatId);
        if (agent) return this.agentStub(agent.agentId).chatEnded(init.chatId, by, init.wrapUpSeconds);
        return;
      }
      case "conference":
        return this.conference().chatEnded();
      default:
        assertNever(step);
    }
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    await this.reconcile(now);
    this.witness(now, true);
    for (const [name, at] of Object.entries(this.deadlines())) {
      if (at > now) continue;
      // Read again: an earlier handler may have set or cleared deadlines (a re-armed tick must stay).
      const { [name]: due, ...deadlines } = this.kv.get<Record<string, number>>("deadlines") ?? {};
      if (due === undefined) continue;
      this.kv.put("deadlines", deadlines);
      if (name === "leave" && this.status() === "waiting" && !this.present("customer")) await this.end("customer");
      if (name.startsWith("timeout:") && this.status() === "connected") await this.end("timeout");
      // The tick runs while the chat is connected, and on a paid room's price and card pages
      // before it is queued: it watches for pages that died without a close (reconcile, above),
      // and moves the meter on.
      if (name === "tick" && (this.status() === "connected" || (this.status() === "waiting" && !this.inQueue()))) {
        // Re-armed first, so that a crash during a split bill is taken up again by the next tick.
        await this.setDeadline("tick", now + METER_TICK_MS);
        if (this.status() === "connected") await this.collect();
      }
      if (name === "settle") await this.settle();
      if (name === "end") await this.finishEnding();
      if (name.startsWith(INVOICE_DEADLINE)) await this.invoices().deadline(name, now);
    }
    await this.armAlarm();
  }

  /**
   * Charges the ended chat. A "settle" deadline is set first, so that if this object dies during
   * the Stripe calls the alarm finishes the job (with the same idempotency keys).
   */
  private async settle(): Promise<void> {
    const phase = this.billing()?.state?.phase;
    if (!phase || phase === "settled" || phase === "abandoned") return;
    await this.setDeadline("settle", Date.now() + SETTLE_RETRY_MS);
    if (await this.charging((billing) => billing.settle(Date.now(), this.parties()))) this.clearDeadline("settle");
  }

  /** Split bills at a meter tick. */
  private async collect(): Promise<void> {
    if (this.billing()) await this.charging((billing) => billing.tick(Date.now(), this.parties()));
  }

  /**
   * Runs a charging step, then updates both meters, and tells both parties when a card failed
   * ("payment needed"). False when it broke off (Stripe unreachable): the step is stored, and the
   * next tick or the settle deadline takes it up again.
   */
  private async charging(work: (billing: ChatBilling) => Promise<unknown>): Promise<boolean> {
    const billing = this.billing()!;
    const before = billing.state?.phase;
    let done = true;
    try {
      await work(billing);
    } catch (err) {
      done = false;
      console.error("charging the chat broke off; the alarm takes it up again", this.init()!.chatId, err);
    }
    const after = billing.state!;
    if (after.phase === "payment_needed" && before !== "payment_needed") {
      for (const party of PARTIES) this.send(party, { type: "payment", party, billing: after });
    }
    this.sendMeter();
    return done;
  }

  /** Who is paid and who is told when the chat is charged. */
  private parties(): RevenueParties {
    const init = this.init()!;
    return { companyId: init.companyId, agentId: this.agent()?.agentId ?? null, customerEmail: init.customer.email };
  }

  private sendMeter(): void {
    const meter = this.billing()?.view(Date.now());
    if (!meter) return;
    const init = this.init()!;
    const billing = this.kv.get<Billing>("billing")!;
    for (const party of PARTIES) this.send(party, () => ({ type: "meter", party, meter, billing }));
  }

  private deadlines(): Record<string, number> {
    return this.kv.get<Record<string, number>>("deadlines") ?? {};
  }

  private async setDeadline(name: string, at: number): Promise<void> {
    this.kv.put("deadlines", { ...this.deadlines(), [name]: at });
    await this.armAlarm();
  }

  private clearDeadline(name: string): void {
    const { [name]: due, ...deadlines } = this.kv.get<Record<string, number>>("deadlines") ?? {};
    if (due === undefined) return;
    this.kv.put("deadlines", deadlines);
    this.ctx.waitUntil(this.armAlarm());
  }

  private async armAlarm(): Promise<void> {
    const next = Object.values(this.kv.get<Record<string, number>>("deadlines") ?? {}).sort((a, b) => a - b)[0];
    if (next === undefined) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  private media(): ChatMedia {
    return new ChatMedia(this.host);
  }

  private sendCallState(): void {
    const chatId = this.init()!.chatId;
    for (const party of PARTIES) {
      this.send(party, () => ({ type: "call", view: this.media().view(party), peerName: this.nameOf(otherParty(party)) }));
    }
  }

  /**
   * For the Calls proxy: which party holds this proof (the customer's token or the agent's id) in
   * this connected chat, and what that party may touch. Null for anyone else.
   */
  async callsAccess(proof: { customerToken: string } | { agentId: string }): Promise<{ party: Party; access: CallsAccess } | null> {
    const init = this.init();
    if (!init || this.status() !== "connected") return null;
    let party: Party;
    if ("agentId" in proof) {
      if (this.agent()?.agentId !== proof.agentId) return null;
      party = "agent";
    } else {
      if ((await sha256Hex(proof.customerToken)) !== init.customerTokenHash) return null;
      party = "customer";
    }
    return { party, access: this.media().access(party) };
  }

  /** A party's page opened its Calls session: the other party is told where to pull its tracks from. */
  async callsSessionOpened(party: Party, sessionId: string): Promise<void> {
    this.media().setCallsSession(party, sessionId);
    this.sendCallState();
  }

  private invoices(): ChatInvoices {
    return new ChatInvoices(this.host);
  }

  /** True once the transcript was read empty and nothing was written since: most renders are before the first text. */
  #noTexts = false;
  private messages(): TranscriptLine[] {
    if (this.#noTexts) return [];
    const lines = this.ctx.storage.sql.exec<TranscriptLine>("select seq, sender, body, at from messages order by seq").toArray();
    this.#noTexts = lines.length === 0;
    return lines;
  }

  private snapshot(party: Party, lines = this.messages()): ChatFrame {
    const init = this.init()!;
    const view: ChatView = {
      init,
      status: this.status(),
      agent: this.agent() ?? null,
      queue: this.kv.get<QueueState>("queue") ?? null,
      customerOffline: this.status() === "connected" && !this.present("customer"),
      meter: this.billing()?.view(Date.now()) ?? null,
      billing: this.kv.get<Billing>("billing") ?? null,
      endedBy: this.kv.get<EndedBy>("endedBy") ?? null,
      invoices: this.invoices().view(party, Date.now()),
      call: this.media().view(party),
      conference: this.conference().view(),
    };
    return { type: "snapshot", view, party, lines, recording: this.recording().panel(party), remote: this.remoteControl().panel(party) };
  }

  private remoteControl(): ChatRemoteControl {
    return new ChatRemoteControl(this.host);
  }

  private recording(): ChatRecording {
    return new ChatRecording(this.host);
  }

  /** One frame for both parties (and a guest's own copy): the line, and the sender's typing preview cleared. */
  private relay(message: TranscriptLine): void {
    const init = this.init()!;
    const name = this.senderName(message.sender);
    const html = this.render({ type: "line", line: message, name });
    for (const party of PARTIES) sendFrame(this.sockets(party), html);
    const author = guestOf(message.sender);
    for (const guest of this.guests()) {
      this.sendGuest(guest.agentId, guest.agentId === author ? this.render({ type: "line", line: message, name, own: true }) : html);
    }
  }

  /** How `party` is named on the other party's screen. */
  private nameOf(party: Party): string {
    return partyNames(this.init()!, this.agent() ?? null)[party];
  }

  /** How the sender of a stored line is named: a party, or a conference guest. */
  private senderName(sender: string): string {
    const guest = guestOf(sender);
    return guest ? (this.conference().guest(guest)?.name ?? this.init()!.agentRole) : this.nameOf(sender as Party);
  }

  private conferenceState(): Conference {
    return this.kv.get<Conference>("conference") ?? {};
  }

  /** The conference's guests in the chat now, read without building the conference (every relayed text asks). */
  private guests(): Guest[] {
    return joinedGuests(this.conferenceState());
  }

  private conference(): ChatConference {
    return new ChatConference(this.host);
  }

  /** The invited agent joins or declines (from their console's Durable Object). */
  async answerInvite(agentId: string, join: boolean): Promise<AnswerResult> {
    if (!this.init()) return { ok: false, reason: "That chat does not exist." };
    return this.conference().answer(agentId, join, Date.now());
  }

  private guestView(agentId: string): ChatFrame {
    const init = this.init()!;
    const conference = this.conference().view();
    const guest = this.conference().guest(agentId)!;
    const names = senderNames(init, this.agent() ?? null, conference.guests);
    return { type: "guestSnapshot", view: { init, status: this.status(), conference, guest, names }, lines: this.messages(), own: guestSender(agentId) };
  }

  private sendGuest(agentId: string, html: Frame): void {
    sendFrame(this.ctx.getWebSockets(guestTag(agentId)), html);
  }

  /**
   * What the ChatDO lends its slices (host.ts): made once per instance, every method reads the
   * storage afresh. A slice's frames are rendered here (frames.ts), only when someone will see them.
   */
  private readonly host: ChatHost = {
    env: this.env,
    kv: this.kv,
    init: () => this.init()!,
    status: () => this.status(),
    agent: () => this.agent() ?? null,
    names: () => partyNames(this.init()!, this.agent() ?? null),
    send: (party, frame) => this.send(party, frame),
    sendAll: (frame) => {
      this.send("customer", () => frame("customer"));
      this.send("agent", () => frame("agent"));
      const guests = this.ctx.getWebSockets(GUEST);
      if (guests.length) sendFrame(guests, this.render(frame("guest")));
    },
    reply: (ws, frame) => this.reply(ws, frame),
    setDeadline: (name, at) => this.setDeadline(name, at),
    clearDeadline: (name) => this.clearDeadline(name),
  };

  /** A frame for a party's sockets; one given as a function is made only when someone is there to see it. */
  private send(party: Party, frame: ChatFrame | (() => ChatFrame)): void {
    const sockets = this.sockets(party);
    if (sockets.length) sendFrame(sockets, this.render(typeof frame === "function" ? frame() : frame));
  }

  /** To the one socket a frame came from (a refusal). */
  private reply(ws: WebSocket, frame: ChatFrame): void {
    sendFrame([ws], this.render(frame));
  }

  private render(frame: ChatFrame): Frame {
    return renderFrame(this.init()!, frame);
  }

  private room() {
    return roomObject(this.env, this.init()!.roomKey);
  }

  private agentStub(agentId: string) {
    return agentObject(this.env, agentId);
  }
}
