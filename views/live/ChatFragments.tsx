import type { TranscriptLine } from "../../worker/stores/chats";
import { formatMoney, minimumChargeMinor } from "../../worker/billing/currency";
import type { AgentCard, ChatInit, QueueState } from "../../worker/live/contracts";
import { billOf, type Bill, type Billing, type MeterView } from "../../worker/live/chat-bill";
import { cardFailureText, failedBecause } from "../../worker/billing/card-failures";
import { minutesSeconds } from "../../worker/format/clock";
import { toHtml } from "./render";
import { InvoicePanel } from "./InvoiceFragments";
import type { InvoicesView } from "../../worker/live/chat-views";
import type { CallView } from "../../worker/live/chat-views";
import { CallPanel } from "./CallFragments";
import { TEXT_OFF, textAllowed } from "../../worker/calls/media";
import { ConferenceBar, type ConferenceView } from "./ConferenceFragments";
import { BillLines, Receipt } from "./BillFragments";
import { Avatar, Composer, Line, Notice, escapeHtml, lineHtml, notice } from "./ChatParts";
import type { Party } from "../../worker/live/contracts";
import { partyNames, senderNames } from "../../worker/live/names";
import { RatingSlot } from "../ChatRating";
import { TranscriptSlot } from "../ChatTranscript";
import { customerChatCss } from "../../worker/http/page-assets";

// Fragments the ChatDO sends to the two parties of a chat. Every id carries the chat id, since
// an agent's console shows several chats at once.

export type ChatView = {
  init: ChatInit;
  status: "waiting" | "connected" | "ended";
  agent: AgentCard | null;
  /** The queue as the room last told it (null until it has). */
  queue: QueueState | null;
  /** The customer's page is gone (shown to the agent). */
  customerOffline: boolean;
  /** Automatic charges: the running meter and where the payment stands. */
  meter: MeterView | null;
  billing: Billing | null;
  endedBy: "customer" | "agent" | "timeout" | "system" | null;
  /** Manual payment requests: the latest invoice, its receipt and service countdown, the agent's form. */
  invoices: InvoicesView | null;
  /** Voice, video and screen sharing: what each party sends (a refreshed page restores it). */
  call: CallView | null;
  conference: ConferenceView;
};


const article = (role: string) => (/^[aeiou]/i.test(role) ? "an" : "a");


/** Why the customer is still waiting, in words that are true: nobody logged on is not "busy". */
function waitReason(init: ChatInit, queue: QueueState): string | null {
  if (queue.forLastAgent) return "You are waiting for the agent who helped you last time.";
  if (!queue.anyoneOnline) {
    return init.allowLeaveEmail
      ? "No one is online to answer right now. You can wait here for the next agent, or leave an email message."
      : "No one is online to answer right now. You can wait here for the next agent.";
  }
  return queue.agentFree ? null : "Everyone is busy right now; please stay on this page.";
}

function Waiting({ init, queue }: { init: ChatInit; queue: QueueState | null }) {
  const id = init.chatId;
  const position = queue?.position ?? null;
  const reason = queue ? waitReason(init, queue) : null;
  return (
    <div id={`chat-head-${id}`} class="chat-head waiting">
      <div class="waiting-spinner" aria-hidden="true"></div>
      <h1>
        Waiting for {article(init.agentRole)} {init.agentRole}…
      </h1>
      <p class="muted" id={`queue-${id}`}>
        {position === null ? "Finding someone for you." : position === 1 ? "You are next in line." : `You are number ${position} in the queue.`}
        {reason ? ` ${reason}` : null}
      </p>
      <div class="waiting-actions">
        {queue?.forLastAgent ? (
          <form ws-send class="inline">
            <input type="hidden" name="type" value="askAll" />
            <button type="submit" class="btn btn-ghost">
              Ask all agents
            </button>
          </form>
        ) : null}
        {init.allowLeaveEmail ? (
          <button type="button" class="btn btn-ghost" hx-get={`/chats/${id}/requests/new?kind=message`} hx-target={`#request-${id}`}>
            Leave an email message
          </button>
        ) : null}
        {init.allowEmailAlert ? (
          <button type="button" class="btn btn-ghost" hx-get={`/chats/${id}/requests/new?kind=alert`} hx-target={`#request-${id}`}>
            Email me when someone is free
          </button>
        ) : null}
      </div>
      <div id={`request-${id}`}></div>
    </div>
  );
}

/**
 * The customers' second stylesheet, for what a chat shows once it has left the waiting screen
 * (calls, the meter, invoices, the rating). The chat page has fetched it at idle priority while
 * waiting (views/Layout.tsx), so it applies from the cache; a stylesheet in the body holds no
 * rendering, so the first stylesheet keeps the chat hidden until it applies (app.css,
 * data-chat-styles). Preserved across the head's later swaps, so it is not applied anew.
 */
const ChatStyles = ({ chatId }: { chatId: string }) => <link id={`chat-styles-${chatId}`} rel="stylesheet" href={customerChatCss} hx-preserve data-chat-styles />;

function Head({ view, party }: { view: ChatView; party: Party }) {
  const { init, agent } = view;
  const id = init.chatId;
  if (party === "customer") {
    if (view.status === "waiting") return <Waiting init={init} queue={view.queue} />;
    if (!agent) {
      return (
        <div id={`chat-head-${id}`} class="chat-head waiting">
          <ChatStyles chatId={id} />
          <h1>You left the queue</h1>
          <p class="muted">{init.companyName} is happy to help whenever you come back.</p>
        </div>
      );
    }
    return (
      <div id={`chat-head-${id}`} class="chat-head">
        <ChatStyles chatId={id} />
        <Avatar name={agent.name} photoUrl={agent.photoUrl} />
        <div>
          <h1>{agent.name}</h1>
          <p class="muted small">
            {init.agentRole} · {init.companyName}
          </p>
        </div>
      </div>
    );
  }
  const c = init.customer;
  return (
    <div id={`chat-head-${id}`} class="chat-head">
      <Avatar name={c.name ?? "Customer"} photoUrl={null} size={40} />
      <div>
        <h2>{c.name ?? "Customer"}</h2>
        <p class="muted small">
          <span class="chip">{init.roomName}</span> {[c.email, c.phone].filter(Boolean).join(" · ")}
        </p>
        {c.message ? <p class="customer-message">“{c.message}”</p> : null}
      </div>
    </div>
  );
}

/**
 * One line of the transcript, the same for both parties (so a text is rendered once): whose it
 * is on this screen follows from the sender and the transcript's viewer, in the style sheet. A
 * conference guest's own lines are marked `own` (guests are few, their copy is rendered apart).
 */

function Greeting({ agent }: { agent: AgentCard }) {
  return (
    <div class="line theirs greeting">
      <div class="bubble">
        <span class="who">{agent.name}</span>
        <p>{agent.greeting}</p>
      </div>
    </div>
  );
}


function Controls({ view, party }: { view: ChatView; party: Party }) {
  const id = view.init.chatId;
  if (view.status === "ended") return <EndedControls init={view.init} viewer={party} />;
  const label = view.status === "waiting" ? "Leave" : "Hang up";
  if (party === "agent" && view.status === "connected" && view.billing) return <ChargeBillControls chatId={id} />;
  return (
    <div id={`controls-${id}`} class="controls">
      <form ws-send class="inline" data-controller="confirm" data-confirm-message-value={party === "agent" ? "Hang up this chat?" : "End this chat?"} data-action="submit->confirm#ask">
        <input type="hidden" name="type" value="hangup" />
        <button type="submit" class="btn btn-danger hangup-button">
          {label}
        </button>
      </form>
    </div>
  );
}

const endedText = (viewer: Party, by: ChatView["endedBy"]) => {
  if (by === "timeout") return "The chat ended because the connection was lost for too long.";
  if (by === viewer) return "You ended the chat.";
  if (by === "customer") return viewer === "agent" ? "The customer hung up." : "The chat ended.";
  if (by === "agent") return "The agent ended the chat.";
  return "The chat ended.";
};

/** Everything one party sees, sent when its socket (re)connects. */
export function chatSnapshot(view: ChatView, party: Party, lines: TranscriptLine[]): string {
  const id = view.init.chatId;
  const names = partyNames(view.init, view.agent);
  const senders = senderNames(view.init, view.agent, view.conference.guests);
  return toHtml(
    <>
      <Head view={view} party={party} />
      {view.call && view.status === "connected" ? (
        <CallPanel chatId={id} view={view.call} mode={view.init.mode} peerName={names[party === "customer" ? "agent" : "customer"]} />
      ) : (
        <div id={`call-${id}`}></div>
      )}
      <ConferenceBar view={view.conference} viewer={party} />
      <div id={`transcript-${id}`} class="transcript" data-viewer={party} data-controller="scroll" hidden={view.status === "waiting"}>
        {view.agent && party === "customer" ? <Greeting agent={view.agent} /> : null}
        {lines.map((m) => (
          <Line message={m} name={senders[m.sender] ?? view.init.agentRole} />
        ))}
        {party === "agent" && view.customerOffline ? <Notice text={`${names.customer} is offline. Waiting for them to come back…`} tone="warn" /> : null}
        {view.status === "ended" ? <Notice text={endedText(party, view.endedBy)} tone="info" /> : null}
      </div>
      {view.meter && view.billing ? <MeterPanel init={view.init} party={party} meter={view.meter} billing={view.billing} /> : null}
      {view.invoices ? <InvoicePanel view={view.invoices} /> : null}
      {party === "customer" && view.status === "ended" && view.agent ? <RatingSlot chatId={id} /> : null}
      {party === "customer" && view.status === "ended" && view.agent ? <TranscriptSlot chatId={id} /> : null}
      <div id={`typing-${id}`} class="typing"></div>
      {view.status !== "connected" ? (
        <div id={`composer-${id}`}></div>
      ) : textAllowed(view.init) ? (
        <Composer chatId={id} />
      ) : (
        <div id={`composer-${id}`}>
          <p class="hint">{TEXT_OFF}</p>
        </div>
      )}
      <Controls view={view} party={party} />
    </>,
  );
}

/** How each party is named on the other's screen (their own lines show no name). */
export const messageItem = (chatId: string, message: TranscriptLine, name: string, own = false) =>
  `<div hx-swap-oob="beforeend:#transcript-${escapeHtml(chatId)}">${lineHtml(message, name, own)}</div>`;

/** Built by hand like lineHtml: it goes out with every relayed text (cleared) and every keystroke shown. */
export const typingPreview = (chatId: string, text: string, name: string) =>
  `<div id="typing-${escapeHtml(chatId)}" class="typing">${text.trim() ? `<span class="who">${escapeHtml(name)} is typing:</span> <span class="preview">${escapeHtml(text)}</span>` : ""}</div>`;



export const queueInfo = (init: ChatInit, queue: QueueState) => toHtml(<Waiting init={init} queue={queue} />);

function EndedControls({ init, viewer }: { init: ChatInit; viewer: Party }) {
  return (
    <div id={`controls-${init.chatId}`} class="controls">
      {viewer === "customer" ? (
        <a class="btn btn-primary" href={init.contactPath}>
          Start a new chat
        </a>
      ) : null}
    </div>
  );
}

function MeterPanel({ init, party, meter, billing }: { init: ChatInit; party: Party; meter: MeterView; billing: Billing }) {
  const money = (minor: number) => formatMoney(minor, meter.currency);
  const config = billing.config;
  const bill = billOf(billing);
  if (meter.ended && bill) return <EndedMeter init={init} party={party} meter={meter} billing={billing} bill={bill} />;
  return (
    <div id={`meter-${init.chatId}`} class={meter.running && !meter.paused ? "meter-panel running" : "meter-panel"}>
      <dl>
        <div>
          <dt>Chargeable time</dt>
          <dd class="meter-time">{minutesSeconds(meter.chargeableSeconds)}</dd>
        </div>
        <div>
          <dt>Charges</dt>
          <dd class="meter-charges">{money(meter.accruedMinor)}</dd>
        </div>
        <div>
          <dt>Total paid</dt>
          <dd class="meter-paid">{money(meter.paidMinor)}</dd>
        </div>
      </dl>
      {billing.phase === "payment_needed" ? <PaymentNeeded init={init} party={party} billing={billing} ended={false} /> : <p class="meter-note">{meterNote(init, party, meter)}</p>}
      {party === "agent" ? (
        <div class="meter-controls">
          {!meter.running && config.agentStarts ? <TimerButton running label="Start / Resume charges" /> : null}
          {meter.running && config.agentPauses ? <TimerButton running={false} label="Stop / Pause charges" /> : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The chat ended: both parties see the bill — each charge, total paid, what is outstanding — and
 * what happens next; the customer's becomes a receipt once the card is done with.
 */
function EndedMeter({ init, party, meter, billing, bill }: { init: ChatInit; party: Party; meter: MeterView; billing: Billing; bill: Bill }) {
  const money = (minor: number) => formatMoney(minor, meter.currency);
  const id = `meter-${init.chatId}`;
  const next =
    billing.phase === "payment_needed" ? (
      <PaymentNeeded init={init} party={party} billing={billing} ended />
    ) : (
      <EndedNote init={init} party={party} billing={billing} paidMinor={bill.standing.paidMinor} money={money} />
    );
  if (party === "customer" && (billing.phase === "settled" || billing.phase === "abandoned")) {
    return (
      <div id={id} class="meter-panel ended receipt-panel">
        <Receipt init={init} bill={bill} currency={meter.currency}>
          {next}
        </Receipt>
      </div>
    );
  }
  return (
    <div id={id} class="meter-panel ended">
      <p class="bill-title">{party === "agent" ? "Summary of charges" : "Your bill"}</p>
      <BillLines bill={bill} currency={meter.currency} />
      {next}
    </div>
  );
}

/** What the meter is doing, and why it is not counting when it is not. */
function meterNote(init: ChatInit, party: Party, meter: MeterView): string {
  if (meter.paused) {
    return party === "agent"
      ? `The meter is paused while ${init.customer.name ?? "the customer"} is offline; it goes on when they are back.`
      : `The meter is paused while the ${init.agentRole.toLowerCase()} is offline: you are not being charged.`;
  }
  if (meter.running) return "The meter is running; it updates every 30 seconds.";
  return party === "agent" ? "The meter is stopped." : "The meter is stopped: you are not being charged.";
}

/** A hold failed: the agent is told and may give up the fee; the customer is asked for another card. */
function PaymentNeeded({ init, party, billing, ended }: { init: ChatInit; party: Party; billing: Billing; ended: boolean }) {
  const customer = init.customer.name ?? "The customer";
  if (party === "agent") {
    return (
      <div class="payment-needed" role="alert">
        <p class="payment-needed-title">Payment needed</p>
        <p>
          {customer}'s card could not be charged: {failedBecause(billing.failureCode)}. They are asked for another card.{" "}
          {ended ? "The bill is charged as soon as a card pays." : "The chat goes on and the meter keeps counting."}
        </p>
        <form ws-send class="inline" data-controller="confirm" data-confirm-message-value="Give up the unpaid fee and end the chat? It is recorded as abandoned." data-action="submit->confirm#ask">
          <input type="hidden" name="type" value="hangUpAnyway" />
          <button type="submit" class="btn btn-small btn-danger">
            Hang up anyway
          </button>
        </form>
      </div>
    );
  }
  const authenticate = billing.failureCode === "authentication_required";
  return (
    <div class="payment-needed" role="alert">
      <p class="payment-needed-title">Payment needed</p>
      <p>
        {cardFailureText(billing)} {authenticate ? "Please confirm the payment with your bank, or use another card." : "Please use another card."}
      </p>
      <a class="btn btn-small btn-primary" href={`/chats/${init.chatId}/card`}>
        {authenticate ? "Confirm or use another card" : "Use another card"}
      </a>
    </div>
  );
}

function EndedNote({ init, party, billing, paidMinor, money }: { init: ChatInit; party: Party; billing: Billing; paidMinor: number; money: (minor: number) => string }) {
  const minimum = formatMoney(minimumChargeMinor(billing.config.scheme.currency), billing.config.scheme.currency);
  if (billing.phase === "abandoned") {
    return (
      <p class="meter-note warn">
        {party === "agent"
          ? `You hung up anyway: ${money(billing.uncollectedMinor)} was not paid and is recorded as abandoned.`
          : `The chat ended with ${money(billing.uncollectedMinor)} unpaid. ${init.companyName} may ask you to pay it another way.`}
      </p>
    );
  }
  if (billing.phase !== "settled") return <p class="meter-note">Charging the card…</p>;
  return (
    <p class="meter-note ok">
      {paidMinor > 0 ? `${party === "agent" ? "New revenue" : "Paid"}: ${money(paidMinor)} charged to the card.` : "Nothing to pay for this chat."}
      {billing.uncollectedMinor > 0 ? ` ${money(billing.uncollectedMinor)} is below the card minimum of ${minimum} and was not charged.` : null}
    </p>
  );
}

/** A line in the transcript when a card fails, and when a new one is authorised. */
export function paymentNotice(init: ChatInit, party: Party, billing: Billing): string {
  const customer = init.customer.name ?? "The customer";
  if (billing.phase === "payment_needed") {
    const text =
      party === "agent"
        ? `Payment needed: ${customer}'s card could not be charged (${failedBecause(billing.failureCode)}). They are asked for another card.`
        : `Your card could not be charged: ${billing.lastError ?? "it was declined."} Please use another card.`;
    return notice(init.chatId, text, "warn");
  }
  return notice(init.chatId, party === "agent" ? `${customer}'s new card is authorised.` : "Thank you — your card is authorised.", "ok");
}

/** Automatic charges: the agent's hang-up charges the card, so it asks to confirm "Charge bill" first (spec). */
function ChargeBillControls({ chatId }: { chatId: string }) {
  const dialog = `charge-bill-${chatId}`;
  return (
    <div id={`controls-${chatId}`} class="controls">
      <button type="button" class="btn btn-danger hangup-button" popovertarget={dialog}>
        Hang up
      </button>
      <div id={dialog} class="charge-bill" popover="auto" role="dialog" aria-labelledby={`${dialog}-title`}>
        <p class="charge-bill-title" id={`${dialog}-title`}>
          Charge bill?
        </p>
        <p class="muted">The chat ends and the customer's card is charged what the meter shows.</p>
        <div class="charge-bill-actions">
          <button type="button" class="btn btn-ghost" popovertarget={dialog} popovertargetaction="hide">
            Keep chatting
          </button>
          <form ws-send class="inline">
            <input type="hidden" name="type" value="hangup" />
            <button type="submit" class="btn btn-danger">
              Charge bill
            </button>
          </form>
        </div>
      </div>
    </div>
  );
}

function TimerButton({ running, label }: { running: boolean; label: string }) {
  return (
    <form ws-send class="inline">
      <input type="hidden" name="type" value="timer" />
      <input type="hidden" name="running" value={String(running)} />
      <button type="submit" class={running ? "btn btn-small btn-primary" : "btn btn-small btn-ghost"}>
        {label}
      </button>
    </form>
  );
}

export const meterPanel = (init: ChatInit, party: Party, meter: MeterView, billing: Billing) => toHtml(<MeterPanel init={init} party={party} meter={meter} billing={billing} />);
