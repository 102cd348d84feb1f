import { Hono, type Context } from "hono";
import { createMiddleware } from "hono/factory";
import * as z from "zod";
import type { SessionUser } from "../accounts/sessions";
import { enqueueMail } from "../adapters/mail-queue";
import type { AppEnv } from "../app-env";
import { AppError, notFound } from "../http/errors";
import { formValidator, sentText, type FormPage } from "../http/form-validation";
import { POLICIES } from "../http/rate-limit";
import { requireUser } from "../http/session";
import { getInboxMessage, listInbox, openInboxCount, replyToMessage, setInboxStatus, type InboxMessage } from "../stores/customer-requests";
import { openDb } from "../stores/db";
import { countUnlessHeld } from "../stores/rate-counters";
import { InboxMessagePage, InboxPage, REPLY_MAX } from "../../views/Inbox";

// The Inbox (/agent/inbox): messages customers left by email, for agents of the rooms they came
// to and the company's administrators; answered by email from the page, then marked done.

const me = <E extends AppEnv>(c: Context<E>) => c.get("user") as SessionUser;

/** Agents read the Inbox of their rooms, administrators the company's. */
const inboxReader = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.get("user");
  if (!user?.isAgent && !user?.isAdmin) throw new AppError("forbidden", "This page is for agents; ask your administrator to make you one.");
  await next();
});

type MessageEnv = AppEnv & { Variables: { message: InboxMessage } };

/** The message in the URL, if the reader may see it: any other is not found, whoever's it is. */
const readableMessage = createMiddleware<MessageEnv, "/:id/*">(async (c, next) => {
  const id = z.string().min(1).max(64).safeParse(c.req.param("id"));
  const message = id.success ? await getInboxMessage(openDb(c.env.DB), me(c), id.data) : undefined;
  if (!message) throw notFound("message");
  c.set("message", message);
  await next();
});

const replyForm = z.object({
  reply: z.string({ error: "Write your reply." }).trim().min(1, "Write your reply.").max(REPLY_MAX, `Use at most ${REPLY_MAX} characters.`),
});

const replyAgain: FormPage<MessageEnv> = (c, sent, errors) => c.render(<InboxMessagePage message={c.var.message} reply={sentText(sent, "reply")} errors={errors} />);

const statusForm = z.object({ status: z.enum(["open", "done"]) });

export const inboxRoutes = new Hono<AppEnv>()
  .use(requireUser, inboxReader)
  .get("/", async (c) => {
    const db = openDb(c.env.DB);
    const status = c.req.query("status") === "done" ? "done" : "open";
    const [messages, open] = await Promise.all([listInbox(db, me(c), status), openInboxCount(db, me(c))]);
    return c.render(<InboxPage messages={messages} status={status} open={open} />);
  })
  .get("/:id", readableMessage, (c) => c.render(<InboxMessagePage message={c.var.message} sent={c.req.query("sent") === "1"} />))
  .post("/:id/reply", readableMessage, formValidator(replyForm, replyAgain), async (c) => {
    const db = openDb(c.env.DB);
    const held = await countUnlessHeld(db, { key: `inbox-reply:${me(c).id}`, policy: POLICIES.inboxReply });
    if (held) throw new AppError("too_many_requests", `You have sent many replies in a short time. Please try again in ${held.minutes} minutes.`);
    const mailId = await replyToMessage(db, me(c), c.var.message, c.req.valid("form").reply);
    await enqueueMail(c.env, [mailId]);
    return c.redirect(`/agent/inbox/${c.var.message.id}?sent=1`, 303);
  })
  .post("/:id/status", readableMessage, formValidator(statusForm, replyAgain), async (c) => {
    await setInboxStatus(openDb(c.env.DB), c.var.message.id, c.req.valid("form").status);
    return c.redirect(`/agent/inbox/${c.var.message.id}`, 303);
  });
