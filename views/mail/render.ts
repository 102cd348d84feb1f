import type { MailContent, Sender } from "../../worker/mail/message";
import { toHtml } from "../live/render";
import { MailHtml } from "./MailHtml";
import { mailText } from "./text";

/** Both parts of a mail, rendered from one content; the closing line names who sent it. */
export function renderMail(content: MailContent, sender: Sender): { text: string; html: string } {
  const from = `Sent by ${sender.name} through Parley.`;
  return { text: mailText(content, from), html: `<!DOCTYPE html>${toHtml(MailHtml({ content, from }))}` };
}
