import { connect } from "cloudflare:sockets";
import { Email } from "worker-mailer";
import type { SendFailure } from "../mail/delivery";
import { encodedWords, headerText, mailbox } from "../mail/header-fields";
import { isMailAddress } from "../mail/message";

// Mail leaves by SMTP, over the Workers' TCP sockets (cloudflare:sockets), to the relay the
// operator configures: any provider's relay works, and locally `npm start` points it at maildev.
// worker-mailer builds the message (multipart text + HTML, quoted-printable, dot-stuffing); the
// conversation is ours, because worker-mailer's reader spins forever on a connection the server
// closed (it loops on `done`), pinning the isolate's CPU so that not even a timer can stop it.

/** The relay, from the environment (.dev.vars.example); null when SMTP_HOST is unset. */
export type SmtpConfig = {
  host: string;
  port: number;
  /** "tls": TLS from the first byte (port 465); "starttls": upgrade before anything else, required (587); "none": plain text, for a local catcher only. */
  security: "tls" | "starttls" | "none";
  user: string | null;
  password: string | null;
  /** The address every mail is sent from (the envelope and the From header); names vary per mail. */
  from: string;
};

export type SmtpEnv = {
  SMTP_HOST?: string;
  SMTP_PORT?: string;
  SMTP_SECURE?: string;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  MAIL_FROM?: string;
};

const SECURITY = ["tls", "starttls", "none"] as const;

export function smtpConfig(env: SmtpEnv): SmtpConfig | null {
  if (!env.SMTP_HOST) return null;
  const security = SECURITY.find((s) => s === (env.SMTP_SECURE || "starttls"));
  if (!security) throw new Error(`SMTP_SECURE must be one of ${SECURITY.join(", ")}, not "${env.SMTP_SECURE}"`);
  const from = env.MAIL_FROM?.trim() ?? "";
  if (!isMailAddress(from)) throw new Error(`MAIL_FROM must be an email address, not "${from}"`);
  return {
    host: env.SMTP_HOST,
    port: Number(env.SMTP_PORT || (security === "tls" ? 465 : 587)),
    security,
    user: env.SMTP_USER || null,
    password: env.SMTP_PASSWORD || null,
    from,
  };
}

/** One mail as the relay gets it. */
export type SmtpMail = {
  id: string;
  to: string;
  fromName: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
};

/** A send that did not go through; `permanent` when the relay refused this mail for good (5xx). */
export class SmtpError extends Error implements SendFailure {
  constructor(
    readonly reason: string,
    readonly permanent: boolean,
  ) {
    super(reason);
  }
}

const CONNECT_TIMEOUT_MS = 10_000;
const REPLY_TIMEOUT_MS = 30_000;

/** Sends one mail over a connection of its own; throws SmtpError when it did not go. */
export async function sendMail(config: SmtpConfig, mail: SmtpMail): Promise<void> {
  const data = messageData(config, mail);
  const session = await SmtpSession.open(config);
  try {
    let capabilities = await session.hello();
    if (config.security === "starttls") {
      if (!/^\d{3}[ -]STARTTLS\b/im.test(capabilities)) throw new SmtpError(`${config.host} does not offer STARTTLS (set SMTP_SECURE)`, false);
      await session.command("STARTTLS", 2);
      session.startTls();
      // What the relay offers over TLS (AUTH often) is what counts.
      capabilities = await session.hello();
    }
    if (config.user) await session.authenticate(config.user, config.password ?? "", capabilities);
    // From here a 5xx is the relay's answer about this mail, not about the connection.
    await session.command(`MAIL FROM:<${config.from}>`, 2, true);
    await session.command(`RCPT TO:<${mail.to}>`, 2, true);
    await session.command("DATA", 3, true);
    await session.send(data, 2, true);
    await session.quit();
  } finally {
    session.close();
  }
}

/** The message as DATA carries it (dot-stuffed, ending in CRLF.CRLF), every header field checked. */
function messageData(config: SmtpConfig, mail: SmtpMail): string {
  if (!isMailAddress(mail.to)) throw new SmtpError(`"${headerText(mail.to, 254)}" is not a valid email address`, true);
  if (mail.replyTo !== null && !isMailAddress(mail.replyTo)) throw new SmtpError(`Reply-To "${headerText(mail.replyTo, 254)}" is not a valid email address`, true);
  const domain = config.from.split("@")[1]!;
  const fields: Record<string, string> = {
    From: mailbox(mail.fromName, config.from),
    To: mail.to,
    ...(mail.replyTo ? { "Reply-To": mail.replyTo } : {}),
    Subject: encodedWords(headerText(mail.subject, 200)),
    // The row's id: a relay that sees one mail twice (a retry after a lost answer) can tell.
    "Message-ID": `<${mail.id.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, "-")}@${domain}>`,
  };
  for (const [name, value] of Object.entries(mail.headers)) {
    if (!/^[A-Za-z0-9-]+$/.test(name) || name in fields) throw new SmtpError(`"${headerText(name, 80)}" may not be added as a header field`, true);
    if (/[\p{Cc}\u2028\u2029]/u.test(value)) throw new SmtpError(`The ${name} header field holds a line break or control character`, true);
    fields[name] = value;
  }
  return new Email({ from: config.from, to: mail.to, subject: "", text: mail.text, ...(mail.html ? { html: mail.html } : {}), headers: fields }).getEmailData();
}

/** Times a step out: the socket is closed, which ends the read or write waiting on it. */
async function within<T>(ms: number, what: string, step: Promise<T>, onTimeout: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new SmtpError(`${what} timed out`, false));
    }, ms);
  });
  try {
    return await Promise.race([step, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One SMTP conversation: a command, then the reply it waits for, one at a time. */
class SmtpSession {
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private buffered = "";
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  private constructor(
    private socket: Socket,
    private readonly config: SmtpConfig,
  ) {
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
  }

  static async open(config: SmtpConfig): Promise<SmtpSession> {
    const socket = connect({ hostname: config.host, port: config.port }, { secureTransport: config.security === "tls" ? "on" : config.security === "starttls" ? "starttls" : "off", allowHalfOpen: false });
    const where = `${config.host}:${config.port}`;
    try {
      await within(CONNECT_TIMEOUT_MS, `Connecting to ${where}`, socket.opened, () => void socket.close().catch(() => {}));
    } catch (err) {
      if (err instanceof SmtpError) throw err;
      throw new SmtpError(`Could not connect to ${where}: ${(err as Error).message}`, false);
    }
    const session = new SmtpSession(socket, config);
    try {
      await session.expect(2, false, "greeting");
    } catch (err) {
      session.close();
      throw err;
    }
    return session;
  }

  /** EHLO, answered by the relay's capabilities. */
  async hello(): Promise<string> {
    const domain = this.config.from.split("@")[1]!;
    return this.command(`EHLO ${domain}`, 2);
  }

  startTls(): void {
    this.reader.releaseLock();
    this.writer.releaseLock();
    this.socket = this.socket.startTls();
    this.reader = this.socket.readable.getReader();
    this.writer = this.socket.writable.getWriter();
  }

  async authenticate(user: string, password: string, capabilities: string): Promise<void> {
    const base64 = (s: string) => btoa(String.fromCharCode(...this.encoder.encode(s)));
    if (/^\d{3}[ -]AUTH\b.*\bPLAIN\b/im.test(capabilities) || !/^\d{3}[ -]AUTH\b.*\bLOGIN\b/im.test(capabilities)) {
      await this.command(`AUTH PLAIN ${base64(`\0${user}\0${password}`)}`, 2, false, "AUTH PLAIN");
      return;
    }
    await this.command("AUTH LOGIN", 3);
    await this.command(base64(user), 3, false, "AUTH LOGIN user");
    await this.command(base64(password), 2, false, "AUTH LOGIN password");
  }

  /** Sends a line and waits for a reply of the expected class (2xx, 3xx); `final` marks 5xx as permanent. */
  async command(line: string, expected: number, final = false, shown = line): Promise<string> {
    if (/[\r\n]/.test(line)) throw new SmtpError("A line break inside an SMTP command was refused", true);
    return this.send(`${line}\r\n`, expected, final, shown);
  }

  async send(data: string, expected: number, final: boolean, shown = "the message"): Promise<string> {
    await within(REPLY_TIMEOUT_MS, `Sending ${shown}`, this.writer.write(this.encoder.encode(data)), () => this.close()).catch((err) => {
      if (err instanceof SmtpError) throw err;
      throw new SmtpError(`The connection to ${this.config.host} failed while sending ${shown}: ${(err as Error).message}`, false);
    });
    return this.expect(expected, final, shown);
  }

  async quit(): Promise<void> {
    await this.command("QUIT", 2).catch(() => {});
  }

  close(): void {
    this.socket.close().catch(() => {});
  }

  /** The next whole reply (its last line "NNN text"), checked against the expected class. */
  async expect(expected: number, final: boolean, shown: string): Promise<string> {
    const reply = await within(REPLY_TIMEOUT_MS, `Waiting for ${this.config.host}'s answer to ${shown}`, this.reply(shown), () => this.close());
    const code = Number(reply.slice(reply.lastIndexOf("\n", reply.length - 2) + 1).slice(0, 3));
    if (Math.floor(code / 100) !== expected) {
      const said = headerText(reply, 300);
      throw new SmtpError(`${this.config.host} answered ${shown.split(" ")[0]} with "${said}"`, final && code >= 500);
    }
    return reply;
  }

  private async reply(shown: string): Promise<string> {
    for (;;) {
      const end = lastLineEnd(this.buffered);
      if (end >= 0) {
        const reply = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end);
        return reply;
      }
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await this.reader.read();
      } catch (err) {
        throw new SmtpError(`The connection to ${this.config.host} failed while waiting for the answer to ${shown}: ${(err as Error).message}`, false);
      }
      if (chunk.done) throw new SmtpError(`${this.config.host} closed the connection before answering ${shown}`, false);
      this.buffered += this.decoder.decode(chunk.value, { stream: true });
    }
  }
}

/** Where the first complete reply in `text` ends (after its "NNN " line), or -1 while it is not all there. */
function lastLineEnd(text: string): number {
  let start = 0;
  for (;;) {
    const newline = text.indexOf("\n", start);
    if (newline < 0) return -1;
    if (/^\d{3}(?: |\r?$)/.test(text.slice(start, newline))) return newline + 1;
    start = newline + 1;
  }
}
