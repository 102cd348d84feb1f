import * as z from "zod";
import { utcDateTime, utcTime } from "../format/utc";
import type { MailContent } from "./message";

// A chat's transcript as a mail: every line with its writer's name and UTC time, as data for
// views/mail (which escapes both parts). The customer asks for it on the chat's end screen, or
// the room sends it to every customer who gave an email address (its setting).

/** A line of the transcript with the name of who wrote it: the customer, the agent or a conference guest. */
export type NamedLine = { name: string; at: number; body: string };

/** What the transcript's heading says about the chat. */
export type TranscriptChat = { chatId: string; companyName: string; roomName: string; agentName: string | null; startedAt: number };

/** The room's own transcript mail of a chat: one per chat, however often the chat's end is retried. */
export const transcriptMailId = (chatId: string) => `${chatId}:transcript`;

/** A transcript the customer asked for: one per chat and address. */
export const requestedTranscriptMailId = (chatId: string, to: string) => `${chatId}:transcript:${to}`;

/** The form on the end screen: the address to send the transcript to. */
export const transcriptForm = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Enter your email address.")
    .max(254, "Use at most 254 characters.")
    .pipe(z.email("Enter a valid email address, like name@example.com.")),
});
export type TranscriptInput = z.output<typeof transcriptForm>;

/** "[14:05 UTC] Ann: Hello", with the date too on lines written on a later day than the chat began. */
export function transcriptLine(line: NamedLine, startedAt: number): string {
  const sameDay = utcDateTime(line.at).slice(0, 10) === utcDateTime(startedAt).slice(0, 10);
  return `[${sameDay ? utcTime(line.at) : utcDateTime(line.at)} UTC] ${line.name}: ${line.body}`;
}

export function transcriptContent(chat: TranscriptChat, lines: NamedLine[]): MailContent {
  const facts: [string, string][] = [
    ["Company", chat.companyName],
    ["Room", chat.roomName],
    ...(chat.agentName ? [["Agent", chat.agentName] as [string, string]] : []),
    ["Chat started", `${utcDateTime(chat.startedAt)} UTC`],
    ["Chat", chat.chatId],
  ];
  return {
    subject: `Your chat transcript from ${chat.companyName}`,
    paragraphs: ["Here is the transcript of your chat, as it was written. Times are in UTC.", ...(lines.length ? lines.map((l) => transcriptLine(l, chat.startedAt)) : ["(No messages were written in this chat.)"])],
    facts,
  };
}
