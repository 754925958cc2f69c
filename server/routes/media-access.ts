// Who may read an uploaded post image (issue #8 point 32): the readers of its post, by the one audience rule
// (server/domain/audience/visibility.ts canRead). Public posts' images are public and cached for a year;
// others' are served `private` to a reader the request identifies — the web session, a Mastodon API token, or a
// signed fetch by a server allowed to see the post — and 404 to anyone else, as for the post itself. A deleted
// post's images have no attachment row any more (and no file: deletePost removes them): 404.
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { readSession, verifyApiToken } from "../domain/accounts/tokens.ts";
import { attachmentAudience } from "../domain/posts/post-media.ts";
import { ANONYMOUS, canRead, localViewer, type Viewer } from "../domain/audience/visibility.ts";
import { signedViewer } from "../../federation/post-access.ts";
import type { RouteDeps } from "./deps.ts";
import { SESSION_COOKIE } from "./pages/session.ts";

const PUBLIC = "public, max-age=31536000, immutable";
const PRIVATE = "private, max-age=3600";

/** Who a request is: the web session, a Mastodon API token, a signed fetch by a server, or anonymous. */
export async function requestViewer(c: Context, deps: RouteDeps): Promise<Viewer> {
  const cookie = getCookie(c, SESSION_COOKIE);
  const session = cookie ? await readSession(deps.sql, cookie) : null;
  if (session) return localViewer(session.accountId);
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("Authorization") ?? "");
  const token = bearer ? await verifyApiToken(deps.sql, bearer[1]) : null;
  if (token?.accountId) return localViewer(token.accountId);
  if (c.req.header("Signature") || c.req.header("Signature-Input")) {
    return (await signedViewer(deps.federation.createContext(c.req.raw, deps.data))) ?? ANONYMOUS;
  }
  return ANONYMOUS;
}

/** The Cache-Control to serve the attachment at `url` with to this request, or null: not for this reader (404). */
export async function attachmentCacheControl(c: Context, deps: RouteDeps, url: string): Promise<string | null> {
  const audience = await attachmentAudience(deps.sql, url);
  if (!audience) return null;
  if (audience.visibility === "public" || audience.visibility === "unlisted") return PUBLIC;
  if (audience.postId == null) {
    // A fresh upload: whoever holds its unguessable URL (Mastodon apps preview an upload with a plain image load,
    // no token). One removed from a post by an edit: its uploader only.
    if (!audience.detached) return PRIVATE;
    const viewer = await requestViewer(c, deps);
    return viewer.kind === "local" && viewer.accountId === audience.accountId ? PRIVATE : null;
  }
  return (await canRead(deps.sql, await requestViewer(c, deps), audience.postId)) ? PRIVATE : null;
}
