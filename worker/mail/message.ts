import * as z from "zod";

// A mail as the outbox holds it: what kind it is, who it goes to, who it is from, and what it
// says as data (MailContent), from which views/mail renders both its text and its HTML part.

/**
 * What a mail is for. A receipt (money taken) is sent even when the company's entitlement is used
 * up; an alert carries a List-Unsubscribe header; the rest are held at the quota.
 */
export const MAIL_KINDS = ["receipt", "revenue", "notice", "alert"] as const;
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

/**
 * Text from people (names, subjects) made fit for one header field: line breaks and other control
 * characters become spaces, so no one can start a header of their own.
 */
export const headerText = (value: string, max: number): string =>
  value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);

/** A display name goes between double quotes: those and backslashes are left out. */
export const displayName = (value: string): string => headerText(value.replace(/["\\]/g, ""), 100);

/** A header field value our own code made (an unsubscribe link): refused, not mended, if it could break the header. */
export function headerValue(value: string): string {
  if (/[\p{Cc}\u2028\u2029]/u.test(value)) throw new Error(`A mail header may not hold control characters: ${JSON.stringify(value)}`);
  return value;
}

/** An alert's unsubscribe link as the List-Unsubscribe header wants it (RFC 2369). */
export function listUnsubscribe(url: string): string {
  // Checked before parsing: the URL parser would quietly drop a line break.
  const parsed = URL.canParse(headerValue(url)) ? new URL(url) : null;
  if (!parsed || !["https:", "http:", "mailto:"].includes(parsed.protocol)) throw new Error(`Not an unsubscribe link: ${url}`);
  return headerValue(`<${parsed.href}>`);
}

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
