import WebSocket from "ws";

// What a browser does against the real local server, over HTTP and real WebSockets: signs in,
// posts a room's contact form, authorises a card, and holds live sockets whose frames it keeps.
// (Node's own WebSocket sends no cookies, which every Parley socket needs; `ws` does.)

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const cookiesOf = (res: Response) => Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=") as [string, string]));

/** A browser's cookies, by name, for one server; `ip` is its network address as Cloudflare reports it. */
export class Browser {
  readonly cookies: Record<string, string> = {};
  constructor(
    readonly base: string,
    readonly ip = "127.0.0.1",
  ) {}

  get cookieHeader(): string {
    return Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join("; ");
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, { redirect: "manual", ...init, headers: { cookie: this.cookieHeader, "cf-connecting-ip": this.ip, ...init.headers } });
    Object.assign(this.cookies, cookiesOf(res));
    return res;
  }

  /** Posts a form the way the page does, with the CSRF field; fetches `from` first for the cookie. */
  async post(path: string, fields: Record<string, string>, from = path): Promise<Response> {
    if (!this.cookies.parley_csrf) await (await this.fetch(from)).arrayBuffer();
    return this.fetch(path, {
      method: "POST",
      body: form({ ...fields, _csrf: this.cookies.parley_csrf ?? "" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  /** A live socket with this browser's cookies, from this server's own page (its Origin). */
  socket(path: string, label: string): Promise<Live> {
    return Live.open(`${this.base.replace(/^http/, "ws")}${path}`, { cookie: this.cookieHeader, origin: this.base }, label);
  }
}

/** An open socket and every frame it received. */
export class Live {
  readonly frames: string[] = [];
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    readonly label: string,
  ) {
    ws.on("message", (data) => {
      this.frames.push(data.toString());
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on("close", () => {
      this.closed = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on("error", () => {
      this.closed = true;
    });
  }

  static open(url: string, headers: Record<string, string>, label: string): Promise<Live> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: 15_000 });
      const live = new Live(ws, label);
      ws.once("open", () => resolve(live));
      ws.once("unexpected-response", (_req, res) => reject(new Error(`${label}: HTTP ${res.statusCode}`)));
      ws.once("error", reject);
    });
  }

  send(message: Record<string, unknown> | string): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  saw(match: (frame: string) => boolean): boolean {
    return this.frames.some(match);
  }

  /** The first frame, received before or after now, that matches. */
  async until(match: (frame: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.closed) throw new Error(`${this.label} closed before ${what}`);
      if (Date.now() > deadline) throw new Error(`${this.label}: no ${what} within ${timeoutMs / 1000}s`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 200);
      });
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

export const frames = {
  ring: (chatId: string) => (f: string) => f.includes(`<article id="ring-${chatId}"`),
  chatOpened: (chatId: string) => (f: string) => f.includes(`id="chat-slot-${chatId}"`),
  snapshot: (chatId: string) => (f: string) => f.includes(`id="chat-head-${chatId}"`) && f.includes(`id="controls-${chatId}"`),
  message: (body: string) => (f: string) => f.includes('hx-swap-oob="beforeend:#transcript-') && f.includes(`<p>${body}</p>`),
  status: (status: string) => (f: string) => f.includes(`data-status="${status}"`),
  error: (f: string) => f.includes('id="socket-error"'),
};

/** A signed-in agent's browser. */
export async function signIn(base: string, email: string, password: string): Promise<Browser> {
  const browser = new Browser(base);
  const res = await browser.post("/login", { email, password }, "/login");
  if (res.status !== 303 || !browser.cookies.parley_session) throw new Error(`signing in ${email}: HTTP ${res.status}`);
  return browser;
}

/** A customer's browser that posted a room's contact form; the chat's id and its page's cookie are kept. */
export async function askForChat(base: string, path: string, name: string, ip?: string): Promise<{ browser: Browser; chatId: string }> {
  const browser = new Browser(base, ip);
  const res = await browser.post(path, { name, email: "carla@example.com", message: "Hello there", mode: "chat" });
  if (res.status !== 303) throw new Error(`the contact form at ${path}: HTTP ${res.status} ${await res.text()}`);
  return { browser, chatId: res.headers.get("location")!.split("/").pop()! };
}
