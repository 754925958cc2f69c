// A sibling's post read here (issue #8 point 11): its hashtags and mentions open pages on this instance, where the
// reader is signed in; and a signed-out employee opening a link to an internal post signs in and lands on it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startSiblings, type TestInstance } from "../../../test/instance.ts";
import { signInOverHttp } from "../../../test/web-session.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { postIdByIri } from "../../domain/posts/post-views.ts";
import { resolveHandle } from "../../../federation/remote-actors.ts";

describe("a sibling's post on this instance's pages", () => {
  let paris: TestInstance, lyon: TestInstance;
  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("links its hashtags and mentions here, and a signed-out reader of its link signs in first and comes back to it", async () => {
    await paris.createUser("alice", { password: "alice-password-1" });
    const bob = await lyon.createUser("bob");
    expect(await resolveHandle(lyon.instance.context(), `@alice@${paris.host}`)).not.toBeNull(); // Lyon knows alice
    const onLyon = await createPost(lyon.db.sql, lyon.origin, bob.account.id, { text: `Budget #Achats2027 validé avec @bob et @alice@${paris.host}`, visibility: "internal" });
    const id = await eventually(() => postIdByIri(paris.db.sql, onLyon.iri), 20_000, "bob's post on Paris");
    const path = `/@bob@${lyon.host}/${id}`;

    // Signed out: the sign-in page, then the post (not a 404).
    const out = await fetch(`${paris.origin}${path}`, { redirect: "manual", headers: { Accept: "text/html" } });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    // Any post link does the same, so the answer tells nothing about which posts exist.
    const missing = await fetch(`${paris.origin}/@bob@${lyon.host}/999999`, { redirect: "manual", headers: { Accept: "text/html" } });
    expect(missing.headers.get("location")).toBe(`/login?next=${encodeURIComponent(`/@bob@${lyon.host}/999999`)}`);
    const alice = await signInOverHttp(paris.origin, "alice", "alice-password-1", { next: path });
    expect(alice.location).toBe(path);

    const html = await (await alice.get(path)).text();
    const content = /<div class="post-content[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? "";
    expect(content).toContain('<a href="/tags/achats2027" class="mention hashtag">#<span>Achats2027</span></a>');
    expect(content).toContain(`<a href="/@bob@${lyon.host}" class="u-url mention">@<span>bob</span></a>`);
    expect(content).toContain('<a href="/@alice" class="u-url mention">@<span>alice</span></a>');
    expect(content).not.toContain(lyon.origin);
    // Signed in, a post one may not read is simply not found.
    expect((await alice.get(`/@bob@${lyon.host}/999999`)).status).toBe(404);
  });
});
