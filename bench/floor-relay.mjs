// The floor for bench/chat-load.mjs: a bare WebSocket relay in Node, with nothing a chat product
// does (no auth, no parsing, no storage, no HTML). Two clients connect to the same path
// (/pair/{n}); every message one sends is forwarded as-is to the other. Run as its own process,
// like workerd, so the load generator's process is not also the server's. Prints
// {"port": N} on stdout once listening; stops on SIGTERM or when its parent goes away.
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const pairs = new Map();
const server = createServer((_req, res) => res.writeHead(426).end("WebSocket only"));
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on("connection", (ws, req) => {
  const key = req.url ?? "/";
  const peers = pairs.get(key) ?? new Set();
  peers.add(ws);
  pairs.set(key, peers);
  ws.on("message", (data, isBinary) => {
    for (const peer of peers) if (peer !== ws && peer.readyState === 1) peer.send(data, { binary: isBinary });
  });
  ws.on("close", () => {
    peers.delete(ws);
    if (!peers.size) pairs.delete(key);
  });
  ws.on("error", () => {});
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});

const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("disconnect", stop);
// The parent's stdin pipe closes when the parent dies, even by SIGKILL.
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
