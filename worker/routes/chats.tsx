import { Hono, type Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import * as z from "zod";
import { roomOfChat } from "../stores/chats";
import { enqueueMail } from "../adapters/mail-queue";
import { saveCustomerMessage } from "../stores/customer-requests";
import { enqueueWebhooks } from "../adapters/webhook-queue";
import { addFreeAlert } from "../stores/free-alerts";
import { ALERT_LIFETIME_MS } from "../alerts/free-alert";
import { openDb } from "../stores/db";
import { emailField } from "../accounts/validation";
import type { AppEnv, Bindings } from "../app-env";
import { tryAnotherCard } from "../billing/card-failures";
import { INVOICE_TEST_CARDS, SAVED_CARD, TEST_CARDS } from "../billing/test-cards";
import { sameSiteSocket } from "../http/csrf";
import { AppError, notFound } from "../http/errors";
import { formValidator, refuseForm, sentForm, sentText, type FormPage } from "../http/form-validation";
import { paymentElementConfig, stripeTestMode } from "../adapters/stripe";
import { AuthorisePage } from "../../views/AuthorisePage";
import type { CardElement } from "../../views/PaymentElementForm";
import { InvoicePayPage } from "../../views/InvoicePayPage";
import { relaySocket } from "../http/socket";
import type { ChatInit } from "../live/contracts";
import { CHAT_COOKIE } from "./customer";
import { CustomerChatPage, RequestForm, RequestSaved, type RequestKind } from "../../views/CustomerChat";
import { fragment } from "../http/fragment";
import { chatObject, roomObject } from "../live/stubs";
import { invoicePanel } from "../../views/live/InvoiceFragments";

const chatIdParam = z.uuid();
const requestKind = z.enum(["message", "alert"]);
const ENTER_EMAIL = "Enter your email address, so we can write to you.";
const requestEmail = z.string({ error: ENTER_EMAIL }).trim().min(1, ENTER_EMAIL).pipe(emailField);
/** The waiting screen's email forms: a message needs its text, an alert only the address. */
const requestForms = {
  message: z.object({
    email: requestEmail,
    body: z.string({ error: "Write your message." }).trim().min(1, "Write your message.").max(2000, "Use at most 2000 characters."),
  }),
  alert: z.object({ email: requestEmail, body: z.unknown().optional().transform(() => null) }),
} satisfies Record<RequestKind, z.ZodType>;

const agreed = z.literal("on", { error: "Please agree to the price first." });
const cardChoice = z.enum([SAVED_CARD, ...TEST_CARDS.map((card) => card.id)] as [string, ...string[]], { error: "Choose a card." });
// The price is agreed once, before the chat; a card given after a failed hold needs only the card.
const authoriseForm = z.object({ agree: agreed, paymentMethod: cardChoice });
const cardForm = z.object({ paymentMethod: cardChoice });
// With Stripe's Payment Element the price is agreed first, and the card given to Stripe.js.
const holdForm = z.object({ agree: agreed });

const invoiceParam = z.string().regex(/^\d{1,6}$/).transform(Number);
const payForm = z.object({
  paymentMethod: z.enum(INVOICE_TEST_CARDS.map((card) => card.id) as [string, ...string[]], { error: "Choose a card." }),
});

/** The chat's id from the URL, and the customer's view of it if this browser holds its token. */
export async function customerChat<E extends AppEnv>(c: Context<E>) {
  const id = chatIdParam.safeParse(c.req.param("chatId"));
  if (!id.success) throw notFound("chat");
  const token = getCookie(c, CHAT_COOKIE);
  const view = token ? await chatObject(c.env, id.data).customerView(token) : null;
  return { chatId: id.data, token, view };
}

/**
 * Stripe's Payment Element for the customer's card, when a publishable key is configured: the
 * hold's client secret (a new hold only once the price is agreed, `create`).
 */
async function cardElement<E extends AppEnv>(c: Context<E>, chatId: string, token: string | undefined, stripeAccount: string | null, create = false): Promise<CardElement | null> {
  const config = paymentElementConfig(c.env);
  if (!config || !token) return null;
  const intent = await chatObject(c.env, chatId).holdIntent(token, create);
  return { ...config, clientSecret: intent?.clientSecret ?? null, stripeAccount, returnUrl: `${new URL(c.req.url).origin}/chats/${chatId}/authenticated` };
}

/**
 * Pay Now in Stripe's Payment Element, when a publishable key is configured: the invoice's page
 * with its PaymentIntent's client secret. Null when the invoice cannot be paid now.
 */
async function invoicePayPage(c: Context<AppEnv>, chatId: string, token: string, init: ChatInit, n: number, error: string | null = null) {
  const config = paymentElementConfig(c.env);
  if (!config) return null;
  const intent = await chatObject(c.env, chatId).invoiceIntent(token, n);
  if (!intent) return null;
  const returnUrl = `${new URL(c.req.url).origin}/chats/${chatId}/invoices/${n}/authenticated`;
  const element: CardElement = { ...config, clientSecret: intent.clientSecret, stripeAccount: intent.invoice.merchant.stripeAccount, returnUrl };
  return c.render(<InvoicePayPage init={init} invoice={intent.invoice} element={element} clientSecret={intent.clientSecret} testMode={stripeTestMode(c.env)} error={error} />);
}

type CustomerView = NonNullable<Awaited<ReturnType<typeof customerChat>>["view"]>;
type BilledChatEnv = AppEnv & { Variables: { chat: { chatId: string; token: string; view: CustomerView; billing: NonNullable<CustomerView["billing"]> } } };

/**
 * The customer's chat with its price, for the card forms: not found without them. Refused (`why`)
 * when this server does not take cards this way.
 */
const billedChat = (takesCards: (env: Bindings) => boolean, why: string) =>
  createMiddleware<BilledChatEnv>(async (c, next) => {
    const { chatId, token, view } = await customerChat(c);
    if (!view || !token || !view.billing) throw notFound("chat");
    if (!takesCards(c.env)) throw new AppError("bad_request", why);
    c.set("chat", { chatId, token, view, billing: view.billing });
    await next();
  });

/** The card page again with Stripe's Payment Element, the error above it. */
const holdAgain: FormPage<BilledChatEnv> = async (c, _sent, errors) => {
  const { chatId, token, view, billing } = c.var.chat;
  const element = await cardElement(c, chatId, token, billing.config.merchant.stripeAccount);
  return c.render(<AuthorisePage init={view.init} billing={billing} testMode={stripeTestMode(c.env)} element={element} error={Object.values(errors)[0]} />);
};

/** The card page again with the test cards, the error above them. */
const authoriseAgain: FormPage<BilledChatEnv> = (c, _sent, errors) => {
  const { view, billing } = c.var.chat;
  return c.render(<AuthorisePage init={view.init} billing={billing} testMode={stripeTestMode(c.env)} error={Object.values(errors)[0]} />);
};

type RequestEnv = AppEnv & { Variables: { request: { chatId: string; view: CustomerView; kind: RequestKind } } };

/** The waiting customer's chat, and which email form was sent: one the room offers. */
const requestOf = createMiddleware<RequestEnv>(async (c, next) => {
  const { chatId, view } = await customerChat(c);
  if (!view) throw notFound("chat");
  const known = requestKind.safeParse((await sentForm(c)).kind);
  if (!known.success) throw new AppError("bad_request", "That form could not be read. Reload the page and try again.");
  const kind = known.data;
  if ((kind === "alert" && !view.init.allowEmailAlert) || (kind === "message" && !view.init.allowLeaveEmail)) throw notFound();
  c.set("request", { chatId, view, kind });
  await next();
});

const requestAgain: FormPage<RequestEnv> = (c, sent, errors) => {
  const { chatId, kind } = c.var.request;
  const typed = { email: sentText(sent, "email") ?? "", body: sentText(sent, "body") ?? "" };
  return fragment(c, <RequestForm chatId={chatId} kind={kind} values={typed} errors={errors} />);
};

// A chat's page and socket. The customer proves who they are with the chat's secret cookie;
// an agent with their session, and only for a chat they were given.
export const chatRoutes = new Hono<AppEnv>()
  .get("/:chatId", async (c) => {
    const { chatId, token, view } = await customerChat(c);
    if (!view) throw notFound("chat");
    if (view.billing?.phase === "authorising" && view.status === "waiting") {
      const element = await cardElement(c, chatId, token, view.billing.config.merchant.stripeAccount);
      return c.render(<AuthorisePage init={view.init} billing={view.billing} testMode={stripeTestMode(c.env)} element={element} />);
    }
    return c.render(<CustomerChatPage init={view.init} />);
  })
  // Automatic charges, payment needed: the customer gives another card for the hold that failed.
  .get("/:chatId/card", async (c) => {
    const { chatId, token, view } = await customerChat(c);
    if (!view) throw notFound("chat");
    if (view.billing?.phase !== "payment_needed") return c.redirect(`/chats/${chatId}`, 303);
    const element = await cardElement(c, chatId, token, view.billing.config.merchant.stripeAccount);
    return c.render(<AuthorisePage init={view.init} billing={view.billing} testMode={stripeTestMode(c.env)} element={element} />);
  })
  // Payment Element: the customer agreed to the price; the hold is made for Stripe.js to confirm.
  .post(
    "/:chatId/hold",
    billedChat((env) => !!paymentElementConfig(env), "Stripe's Payment Element is not configured on this server."),
    formValidator(holdForm, holdAgain),
    async (c) => {
      const { chatId, token, billing } = c.var.chat;
      await cardElement(c, chatId, token, billing.config.merchant.stripeAccount, true);
      return c.redirect(`/chats/${chatId}`, 303);
    },
  )
  // Automatic charges: the customer agrees and authorises a hold on a card (test cards in test
  // mode), before the chat or after a hold failed.
  .post(
    "/:chatId/authorise",
    billedChat(stripeTestMode, "Cards are taken with Stripe's Payment Element, which is not available on this server."),
    formValidator((c) => (c.var.chat.billing.phase === "payment_needed" ? cardForm : authoriseForm), authoriseAgain),
    async (c) => {
      const { chatId, token } = c.var.chat;
      const origin = new URL(c.req.url).origin;
      const result = await chatObject(c.env, chatId).authorise(token, c.req.valid("form").paymentMethod, `${origin}/chats/${chatId}/authenticated`);
      if (!result) return c.redirect(`/chats/${chatId}`, 303);
      if (result.status === "authorised") return c.redirect(`/chats/${chatId}`, 303);
      if (result.status === "needs_action" && result.redirectUrl) return c.redirect(result.redirectUrl, 303);
      return refuseForm(c, authoriseAgain, { form: result.status === "failed" ? tryAnotherCard(result.message) : "Your bank needs you to confirm this payment." });
    },
  )
  // Back from 3-D Secure.
  .get("/:chatId/authenticated", async (c) => {
    const { chatId, token, view } = await customerChat(c);
    if (!view || !token) throw notFound("chat");
    const result = await chatObject(c.env, chatId).authenticated(token);
    if (!result || result.status === "authorised") return c.redirect(`/chats/${chatId}`, 303);
    const fresh = (await customerChat(c)).view!;
    c.status(422);
    const element = await cardElement(c, chatId, token, fresh.billing!.config.merchant.stripeAccount);
    return c.render(
      <AuthorisePage
        init={fresh.init}
        billing={fresh.billing!}
        testMode={stripeTestMode(c.env)}
        element={element}
        error={element ? "Your card was not authorised. Please try again or use another card." : "Your bank did not confirm the payment. Please try again or use another card."}
      />,
    );
  })
  // Manual payment request: the customer pays an invoice of this chat with Pay Now (test cards in
  // test mode). The panel comes back for htmx to swap; the ChatDO also sends it to both parties.
  .post("/:chatId/invoices/:n/pay", async (c) => {
    const { chatId, token, view } = await customerChat(c);
    const n = invoiceParam.safeParse(c.req.param("n"));
    if (!view || !token || !n.success) throw notFound("payment request");
    if (!stripeTestMode(c.env)) throw new AppError("bad_request", "Test cards are taken only in test mode.");
    const form = payForm.safeParse(await c.req.parseBody());
    if (!form.success) throw new AppError("bad_request", form.error.issues[0]!.message);
    const origin = new URL(c.req.url).origin;
    const outcome = await chatObject(c.env, chatId).payInvoice(token, n.data, form.data.paymentMethod, `${origin}/chats/${chatId}/invoices/${n.data}/authenticated`);
    if (!outcome) throw notFound("payment request");
    if (outcome.status === "refused") throw new AppError("conflict", outcome.message ?? "This payment request cannot be paid now.");
    if (outcome.status === "needs_action" && outcome.redirectUrl) {
      // The bank's 3-D Secure page is a whole page: htmx navigates there, a plain form is redirected.
      if (!c.req.header("hx-request")) return c.redirect(outcome.redirectUrl, 303);
      c.header("HX-Redirect", outcome.redirectUrl);
      return c.body(null, 204);
    }
    if (outcome.status === "failed") c.status(422);
    return c.html(invoicePanel(chatId, outcome.view));
  })
  // Manual payment request with Stripe's Payment Element: the page where the customer pays the invoice.
  .get("/:chatId/invoices/:n/pay", async (c) => {
    const { chatId, token, view } = await customerChat(c);
    const n = invoiceParam.safeParse(c.req.param("n"));
    if (!view || !token || !n.success) throw notFound("payment request");
    // Paid, withdrawn, the chat over, or no Payment Element here: the chat page says which.
    return (await invoicePayPage(c, chatId, token, view.init, n.data)) ?? c.redirect(`/chats/${chatId}`, 303);
  })
  // Back from Stripe.js or from 3-D Secure: the ChatDO asks Stripe how the payment stands, and
  // only a payment Stripe calls succeeded is acknowledged; otherwise the card page again.
  .get("/:chatId/invoices/:n/authenticated", async (c) => {
    const { chatId, token, view } = await customerChat(c);
    const n = invoiceParam.safeParse(c.req.param("n"));
    if (!view || !token || !n.success) throw notFound("payment request");
    const outcome = await chatObject(c.env, chatId).invoicePaymentChanged(token, n.data);
    if (outcome && outcome.status !== "paid" && paymentElementConfig(c.env)) {
      const message = outcome.status === "needs_action" ? "Your bank has not confirmed the payment yet. Please try again." : `${outcome.message ?? "The payment was not completed."} Please try again or use another card.`;
      c.status(422);
      const page = await invoicePayPage(c, chatId, token, view.init, n.data, message);
      if (page) return page;
    }
    return c.redirect(`/chats/${chatId}`, 303);
  })
  .get("/:chatId/ws", sameSiteSocket, async (c) => {
    if (c.req.header("upgrade") !== "websocket") return c.text("Expected a WebSocket.", 426);
    const id = chatIdParam.safeParse(c.req.param("chatId"));
    if (!id.success) throw notFound("chat");
    const headers = new Headers({ upgrade: "websocket" });
    const user = c.get("user");
    const token = getCookie(c, CHAT_COOKIE);
    if (token) {
      headers.set("x-parley-customer-token", token);
    } else if (user?.isAgent) {
      // The chat's object knows its agent and guests, and refuses anyone else: no D1 read here.
      headers.set("x-parley-agent-id", user.id);
    } else {
      throw notFound("chat");
    }
    const res = await chatObject(c.env, id.data).fetch(new Request(c.req.url, { headers }));
    if (!token && res.status !== 101) throw notFound("chat");
    return relaySocket(res);
  })
  .get("/:chatId/requests/new", async (c) => {
    const { chatId, view } = await customerChat(c);
    if (!view) throw notFound("chat");
    const kind = c.req.query("kind") === "alert" ? "alert" : "message";
    if ((kind === "alert" && !view.init.allowEmailAlert) || (kind === "message" && !view.init.allowLeaveEmail)) throw notFound();
    return fragment(c, <RequestForm chatId={chatId} kind={kind} values={{ email: view.init.customer.email ?? "" }} />);
  })
  .post("/:chatId/requests", requestOf, formValidator((c) => requestForms[c.var.request.kind], requestAgain), async (c) => {
    const { chatId, view, kind } = c.var.request;
    const form = c.req.valid("form");
    const db = openDb(c.env.DB);
    const room = await roomOfChat(db, chatId);
    if (!room) throw notFound("chat");
    const { roomId, privateAgentId } = room;
    const { init } = view;
    const origin = new URL(c.req.url).origin;
    if (kind === "message") {
      const message = { companyId: init.companyId, roomId, privateAgentId, name: init.customer.name, email: form.email, body: form.body ?? null };
      const saved = await saveCustomerMessage(db, message, origin);
      await Promise.all([enqueueMail(c.env, saved.mails), enqueueWebhooks(c.env, saved.events)]);
      return c.html(<RequestSaved kind={kind} />);
    }
    // The room's object hears of it first: an alert it does not know of would never be sent.
    await roomObject(c.env, init.roomKey).expectAlerts(Date.now() + ALERT_LIFETIME_MS);
    const alert = { companyId: init.companyId, roomId, privateAgentId, roomKey: init.roomKey, roomUrl: `${origin}${init.contactPath}`, chatId, name: init.customer.name, email: form.email };
    const { added, mailIds } = await addFreeAlert(db, alert, origin);
    await enqueueMail(c.env, mailIds);
    return c.html(<RequestSaved kind={kind} again={!added} />);
  });
