import { callError, callState } from "../../views/live/CallFragments";
import { chatSnapshot, messageItem, meterPanel, paymentNotice, queueInfo, typingPreview, type ChatView } from "../../views/live/ChatFragments";
import { notice } from "../../views/live/ChatParts";
import { conferenceBar, guestSnapshot, type ConferenceView, type ConferenceViewer, type GuestView } from "../../views/live/ConferenceFragments";
import { socketError } from "../../views/live/ConsoleFragments";
import { invoicePanel } from "../../views/live/InvoiceFragments";
import { recordingPanel, type RecordingPanelView } from "../../views/live/RecordingFragments";
import { remoteControlState, type RemoteControlView } from "../../views/live/RemoteControlFragments";
import type { Billing, MeterView } from "../../worker/live/chat-bill";
import type { InvoicesView } from "../../worker/live/chat-views";
import type { ChatInit, Party, QueueState } from "../../worker/live/contracts";
import { messageFrame, type Frame, type ServerMessage } from "../../worker/live/socket-frames";
import type { TranscriptLine } from "../../worker/stores/chats";
import type { CallView } from "../../worker/live/chat-views";

// What the ChatDO and its slices send to pages, as data, and the one place it becomes a socket
// frame: an HTML fragment (the views under views/live/) or a JSON message (worker/live/socket-frames.ts).

export type ChatFrame =
  /** A refusal, shown as a toast on the page that asked. */
  | { type: "error"; text: string }
  /** A line in the transcript. */
  | { type: "notice"; text: string; tone: "info" | "warn" | "ok" }
  /** A party's whole chat (on connect and on big changes), with its recording and remote-control panels. */
  | { type: "snapshot"; view: ChatView; party: Party; lines: TranscriptLine[]; recording: RecordingPanelView; remote: RemoteControlView | null }
  /** A conference guest's whole chat; `own`: the sender key of the guest's own lines. */
  | { type: "guestSnapshot"; view: GuestView; lines: TranscriptLine[]; own: string }
  /** A text added to the transcript, with the sender's typing preview cleared. */
  | { type: "line"; line: TranscriptLine; name: string; own?: boolean }
  | { type: "typing"; text: string; name: string }
  | { type: "queue"; queue: QueueState }
  | { type: "meter"; party: Party; meter: MeterView; billing: Billing }
  /** Payment needed, or a new card authorised: told to both parties in their words. */
  | { type: "payment"; party: Party; billing: Billing }
  | { type: "call"; view: CallView; peerName: string }
  | { type: "callError"; text: string }
  /** The payment requests panel; null: the chat has none. */
  | { type: "invoices"; view: InvoicesView | null }
  | { type: "recording"; view: RecordingPanelView }
  | { type: "remoteControl"; view: RemoteControlView }
  | { type: "conference"; view: ConferenceView; viewer: ConferenceViewer }
  | { type: "message"; message: ServerMessage };

export function renderFrame(init: ChatInit, frame: ChatFrame): Frame {
  const chatId = init.chatId;
  switch (frame.type) {
    case "error":
      return socketError(frame.text);
    case "notice":
      return notice(chatId, frame.text, frame.tone);
    case "snapshot":
      return chatSnapshot(frame.view, frame.party, frame.lines) + recordingPanel(frame.recording) + (frame.remote ? remoteControlState(frame.remote) : "");
    case "guestSnapshot":
      return guestSnapshot(frame.view, frame.lines, frame.own);
    case "line":
      return messageItem(chatId, frame.line, frame.name, frame.own) + typingPreview(chatId, "", "");
    case "typing":
      return typingPreview(chatId, frame.text, frame.name);
    case "queue":
      return queueInfo(init, frame.queue);
    case "meter":
      return meterPanel(init, frame.party, frame.meter, frame.billing);
    case "payment":
      return paymentNotice(init, frame.party, frame.billing);
    case "call":
      return callState(chatId, frame.view, frame.peerName);
    case "callError":
      return callError(chatId, frame.text);
    case "invoices":
      return invoicePanel(chatId, frame.view);
    case "recording":
      return recordingPanel(frame.view);
    case "remoteControl":
      return remoteControlState(frame.view);
    case "conference":
      return conferenceBar(frame.view, frame.viewer);
    case "message":
      return messageFrame(frame.message);
  }
}
