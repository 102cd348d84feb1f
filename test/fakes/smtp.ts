import { createServer, type Server, type Socket } from "node:net";

// An SMTP server that fails on purpose, for the failures a real relay has: the recipient's local
// part says how (maildev, the catcher, accepts everything). It speaks just enough SMTP for Parley's
// client: greeting, EHLO, MAIL, RCPT, DATA, RSET, QUIT.
//
//   refused@…  550 at RCPT (permanent: the mail fails at once)
//   later@…    451 at RCPT (temporary: the mail is tried again)
//   dropped@…  the connection closes instead of an answer to RCPT
//   anything else is accepted, and counted in `accepted`.
//
// It offers AUTH PLAIN and LOGIN and takes only the user "parley" with the password "secret"
// (535 otherwise); a client that does not authenticate may send all the same.

export type FakeSmtp = { port: number; accepted: string[]; close(): Promise<void> };

export function startFakeSmtp(port = 0): Promise<FakeSmtp> {
  const accepted: string[] = [];
  const server: Server = createServer((socket: Socket) => {
    let buffer = "";
    let inData = false;
    let recipient = "";
    let login: "user" | "password" | null = null;
    const say = (line: string) => socket.write(`${line}\r\n`);
    say("220 fake-smtp ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          buffer = buffer.slice(end + 5);
          inData = false;
          accepted.push(recipient);
          say("250 2.0.0 queued");
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (login === "user") {
          login = Buffer.from(line, "base64").toString() === "parley" ? "password" : null;
          say(login ? "334 UGFzc3dvcmQ6" : "535 5.7.8 Authentication credentials invalid");
        } else if (login === "password") {
          login = null;
          say(Buffer.from(line, "base64").toString() === "secret" ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
        } else if (verb === "EHLO") say("250-fake-smtp\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
        else if (line.startsWith("AUTH PLAIN ")) say(Buffer.from(line.slice(11), "base64").toString() === "\0parley\0secret" ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
        else if (line === "AUTH LOGIN") {
          login = "user";
          say("334 VXNlcm5hbWU6");
        } else if (verb === "MAIL" || verb === "RSET") say("250 2.1.0 ok");
        else if (verb === "RCPT") {
          recipient = /<([^>]*)>/.exec(line)?.[1] ?? "";
          const local = recipient.split("@")[0];
          if (local === "refused") say("550 5.1.1 No such user here");
          else if (local === "later") say("451 4.3.0 Mailbox busy, try again later");
          else if (local === "dropped") socket.destroy();
          else say("250 2.1.5 ok");
        } else if (verb === "DATA") {
          inData = true;
          say("354 go ahead");
        } else if (verb === "QUIT") {
          say("221 bye");
          socket.end();
        } else say("502 5.5.2 not implemented");
      }
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve({ port: typeof address === "object" && address ? address.port : port, accepted, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}
