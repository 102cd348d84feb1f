import { exports } from "cloudflare:workers";

/**
 * A browser stand-in for route tests: keeps cookies, and sends forms with the CSRF token the
 * way a page would (hidden field), so tests go through the same checks as people do.
 */
type Worker = { fetch(request: Request): Promise<Response> };

export class Browser {
  /** `worker`: the Worker under test, or the same app with other settings (see test/integration/calls.test.ts). */
  constructor(
    private readonly worker: Worker = exports.default,
    private readonly cookies = new Map<string, string>(),
  ) {}

  /** The same browser (cookies shared) talking to another Worker. */
  through(worker: Worker): Browser {
    return new Browser(worker, this.cookies);
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await this.worker.fetch(new Request(`https://parley.test${path}`, { ...init, headers, redirect: "manual" }));
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, value] = pair!.split("=") as [string, string];
      const expired = attrs.some((a: string) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return res;
  }

  get(path: string) {
    return this.fetch(path);
  }

  /**
   * Posts a form; fetches `from` first (default: the same path) so the CSRF cookie exists.
   * `headers` add to the form's, e.g. `cf-connecting-ip` to post from another address.
   */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    { from = path, csrf = true, headers = {} }: { from?: string; csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    if (!this.cookies.has("parley_csrf")) await this.get(from);
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) body.append(k, item);
    if (csrf) body.set("_csrf", this.cookies.get("parley_csrf") ?? "");
    return this.fetch(path, { method: "POST", body, headers: { ...headers, "content-type": "application/x-www-form-urlencoded" } });
  }

  /** Posts a form with files as a page does (multipart/form-data, the CSRF token as a hidden field). */
  async postMultipart(path: string, fields: Record<string, string | File>, { from = path }: { from?: string } = {}): Promise<Response> {
    if (!this.cookies.has("parley_csrf")) await this.get(from);
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    body.set("_csrf", this.cookies.get("parley_csrf") ?? "");
    return this.fetch(path, { method: "POST", body });
  }

  /** A GET as htmx makes it (its header, so the answer is a fragment). */
  htmxGet(path: string) {
    return this.fetch(path, { headers: { "hx-request": "true" } });
  }

  /** A form as htmx posts it: its header, the CSRF token as a header, and the form's fields. */
  htmxPost(path: string, fields: Record<string, string>) {
    return this.fetch(path, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "content-type": "application/x-www-form-urlencoded", "hx-request": "true", "x-csrf-token": this.cookies.get("parley_csrf") ?? "" },
    });
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }
}

export const PASSWORD = "correct horse 9";

export async function signUpAs(
  browser: Browser,
  { slug, email, accountType = "company" }: { slug: string; email: string; accountType?: "solo" | "company" },
) {
  const res = await browser.post(
    "/signup",
    { accountType, companyName: `${slug} Ltd`, companySlug: slug, name: `Owner of ${slug}`, email, password: PASSWORD },
    { from: "/signup" },
  );
  if (res.status !== 303) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  return res;
}
