// The addresses an admin or agent hands out for a room (spec: URL generator, HTML code
// integration, statistics API). Pure: the origin is the caller's.

export type ContactLinks = {
  /** The contact form: the customer chooses chat, email, voice or video. */
  contactForm: string;
  /** The same form that starts a voice or a video chat (routes/customer.tsx `mode`). */
  voice: string;
  video: string;
  /** Redirects to the WhatsApp agent whose turn it is (wa.me). */
  whatsapp: string;
};

export type RoomShareLinks = ContactLinks & {
  /** The tag a website pastes in: the sticky button and pop-up (routes/embed.ts). */
  embedSnippet: string;
  /** Agents' statistics as JSON: counts, and counts with each agent (routes/public-api.ts). */
  statsBrief: string;
  statsDetails: string;
};

function contactLinks(base: string): ContactLinks {
  return { contactForm: base, voice: `${base}?mode=voice`, video: `${base}?mode=video`, whatsapp: `${base}/whatsapp` };
}

const segment = (s: string) => encodeURIComponent(s);

/** A public room's links: /c/{company}/{room}, its embed script and its statistics. */
export function roomShareLinks(origin: string, companySlug: string, roomName: string): RoomShareLinks {
  const path = `${segment(companySlug)}/${segment(roomName)}`;
  return {
    ...contactLinks(`${origin}/c/${path}`),
    embedSnippet: `<script src="${origin}/embed/${path}.js" async></script>`,
    statsBrief: `${origin}/api/stats/${path}`,
    statsDetails: `${origin}/api/stats/${path}/details`,
  };
}

/** An agent's private room, /c/{company}/~{handle}: chats reach that agent alone. */
export function privateRoomLinks(origin: string, companySlug: string, handle: string): ContactLinks {
  return contactLinks(`${origin}/c/${segment(companySlug)}/~${segment(handle)}`);
}
