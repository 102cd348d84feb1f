// The script a website embeds with <script src="/embed/{company}/{room}.js" async>: a sticky chat
// button, a whisper after a while, and the room's contact form in a pop-up window. A window (not
// an iframe) keeps the form first-party, so its cookies work where browsers block third-party ones.
// The script is cached for minutes, so whether anyone is online is asked (the room's statistics)
// when the whisper is due: the room's whisper only while an agent takes chats, the offline one
// (or none) otherwise.

export type EmbedConfig = {
  url: string;
  theme: string;
  position: "left" | "right";
  popup: boolean;
  whisper: string;
  /** Said instead while no agent takes chats; empty: no whisper then. */
  offlineWhisper: string;
  /** The room's statistics (public, open to any origin). */
  statsUrl: string;
  whisperDelayMs: number;
  label: string;
};

/** The chat bubble on the button; the settings page's preview draws the same one. */
export const EMBED_ICON_PATH = "M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z";

const LOADER = `(function (config) {
  if (window.__parleyEmbed) return;
  window.__parleyEmbed = true;
  var side = config.position === "left" ? "left" : "right";
  var host = document.createElement("div");
  host.setAttribute("data-parley", "");
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.innerHTML =
    "<style>" +
    ".b{position:fixed;bottom:20px;" + side + ":20px;width:60px;height:60px;border-radius:50%;border:0;cursor:pointer;" +
    "background:" + config.theme + ";color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.25);display:grid;place-items:center;z-index:2147483646}" +
    ".b:hover{filter:brightness(.95)}.b svg{width:28px;height:28px}" +
    ".w{position:fixed;bottom:92px;" + side + ":20px;max-width:260px;padding:10px 14px;border-radius:12px;background:#fff;color:#111;" +
    "font:14px/1.4 system-ui,sans-serif;box-shadow:0 6px 20px rgba(0,0,0,.18);z-index:2147483646;cursor:pointer}" +
    ".w[hidden]{display:none}.x{margin-left:8px;color:#888;cursor:pointer;border:0;background:none;font-size:16px}" +
    "</style>" +
    "<div class='w' hidden role='status'><span></span><button class='x' aria-label='Dismiss'>×</button></div>" +
    "<button class='b' aria-label=''><svg viewBox='0 0 24 24' fill='none' stroke='currentColor' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'>" +
    "<path d='${EMBED_ICON_PATH}'/></svg></button>";
  var button = root.querySelector(".b");
  var whisper = root.querySelector(".w");
  button.setAttribute("aria-label", config.label);
  function open() {
    whisper.hidden = true;
    if (config.popup) {
      var left = side === "left" ? 20 : Math.max(0, screen.width - 460);
      var win = window.open(config.url, "parley-chat", "width=440,height=720,left=" + left + ",top=80");
      if (win) { win.focus(); return; }
    }
    window.open(config.url, "_blank", "noopener");
  }
  button.addEventListener("click", open);
  whisper.addEventListener("click", function (e) {
    if (e.target.classList.contains("x")) { whisper.hidden = true; e.stopPropagation(); return; }
    open();
  });
  function say(text) {
    if (!text) return;
    whisper.querySelector("span").textContent = text;
    whisper.hidden = false;
  }
  // Logged on and not on a break, on either console: someone takes chats.
  function online(stats) {
    var summary = (stats && stats.agStatSummary) || {};
    return [summary.browserAgentStatus, summary.mobileAppAgentStatus].some(function (counts) {
      return counts && Object.keys(counts).some(function (status) { return status !== "TAKING_BREAK" && counts[status] > 0; });
    });
  }
  if (config.whisper || config.offlineWhisper) {
    setTimeout(function () {
      fetch(config.statsUrl, { credentials: "omit" })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (stats) { say(online(stats) ? config.whisper : config.offlineWhisper); })
        .catch(function () { say(config.offlineWhisper); });
    }, config.whisperDelayMs);
  }
  (document.body || document.documentElement).appendChild(host);
})`;

/** The embed script of one room: the loader applied to the room's settings. */
export function embedScript(config: EmbedConfig): string {
  // The colour goes into CSS: only a plain #rrggbb gets there.
  const theme = /^#[0-9a-f]{6}$/i.test(config.theme) ? config.theme : "#4f46e5";
  // JSON is valid JavaScript; escaping "<" keeps "</script>" in a setting from ending a tag.
  const json = JSON.stringify({ ...config, theme }).replace(/</g, "\\u003c");
  return `${LOADER}(${json});\n`;
}
