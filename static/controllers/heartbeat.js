// Every live socket says "ping" every 20 seconds. The chat's Durable Object answers "pong" without
// waking, and keeps the time: its evidence that this page is still here, so that a page gone
// without a close (a lost network, a sleeping laptop) stops the meter at its last ping.
const HEARTBEAT_MS = 20_000;

document.addEventListener("htmx:wsOpen", (event) => {
  const socket = event.detail.event.target;
  const timer = setInterval(() => {
    if (socket.readyState === WebSocket.OPEN) socket.send("ping");
    else clearInterval(timer);
  }, HEARTBEAT_MS);
});

// The answer is for the server's bookkeeping, not for the page.
document.addEventListener("htmx:wsBeforeMessage", (event) => {
  if (event.detail.message === "pong") event.preventDefault();
});
