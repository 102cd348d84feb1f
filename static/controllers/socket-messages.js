// The live sockets carry two kinds of frame (worker/live/socket-frames.ts): text frames are HTML
// fragments, which htmx swaps; binary frames are JSON messages with a `type`, for controllers.
// A message is taken from htmx here and handed on as a `parley:message` event from the socket's
// element, with the message and the socket to answer on.
const decoder = new TextDecoder();

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
