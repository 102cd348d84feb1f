import * as z from "zod";
import { displayName, headerText, listUnsubscribe } from "./header-fields";

// A mail as the outbox holds it: what kind it is, who it goes to, who it is from, and what it
// says as data (MailContent), from which views/mail renders both its text and its HTML part.

/**
 * What a mail is for. A receipt (money taken) is sent even when the company's entitlement is used
 * up; an alert carries a List-Unsubscribe header; the rest are held at the quota.
 */
export const MAIL_KINDS = ["receipt", "revenue", "notice", "alert", "transcript"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * queued → sending → sent, or back to queued to retry, or failed with the reason; held when the
 * company's entitlement is used up.
 */
export const MAIL_STATUSES = ["queued", "sending", "sent", "failed", "held"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** What a mail says, as data: both parts are rendered from it, escaped (views/mail). */
export type MailContent = {
  subject: string;
  /** The opening line, e.g. "Hello Ann,". */
  greeting?: string;
  paragraphs: string[];
  /** Label and value pairs shown as a table: amounts, dates, names. */
  facts?: [label: string, value: string][];
  /** The one link the mail is about. */
  action?: { label: string; url: string };
};

/** Who a mail is from: a display name beside the operator's MAIL_FROM address, and where replies go. */
export type Sender = { name: string; replyTo: string | null };

/**
 * A mail for the outbox (worker/stores/outbox.ts `mailInsert`). The id makes it idempotent:
 * derive it from the event (`{chargeId}:receipt`) where the event may be written twice.
 */
export type OutgoingMail = {
  id: string;
  companyId: string | null;
  to: string;
  sender: Sender;
  content: MailContent;
} & ({ kind: Exclude<MailKind, "alert"> } | { kind: "alert"; unsubscribeUrl: string });

const address = z.email().max(254);

/** An address we will put on an envelope and in a header: well formed, nothing to inject. */
export const isMailAddress = (value: string): boolean => address.safeParse(value).success;

/** The row the outbox stores for a mail, once rendered: what it may send, or why it never will. */
export type CheckedMail = {
  to: string;
  fromName: string;
  replyTo: string | null;
  subject: string;
  headers: Record<string, string>;
  /** Set when the recipient cannot be mailed at all: the row is written failed, with this reason. */
  refused: string | null;
};

/** Checks a mail before it is stored: nothing a header could be broken with, addresses well formed. */
export function checkMail(mail: OutgoingMail): CheckedMail {
  const to = mail.to.trim().toLowerCase();
  const replyTo = mail.sender.replyTo?.trim().toLowerCase() ?? null;
  return {
    to,
    fromName: displayName(mail.sender.name) || "Parley",
    replyTo: replyTo && isMailAddress(replyTo) ? replyTo : null,
    subject: headerText(mail.content.subject, 200),
    headers: mail.kind === "alert" ? { "List-Unsubscribe": listUnsubscribe(mail.unsubscribeUrl) } : {},
    refused: isMailAddress(to) ? null : `"${headerText(mail.to, 254)}" is not a valid email address.`,
  };
}
