// Builds a person's archive (issue #16 point 3) as Mastodon lays out its own, so tools that read Mastodon archives
// read ours: actor.json (the Person, internal profile fields included), outbox.json (an OrderedCollection of the
// Create of every post, direct messages and local posts included), likes.json and bookmarks.json (post IRIs), CSV
// lists (following_accounts.csv, followers.csv, blocked_accounts.csv, muted_accounts.csv), and the media files of
// their posts, avatar and header. Streamed into a zip file page by page: memory stays flat whatever the size.
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { randomBytes } from "node:crypto";
import { getLogger } from "@logtape/logtape";
import yazl from "yazl";
import { findAccountById } from "../server/domain/accounts/accounts.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { csvTable } from "../server/domain/csv.ts";
import {
  archiveLists, archiveMedia, expireExport, exportStorage, failExport, finishExport, ownPostCount, reportExportProgress, startExport,
} from "../server/domain/exports/exports.ts";
import { accountTimeline } from "../server/domain/timelines/timelines.ts";
import { LocalDiskStorage } from "../media/storage.ts";
import type { Ctx } from "./context.ts";
import { accountToPerson } from "./mappers/actor.ts";
import { postToCreate } from "./mappers/note.ts";

const logger = getLogger(["ruche", "export"]);
const PAGE = 100;
const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";

async function* outboxJson(ctx: Ctx, accountId: string, total: number, progress: (done: number) => Promise<void>): AsyncGenerator<string> {
  const viewer = localViewer(accountId);
  yield `{"@context":"${AS_CONTEXT}","id":"outbox.json","type":"OrderedCollection","totalItems":${total},"orderedItems":[`;
  let maxId: string | undefined;
  let done = 0;
  for (;;) {
    const page = await accountTimeline(ctx.data.sql, viewer, accountId, { maxId, limit: PAGE, excludeReblogs: true });
    for (const post of page.items) {
      const doc = await postToCreate(ctx, post).toJsonLd({ format: "compact", contextLoader: ctx.contextLoader }) as Record<string, unknown>;
      delete doc["@context"];
      yield `${done > 0 ? "," : ""}${JSON.stringify(doc)}`;
      done++;
    }
    await progress(done);
    if (!page.nextMaxId || page.items.length === 0) break;
    maxId = page.nextMaxId;
  }
  yield "]}";
}

function collectionJson(id: string, items: string[]): string {
  return JSON.stringify({ "@context": AS_CONTEXT, id, type: "OrderedCollection", totalItems: items.length, orderedItems: items });
}

export async function buildAccountExport(ctx: Ctx, exportId: string): Promise<void> {
  const { sql, config } = ctx.data;
  const job = await startExport(sql, exportId);
  if (!job) return; // already built or expired: a re-run after a crash does nothing twice
  const account = await findAccountById(sql, job.accountId);
  if (!account || account.domain != null) {
    await failExport(sql, exportId, "the account is gone");
    return;
  }
  const storage = exportStorage(config.dataDir);
  await mkdir(storage.root, { recursive: true });
  const key = `${randomBytes(24).toString("base64url")}.zip`;
  const path = join(storage.root, key);
  const partial = `${path}.part`;
  try {
    const host = new URL(config.origin).host;
    const [total, lists, media] = await Promise.all([
      ownPostCount(sql, account.id), archiveLists(sql, account.id, host), archiveMedia(sql, account.id),
    ]);
    // Posts are the bulk of the work: 90 % of the progress, media the rest.
    const steps = Math.max(1, total) + media.length;
    const zip = new yazl.ZipFile();
    const written = pipeline(zip.outputStream, createWriteStream(partial));
    const person = await accountToPerson(ctx, account, { scope: "internal" });
    zip.addBuffer(Buffer.from(JSON.stringify(await person.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader }), null, 2)), "actor.json");
    zip.addReadStream(Readable.from(outboxJson(ctx, account.id, total, (done) => reportExportProgress(sql, exportId, (done / steps) * 100))), "outbox.json");
    zip.addBuffer(Buffer.from(collectionJson("likes.json", lists.likes)), "likes.json");
    zip.addBuffer(Buffer.from(collectionJson("bookmarks.json", lists.bookmarks)), "bookmarks.json");
    const accounts = (items: string[]) => Buffer.from(csvTable(["Account address"], items.map((a) => [a])));
    zip.addBuffer(Buffer.from(csvTable(["Account address", "Show boosts", "Notify on new posts", "Languages"],
      lists.following.map((a) => [a, "true", "false", ""]))), "following_accounts.csv");
    zip.addBuffer(accounts(lists.followers), "followers.csv");
    zip.addBuffer(accounts(lists.blocked), "blocked_accounts.csv");
    zip.addBuffer(accounts(lists.muted), "muted_accounts.csv");
    const mediaStore = new LocalDiskStorage(join(config.dataDir, "media"));
    let missing = 0;
    for (const url of media) {
      const file = url.slice("/media/".length);
      if (!(await mediaStore.stat(file))) {
        missing++;
        continue;
      }
      // Entries are read when the zip reaches them, one at a time.
      zip.addReadStream(Readable.fromWeb(mediaStore.read(file) as never), `media_attachments/${file}`, { compress: false });
    }
    if (missing > 0) logger.warning("Archive {id}: {missing} media files were missing on disk", { id: exportId, missing });
    zip.end();
    await written;
    await rename(partial, path);
    const { size } = await stat(path);
    await finishExport(sql, exportId, { key, size });
    logger.info("Archive {id} of {username} ready: {posts} posts, {media} files, {size} bytes", {
      id: exportId, username: account.username, posts: total, media: media.length - missing, size,
    });
  } catch (e) {
    await unlink(partial).catch(() => {});
    await unlink(path).catch(() => {});
    logger.error("Archive {id} failed: {error}", { id: exportId, error: String(e) });
    // Final: the person sees it failed and may ask again (a retry would find the archive failed and do nothing).
    await failExport(sql, exportId, "the archive could not be built");
  }
}

/** 48 hours after it was ready: the file goes, the row stays (expired) so the person sees what happened. */
export async function expireAccountExport(ctx: Ctx, exportId: string): Promise<void> {
  const key = await expireExport(ctx.data.sql, exportId);
  if (key) await exportStorage(ctx.data.config.dataDir).remove(key);
}
