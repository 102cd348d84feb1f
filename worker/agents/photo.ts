// An agent's photo (spec/agent-private-profile.txt): an image uploaded to Parley's storage, a web
// address of the agent's own, or none, when customers see an avatar of the agent's initials.
// Uploaded photos live in R2 under photos/{name} and are served at /photos/{name}: the name is
// random (so photos cannot be listed or guessed) and new per upload (so it may be cached forever).

export const PHOTO_CHOICES = ["initials", "upload", "url"] as const;
export type PhotoChoice = (typeof PHOTO_CHOICES)[number];

export const MAX_PHOTO_MB = 2;
export const MAX_PHOTO_BYTES = MAX_PHOTO_MB * 1024 * 1024;

/** The image types accepted, with the extension their names get. SVG is not one: it can hold script. */
const PHOTO_EXTENSIONS = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" } as const;
export type PhotoType = keyof typeof PHOTO_EXTENSIONS;

/** How many first bytes of a file `photoTypeOf` reads. */
export const PHOTO_SIGNATURE_BYTES = 12;

const startsWith = (bytes: Uint8Array, at: number, signature: number[]) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

/** The image type by the file's first bytes (its magic number), never by its name or the type the browser sent. */
export function photoTypeOf(head: Uint8Array): PhotoType | null {
  if (startsWith(head, 0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, 0, [0x89, ...ascii("PNG\r\n"), 0x1a, 0x0a])) return "image/png";
  if (startsWith(head, 0, ascii("RIFF")) && startsWith(head, 8, ascii("WEBP"))) return "image/webp";
  return null;
}

/** A new photo's name: 24 random bytes (base64url) and the extension of its checked type. */
export const photoName = (randomPart: string, type: PhotoType) => `${randomPart}.${PHOTO_EXTENSIONS[type]}`;

const NAME = /^[A-Za-z0-9_-]{32}\.(jpg|png|webp)$/;
const TYPE_OF_EXTENSION: Record<string, PhotoType> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp" };

/** The type a stored photo is served as, from its name (which only an upload's checked type gave it); null for a name Parley never gives. */
export function servedPhotoType(name: string): PhotoType | null {
  const match = NAME.exec(name);
  return match ? TYPE_OF_EXTENSION[match[1]!]! : null;
}

export const photoKey = (name: string) => `photos/${name}`;
export const photoPath = (name: string) => `/photos/${name}`;

/** The name of the uploaded photo a profile's photo URL points to; null for a web address or no photo. */
export function uploadedPhotoName(photoUrl: string | null | undefined): string | null {
  const name = photoUrl?.startsWith("/photos/") ? photoUrl.slice("/photos/".length) : null;
  return name && servedPhotoType(name) ? name : null;
}

/** Which of the three a saved photo URL is, to preselect it in the form. */
export const photoChoiceOf = (photoUrl: string | null | undefined): PhotoChoice => (!photoUrl ? "initials" : uploadedPhotoName(photoUrl) ? "upload" : "url");
