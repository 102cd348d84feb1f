// The platform floor for bench/chat-load.mjs (part D): the least a chat relay on this stack can
// do. One SQLite-backed Durable Object per pair (/pair/{n}), its two sockets accepted with the
// WebSocket Hibernation API as Parley's chats are; each text is stored before it is forwarded
// as-is to the other socket (the output gate holds the send until the row is written). No
// auth, no parsing, no HTML, no copy back to the sender. Measured under the same wrangler dev
// and workerd as Parley, it tells the platform's share of the relay time from Parley's own.
import { DurableObject } from "cloudflare:workers";

export class PairRelay extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("create table if not exists texts (seq integer primary key, body text not null)");
  }

  async fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  webSocketMessage(ws, message) {
    this.ctx.storage.sql.exec("insert into texts (body) values (?)", message);
    for (const peer of this.ctx.getWebSockets()) if (peer !== ws) peer.send(message);
  }
}

export default {
  fetch(request, env) {
    const pair = /^\/pair\/(\d+)$/.exec(new URL(request.url).pathname)?.[1];
    if (pair && request.headers.get("upgrade") === "websocket") return env.PAIRS.get(env.PAIRS.idFromName(pair)).fetch(request);
    return new Response("platform relay: open a WebSocket on /pair/{n}", { status: pair ? 426 : 200 });
  },
};
