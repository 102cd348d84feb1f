import { Hono, type Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { enqueueMail } from "../adapters/mail-queue";
import { AppError, notFound } from "../http/errors";
import { formValidator, refuseForm, sentText, type FormPage } from "../http/form-validation";
import { fragment } from "../http/fragment";
import { POLICIES } from "../http/rate-limit";
import { transcriptForm } from "../mail/transcript";
import { openDb } from "../stores/db";
import { countUnlessHeld } from "../stores/rate-counters";
import { requestTranscript, transcriptReady } from "../stores/transcripts";
import { TranscriptPage, TranscriptPanel, type TranscriptPanelProps } from "../../views/ChatTranscript";
import { customerChat } from "./chats";

// "Email me the transcript" on the customer's ended chat: only the browser holding the chat's
// cookie may ask, once the chat ended after an agent answered it; once per address, and a few
// addresses per chat (a transcript is the customer's own, not a way to mail strangers). htmx
// swaps the panel in the end screen; the same URL is a page of its own without JavaScript.
// Mounted at /chats.

type MailedChat = { chatId: string; companyName: string; email: string | null };
type TranscriptEnv = AppEnv & { Variables: { mailed: MailedChat } };

/** The customer's ended chat: not found for anyone else, refused while it goes on or if nobody answered it. */
const endedChat = createMiddleware<TranscriptEnv>(async (c, next) => {
  const { chatId, view } = await customerChat(c);
  if (!view) throw notFound("chat");
  if (view.status !== "ended" || !view.agent) throw new AppError("conflict", "The transcript can be emailed once the chat has ended, after someone answered it.");
  // The chat's object says it ended a moment before its record in D1 holds the lines.
  if (!(await transcriptReady(openDb(c.env.DB), chatId))) throw new AppError("conflict", "The transcript is being saved. Please try again in a moment.");
  c.set("mailed", { chatId, companyName: view.init.companyName, email: view.init.customer.email });
  await next();
});

/** The panel for htmx to swap in place, or the page it sits on (`Vary`: one URL serves both). */
function answer(c: Context<TranscriptEnv>, panel: Partial<TranscriptPanelProps> = {}) {
  const { chatId, companyName, email } = c.var.mailed;
  const props: TranscriptPanelProps = { chatId, email: email ?? "", ...panel };
  c.header("Vary", "HX-Request");
  c.header("Cache-Control", "private, no-store");
  return c.req.header("hx-request") ? fragment(c, <TranscriptPanel {...props} />) : c.render(<TranscriptPage companyName={companyName} {...props} />);
}

const transcriptAgain: FormPage<TranscriptEnv> = (c, sent, errors) => answer(c, { errors, email: sentText(sent, "email") ?? "" });

export const chatTranscriptRoutes = new Hono<AppEnv>()
  .get("/:chatId/transcript", endedChat, (c) => answer(c))
  .post("/:chatId/transcript", endedChat, formValidator(transcriptForm, transcriptAgain), async (c) => {
    const { chatId } = c.var.mailed;
    const { email } = c.req.valid("form");
    const db = openDb(c.env.DB);
    const held = await countUnlessHeld(db, { key: `transcript-chat:${chatId}`, policy: POLICIES.transcriptChat });
    if (held) throw new AppError("too_many_requests", `The transcript of this chat was asked for too often. Please try again in ${held.minutes} minutes.`);
    const id = await requestTranscript(db, chatId, email);
    if (!id) return refuseForm(c, transcriptAgain, { email: `The transcript was already sent to ${email}.` });
    await enqueueMail(c.env, [id]);
    return answer(c, { sentTo: email });
  });
