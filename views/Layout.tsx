import type { Child } from "hono/jsx";
import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../worker/app-env";
import { CSRF_FIELD } from "../worker/http/csrf";
import { customerChatCss, pageAssets } from "../worker/http/page-assets";

// htmx swaps 422 (a form with its errors) like a success; other errors show the error banner.
const HTMX_CONFIG = JSON.stringify({
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "422", swap: true },
    { code: "[45]..", swap: false, error: true },
  ],
  // The CSP allows no inline styles and no eval (htmx's hx-on and trigger filters need it).
  includeIndicatorStyles: false,
  allowEval: false,
  // Binary socket frames are messages for controllers, read at once (static/controllers/socket-messages.js).
  wsBinaryType: "arraybuffer",
});

/**
 * `app`: a page of the agent console's installable web app (worker/routes/app-shell.ts).
 * `light`: a customer's page that shows only what their first stylesheet styles: the contact form
 * (`form`), or the chat page (`chat`), which fetches the second at idle priority for when its chat
 * connects. Other customer pages load both.
 */
export type LayoutProps = { title: string; children?: Child; bare?: boolean; app?: boolean; light?: "form" | "chat" };

export function Layout({ title, children, bare, app, light }: LayoutProps) {
  const c = useRequestContext<AppEnv>();
  const user = c.get("user");
  const headers = JSON.stringify({ "x-csrf-token": c.get("csrfToken") });
  // Bare pages are the customer's (no staff header): they get the lighter bundle.
  const assets = pageAssets(bare ? "customer" : "staff");
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${title} · Parley`}</title>
        <link rel="icon" href="/icons/parley.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={assets.css} />
        {bare && !light ? <link rel="stylesheet" href={customerChatCss} /> : null}
        {light === "chat" ? <link rel="prefetch" href={customerChatCss} /> : null}
        {app ? <link rel="manifest" href="/manifest.webmanifest" /> : null}
        {app ? <meta name="theme-color" content="#4f46e5" /> : null}
        <script type="module" src={assets.script}></script>
        {assets.preload.map((href) => (
          <link rel="modulepreload" href={href} />
        ))}
      </head>
      <body hx-headers={headers}>
        {bare ? null : <Header />}
        <main class={bare ? "bare" : "page"}>{children}</main>
      </body>
    </html>
  );
}

function Header() {
  const c = useRequestContext<AppEnv>();
  const user = c.get("user");
  const path = new URL(c.req.url).pathname;
  // The most specific nav entry that prefixes the path is the active one.
  const hrefs = ["/admin", "/admin/agents", "/admin/payments", "/admin/plan", "/admin/mail", "/admin/webhooks", "/agent", "/agent/inbox", "/agent/clients", "/agent/profile", "/revenue", "/chat-records", "/login", "/signup"];
  const active = hrefs.filter((h) => path === h || path.startsWith(`${h}/`)).sort((a, b) => b.length - a.length)[0];
  const link = (href: string, label: string) => (
    <a href={href} class={href === active ? "nav-link active" : "nav-link"}>
      {label}
    </a>
  );
  return (
    <header class="topbar">
      <a href={user ? (user.isAdmin ? "/admin" : "/agent") : "/"} class="brand">
        <img src="/icons/parley.svg" alt="" width="28" height="28" />
        <span>Parley</span>
      </a>
      {user ? (
        <nav class="nav">
          {user.isAdmin ? link("/admin", "Rooms") : null}
          {user.isAdmin ? link("/admin/agents", "Agent staff") : null}
          {user.isAdmin ? link("/admin/payments", "Payments") : null}
          {user.isAdmin ? link("/admin/plan", "Plan") : null}
          {user.isAdmin ? link("/admin/mail", "Mail log") : null}
          {user.isAdmin ? link("/admin/webhooks", "Webhooks") : null}
          {user.isAgent ? link("/agent", "Agent console") : null}
          {user.isAgent || user.isAdmin ? link("/agent/inbox", "Inbox") : null}
          {user.isAgent ? link("/agent/clients", "Clients") : null}
          {user.isAgent ? link("/agent/profile", "Private profile") : null}
          {link("/revenue", "Revenue")}
          {link("/chat-records", "Chat records")}
        </nav>
      ) : (
        <nav class="nav">
          {link("/login", "Sign in")}
          {link("/signup", "Create account")}
        </nav>
      )}
      {user ? (
        <form method="post" action="/logout" class="account">
          <span class="account-name" title={user.email}>
            {user.name} · {user.companyName}
          </span>
          <CsrfField />
          <button type="submit" class="btn btn-ghost btn-small">
            Sign out
          </button>
        </form>
      ) : null}
    </header>
  );
}

/** The line under a business's customer pages (a contact form, a chat, their errors). */
export function PoweredBy({ companyName }: { companyName?: string }) {
  return (
    <p class="powered">
      {companyName ? `${companyName} · ` : null}Powered by <a href="/">Parley</a>
    </p>
  );
}

export function CsrfField() {
  const c = useRequestContext<AppEnv>();
  return <input type="hidden" name={CSRF_FIELD} value={c.get("csrfToken")} />;
}
