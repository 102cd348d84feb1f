// The console's service worker (static/sw.js, served at /sw.js), registered for /agent: the
// installable app's and Web Push's. Registering again returns the same registration.
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.register("/sw.js", { scope: "/agent" });
}
