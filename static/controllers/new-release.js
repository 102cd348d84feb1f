// A page left open across a deploy names the old release's built files, which the new release no
// longer serves: when a part loaded later (a call's media, a lazily loaded controller) fails to
// load while the browser is online, the page asks once to be reloaded instead of failing quietly.
export function offerReload() {
  if (!navigator.onLine || document.getElementById("new-release")) return;
  const banner = document.createElement("div");
  banner.id = "new-release";
  banner.className = "new-release";
  banner.setAttribute("role", "alert");
  const text = document.createElement("span");
  text.textContent = "Parley has been updated. Reload the page to go on.";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-primary btn-small";
  button.textContent = "Reload";
  button.addEventListener("click", () => location.reload());
  banner.append(text, button);
  document.body.append(banner);
}

// Lazily loaded code asks with an event rather than an import, which would split this module off
// the page's script into one more file to download.
document.addEventListener("parley:offer-reload", offerReload);
