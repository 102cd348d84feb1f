import { Hono, type Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { AppError, notFound } from "../http/errors";
import { formValidator, sentText, type FormPage } from "../http/form-validation";
import { fragment } from "../http/fragment";
import { ratingForm } from "../ratings/rating";
import { chatRatingOf, rateChat, type RatingState } from "../stores/chat-ratings";
import { enqueueWebhooks } from "../adapters/webhook-queue";
import { openDb } from "../stores/db";
import { RatingPage, RatingPanel, type RatingPanelProps } from "../../views/ChatRating";
import { customerChat } from "./chats";

// The customer rates their chat once it has ended: 1 to 5 stars and a comment, once per chat (a
// rating is a customer's verdict on a chat they had, and the agents' averages should not move
// after the fact). Only the browser holding the chat's cookie may; htmx swaps the panel in the
// chat's end screen, and the same URL is a page of its own without JavaScript. Mounted at /chats.

type RatedChat = { chatId: string; companyName: string; agentName: string; state: RatingState };
type RatingEnv = AppEnv & { Variables: { rated: RatedChat } };

/** The customer's chat, if it may be rated: not found for anyone else, and for a chat that never reached an agent or goes on. */
const rateableChat = createMiddleware<RatingEnv>(async (c, next) => {
  const { chatId, view } = await customerChat(c);
  if (!view) throw notFound("chat");
  const state = await chatRatingOf(openDb(c.env.DB), chatId);
  if (!state?.rateable || !view.agent) throw new AppError("not_found", "This chat cannot be rated: a chat is rated once it has ended, after someone answered it.");
  c.set("rated", { chatId, companyName: view.init.companyName, agentName: view.agent.name, state });
  await next();
});

/** The panel for htmx to swap in place, or the page it sits on (`Vary`: one URL serves both). */
function answer(c: Context<RatingEnv>, panel: Partial<RatingPanelProps> = {}) {
  const { chatId, companyName, agentName, state } = c.var.rated;
  const props: RatingPanelProps = { chatId, agentName, rating: state.rating, ...panel };
  c.header("Vary", "HX-Request");
  c.header("Cache-Control", "private, no-store");
  return c.req.header("hx-request") ? fragment(c, <RatingPanel {...props} />) : c.render(<RatingPage companyName={companyName} {...props} />);
}

/** A second rating changes nothing: the form is refused (422, swapped like any refused form) with the first. */
function alreadyRated(c: Context<RatingEnv>) {
  c.status(422);
  return answer(c, { already: true });
}

const ratingAgain: FormPage<RatingEnv> = (c, sent, errors) => answer(c, { errors, values: { rating: sentText(sent, "rating"), comment: sentText(sent, "comment") } });

export const chatRatingRoutes = new Hono<AppEnv>()
  .get("/:chatId/rating", rateableChat, (c) => answer(c))
  .post(
    "/:chatId/rating",
    rateableChat,
    createMiddleware<RatingEnv>(async (c, next) => (c.var.rated.state.rating ? alreadyRated(c) : next())),
    formValidator(ratingForm, ratingAgain),
    async (c) => {
      const { chatId } = c.var.rated;
      const db = openDb(c.env.DB);
      const { rated, events } = await rateChat(db, chatId, c.req.valid("form"));
      await enqueueWebhooks(c.env, events);
      const state = (await chatRatingOf(db, chatId))!;
      c.set("rated", { ...c.var.rated, state });
      // Another tab's post won between the check and the update.
      if (!rated) return alreadyRated(c);
      // Without htmx, after the post the page is fetched again (a reload does not post twice).
      return c.req.header("hx-request") ? answer(c) : c.redirect(`/chats/${chatId}/rating`, 303);
    },
  );
