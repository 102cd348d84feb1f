import { notice } from "../../views/live/ChatParts";
import { conferenceBar, type ConferenceView, type ConferenceViewer } from "../../views/live/ConferenceFragments";
import { socketError } from "../../views/live/ConsoleFragments";
import { invoicePanel } from "../../views/live/InvoiceFragments";
import { recordingPanel, type RecordingPanelView } from "../../views/live/RecordingFragments";
import { remoteControlState, type RemoteControlView } from "../../views/live/RemoteControlFragments";
import { messageFrame, type Frame, type ServerMessage } from "../../worker/live/socket-frames";
import type { InvoicesView } from "../../worker/live/chat-views";

// What the ChatDO's slices send to pages, as data, and the one place it becomes a socket frame:
// an HTML fragment (the views under views/live/) or a JSON message (worker/live/socket-frames.ts).

export type ChatFrame =
  /** A refusal, shown as a toast on the page that asked. */
  | { type: "error"; text: string }
  /** A line in the transcript. */
  | { type: "notice"; text: string; tone: "info" | "warn" | "ok" }
  /** The payment requests panel; null: the chat has none. */
  | { type: "invoices"; view: InvoicesView | null }
  | { type: "recording"; view: RecordingPanelView }
  | { type: "remoteControl"; view: RemoteControlView }
  | { type: "conference"; view: ConferenceView; viewer: ConferenceViewer }
  | { type: "message"; message: ServerMessage };

export function renderFrame(chatId: string, frame: ChatFrame): Frame {
  switch (frame.type) {
    case "error":
      return socketError(frame.text);
    case "notice":
      return notice(chatId, frame.text, frame.tone);
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
