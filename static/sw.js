// The agent console's service worker (registered by static/controllers/service-worker.js, scope
// /agent). It keeps the console's static shell for when the network fails, and shows the rings
// Parley pushes while no console is open (worker/push). Pages and their data are never cached:
// they hold customers' details and are fetched from the network as if this worker did not exist.

// SHELL (this release's cache) and SHELL_FILES (the console's bundle and icon) come first in the
// script as served: worker/routes/app-shell.ts puts them there from the build's names, so that a
// new release is a new script, which browsers install again, dropping the old release's cache.
/** Static folders only (wrangler.toml serves them without the Worker): nothing private lives there. */
const STATIC = /^\/(build|css|controllers|format|icons|media)\//;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

// Network first, so a new release is used at once; the copy kept answers only when offline.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !STATIC.test(url.pathname)) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(SHELL).then((cache) => cache.put(event.request, copy)));
        }
        return response;
      })
      .catch(() => caches.match(event.request).then((kept) => kept ?? Response.error())),
  );
});

const MODES = { chat: "Chat", voice: "Voice call", video: "Video call" };
/** What a withdrawn ring's notification says, by why it was withdrawn (worker/push/notifications.ts). */
const WITHDRAWN = {
  taken: { title: "Already taken", body: "A colleague answered this chat." },
  left: { title: "The customer left", body: "The customer stopped waiting." },
};
/** Long enough to be read by someone looking at the screen, short enough not to linger. */
const WITHDRAWN_SHOWN_MS = 4000;

// A ring, or its withdrawal once someone else answered or the customer left: both carry the
// chat id, the notification's tag, so the withdrawal finds the ring's notification.
self.addEventListener("push", (event) => {
  const message = event.data?.json();
  if (!message?.chatId) return;
  if (message.type === "withdraw") {
    event.waitUntil(withdraw(message));
    return;
  }
  event.waitUntil(
    self.registration.showNotification(`${message.customer} is waiting`, {
      body: `${MODES[message.mode] ?? "Chat"} in ${message.room}. Tap to open your console.`,
      tag: message.chatId,
      renotify: true,
      requireInteraction: true,
      icon: "/icons/parley-192.png",
      badge: "/icons/parley-192.png",
      data: { chatId: message.chatId },
    }),
  );
});

// The ring still showing is replaced, silently, by why it went, then closed: a push must show a
// notification (Chrome's userVisibleOnly), and closing the ring alone would leave Chrome's own
// "updated in the background" in its place. With no ring showing, there is nothing to say.
async function withdraw({ chatId, why }) {
  const shown = await self.registration.getNotifications({ tag: chatId });
  if (!shown.length) return;
  const { title, body } = WITHDRAWN[why] ?? WITHDRAWN.taken;
  await self.registration.showNotification(title, {
    body,
    tag: chatId,
    silent: true,
    renotify: false,
    icon: "/icons/parley-192.png",
    badge: "/icons/parley-192.png",
    data: { chatId, withdrawn: true },
  });
  await new Promise((resolve) => setTimeout(resolve, WITHDRAWN_SHOWN_MS));
  const replaced = await self.registration.getNotifications({ tag: chatId });
  replaced.filter((n) => n.data?.withdrawn).forEach((n) => n.close());
}

// Opening the console connects it, and the rooms ring it for every chat still waiting: the chat
// is there to answer, unless a colleague was quicker or the customer left.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  if (event.notification.data?.withdrawn) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).pathname === "/agent");
      return open ? open.focus() : self.clients.openWindow("/agent");
    }),
  );
});
