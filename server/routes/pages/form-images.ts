// The images of a multipart form (the post composer's and the messages' forms): up to four `imageN` files with
// their `altN` descriptions, saved through the one image pipeline (post-media.ts: sniffing, pixel cap, re-encoding)
// before the post is written. A refused image is a translated message for the form, nothing stored for the post.
import { bodyLimit } from "hono/body-limit";
import { DomainError } from "../../domain/errors.ts";
import { MAX_ATTACHMENT_BYTES, saveAttachment } from "../../domain/posts/post-media.ts";
import { postImageReencoder } from "../../domain/media/media.ts";
import { MAX_IMAGES } from "../../../web/components/composer.ts";
import { t, type Locale } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage } from "./render.ts";

export type FormImage = { file: File; alt: string };

/** The non-empty image files of a parsed multipart body, with their descriptions. */
export function formImages(form: Record<string, string | File>): FormImage[] {
  const images: FormImage[] = [];
  for (let i = 1; i <= MAX_IMAGES; i++) {
    const file = form[`image${i}`];
    const alt = form[`alt${i}`];
    if (file instanceof File && file.size > 0) images.push({ file, alt: (typeof alt === "string" ? alt : "").trim() });
  }
  return images;
}

/** Four images of at most 10 MiB each, plus the text fields. */
export function imageBodyLimit(deps: RouteDeps) {
  return bodyLimit({
    maxSize: MAX_IMAGES * MAX_ATTACHMENT_BYTES + 256 * 1024,
    onError: (c) => errorPage(c, deps, 413, "posts.error.bodyTooLarge"),
  });
}

/** Saves the images as the account's uploads: their media ids, or the message telling why one was refused. */
export function imageSaver(deps: RouteDeps) {
  const reencode = postImageReencoder(deps.config.ffmpegPath);
  return async (accountId: string, images: FormImage[], locale: Locale): Promise<{ mediaIds: string[] } | { error: string }> => {
    const mediaIds: string[] = [];
    for (const image of images) {
      try {
        const saved = await saveAttachment(deps.sql, deps.config.dataDir, accountId, new Uint8Array(await image.file.arrayBuffer()), {
          description: image.alt, reencode,
        });
        mediaIds.push(saved.id);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return {
          error: e.status === 413
            ? t(locale, "posts.error.imageTooLarge", { size: `${MAX_ATTACHMENT_BYTES / 1024 / 1024} Mo` })
            : t(locale, "posts.error.imageType"),
        };
      }
    }
    return { mediaIds };
  };
}
