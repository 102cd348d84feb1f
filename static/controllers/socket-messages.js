// The live sockets carry two kinds of frame (worker/live/socket-frames.ts): text frames are HTML
// fragments, which htmx swaps; binary frames are JSON messages with a `type`, for controllers.
// A message is taken from htmx here and handed on as a `parley:message` event from the socket's
// element, with the message and the socket to answer on.
const decoder = new TextDecoder();

/**
 * Each opened socket's element → htmx's wrapper of it (the same across reconnects), for a
 * controller loaded after it opened: it asks with a `parley:socket` event from the element, whose
 * `detail.socket` is filled in (an event rather than an import, which would split this module off
 * the page's script into one more file to download).
 */
const sockets = new WeakMap();
document.addEventListener("htmx:wsOpen", (event) => sockets.set(event.target, event.detail.socketWrapper));
document.addEventListener("parley:socket", (event) => (event.detail.socket = sockets.get(event.target)));

document.addEventListener("htmx:wsBeforeMessage", (event) => {
  const data = event.detail.message;
  if (!(data instanceof ArrayBuffer)) return;
  event.preventDefault();
  let message;
  try {
    message = JSON.parse(decoder.decode(data));
  } catch (error) {
    console.error("a socket message that is not JSON", error);
    return;
  }
  event.target.dispatchEvent(new CustomEvent("parley:message", { bubbles: true, detail: { message, socket: event.detail.socketWrapper } }));
});
