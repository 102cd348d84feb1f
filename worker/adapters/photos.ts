import { randomToken } from "../accounts/tokens";
import { photoKey, photoName, photoPath, uploadedPhotoName } from "../agents/photo";
import type { PhotoInput } from "../agents/profile";

// Agents' uploaded photos in R2 (the FILES bucket, under photos/). An object is written once under
// a new random name and never changed, so its URL can be cached for good; replacing a photo
// writes a new object and deletes the old one.

/** The photo URL the profile is to save for the agent's choice: an upload is stored in R2 first. */
export async function storeChosenPhoto(bucket: R2Bucket, photo: PhotoInput, current: string | null): Promise<string | null> {
  switch (photo.choice) {
    case "initials":
      return null;
    case "url":
      return photo.url;
    case "upload": {
      // No new file: the form allowed that only when the photo in use is an upload, which stays.
      if (!photo.upload) return current;
      const name = photoName(randomToken(24), photo.upload.type);
      await bucket.put(photoKey(name), photo.upload.file, { httpMetadata: { contentType: photo.upload.type } });
      return photoPath(name);
    }
  }
}

/**
 * Deletes the uploaded photo `photoUrl` points to unless it is the one `inUse`: the old photo once
 * a new choice is saved, or a new upload whose profile could not be saved. A web address is not
 * Parley's to delete.
 */
export async function deleteUnusedPhoto(bucket: R2Bucket, photoUrl: string | null, inUse: string | null): Promise<void> {
  const name = uploadedPhotoName(photoUrl);
  if (name && photoUrl !== inUse) await bucket.delete(photoKey(name));
}

/** The stored photo; without its body when the browser's copy (`ifNoneMatch`, an ETag) is still it. */
export const readPhoto = (bucket: R2Bucket, name: string, ifNoneMatch: string | undefined) =>
  bucket.get(photoKey(name), ifNoneMatch ? { onlyIf: new Headers({ "if-none-match": ifNoneMatch }) } : undefined);
