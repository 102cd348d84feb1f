import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { ErrorPage } from "../../views/ErrorPage";
import { AppError } from "./errors";

/**
 * A business's customer's pages: a room's contact form (and what it leads to), and a chat's pages
 * for someone not signed in. Their errors keep the customer's look, with a way back to the form.
 */
function customerPage(c: Context<AppEnv>): { backHref: string | null } | undefined {
  const path = c.req.path;
  const room = /^\/c\/([^/]+)\/([^/]+)/.exec(path);
  if (room) {
    const form = `/c/${room[1]}/${room[2]}`;
    // The form itself failing (no such company or room) has nothing to go back to.
    return { backHref: c.req.method === "GET" && path === form ? null : form };
  }
  if (path.startsWith("/chats/") && !c.get("user")) return { backHref: null };
  return undefined;
}

const FORM_TYPES = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/**
 * Whether `err` is this request's form body failing to parse (a multipart body that breaks off or
 * lacks its boundary, a charset that is not UTF-8): the sender's fault, not ours. Hono's form
 * validator says so with a 400 HTTPException; `parseBody` keeps the parse it tried, so asking
 * again gives back that same failure without reading the body twice.
 */
async function unreadableForm(c: Context<AppEnv>, err: unknown): Promise<boolean> {
  if (!c.req.raw.bodyUsed || !FORM_TYPES.test(c.req.header("content-type") ?? "")) return false;
  if (err instanceof HTTPException && err.status === 400) return true;
  return c.req.parseBody().then(
    () => false,
    (failure: unknown) => failure === err,
  );
}

const wantsJson = (c: Context) => /^\/(api|webhooks)\//.test(c.req.path) || (c.req.header("accept") ?? "").startsWith("application/json");

/** The one error answer: typed errors keep their status and message; anything else is logged and hidden. */
export async function handleError(c: Context<AppEnv>, err: unknown, notFoundMessage?: string): Promise<Response> {
  let status: number;
  let message: string;
  if (err === 404) {
    status = 404;
    message = notFoundMessage ?? "We could not find that page.";
  } else if (err instanceof AppError) {
    status = err.status;
    message = err.message;
  } else if (await unreadableForm(c, err)) {
    status = 400;
    message = "We could not read the form you sent. Please reload the page and try again.";
  } else {
    console.error("unhandled error", c.req.method, new URL(c.req.url).pathname, err);
    status = 500;
    message = "Something went wrong on our side. Please try again in a moment.";
  }
  if (wantsJson(c)) return c.json({ result: "ERROR", error: message }, status as 400);
  c.status(status as 400);
  // htmx shows this in the page's error banner instead of swapping it in.
  if (c.req.header("hx-request")) return c.text(message);
  return c.render(<ErrorPage status={status} message={message} customer={customerPage(c)} />);
}
