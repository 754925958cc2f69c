// The audience rule's derivations agree with the readers it names: the SQL every read path uses, the addressing
// of activities, and the delivery. A change to one row of SCOPES that one derivation did not follow fails here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, upsertRemoteAccount, type Account } from "../accounts/accounts.ts";
import { receiveFollow } from "../follows/follows.ts";
import { createPost } from "../posts/posts.ts";
import { createGroup } from "../groups/groups.ts";
import { deliveryOf, federates, isBoostable, type Readers, SCOPES, VISIBILITIES, type Visibility } from "./audience.ts";
import { canRead, localViewer, ANONYMOUS, type Viewer } from "./visibility.ts";

const ORIGIN = "https://paris.example";

describe("the audience rule", () => {
  it("addressing and delivery follow the readers", () => {
    for (const v of VISIBILITIES) {
      const { readers, addressing } = SCOPES[v];
      const d = deliveryOf(v);
      expect(federates(v), v).toBe(readers.anyone || readers.siblings || readers.followers || readers.mentioned === "everywhere" || readers.members);
      expect(isBoostable(v), v).toBe(readers.anyone || readers.employees);
      if (!addressing) {
        expect(d, v).toEqual({ followers: "none", mentioned: "none", siblingInstances: false, group: false });
        continue;
      }
      const all = [...addressing.to, ...addressing.cc];
      expect(all.includes("public"), v).toBe(readers.anyone);
      expect(all.includes("internal"), v).toBe(readers.siblings && !readers.anyone);
      expect(all.includes("followers"), v).toBe(d.followers !== "none");
      expect(all.includes("mentioned"), v).toBe(readers.mentioned !== "none");
      expect(d.mentioned === "none", v).toBe(readers.mentioned !== "everywhere" && !readers.siblings && !readers.anyone);
      expect(d.siblingInstances, v).toBe(readers.siblings);
      // The group scope is addressed to the group and delivered to it alone (it relays to its members).
      expect(all.includes("group"), v).toBe(readers.members);
      expect(d.group, v).toBe(readers.members);
      if (readers.members) expect([d.followers, d.mentioned, d.siblingInstances], v).toEqual(["none", "none", false]);
      // Nothing goes beyond the group unless someone beyond it may read it.
      const outside = readers.anyone || readers.followers || readers.mentioned === "everywhere";
      if (!outside) expect([d.followers, d.mentioned].every((r) => r !== "allowed"), v).toBe(true);
    }
  });

  describe("the SQL predicate", () => {
    let db: TestDatabase;
    const posts = new Map<Visibility, string>();
    let author: string, employee: string, follower: string, mentionedHere: string;
    let siblingStranger: Account, outsiderFollower: Account, outsiderMentioned: Account, outsiderStranger: Account;
    let localMember: string, siblingMember: Account;
    const remote = (name: string, domain: string) => upsertRemoteAccount(db.sql, {
      iri: `https://${domain}/users/${name}`, username: name, domain, actorType: "Person", inboxUrl: null,
      sharedInboxUrl: null, followersUrl: null, followingUrl: null, url: null, displayName: name, bioHtml: "",
      avatarUrl: null, headerUrl: null, locked: false, discoverable: true, followersCount: 0, followingCount: 0,
    });
    beforeAll(async () => {
      db = await createTestDatabase();
      const user = (u: string) => createLocalUser(db.sql, ORIGIN, { username: u }).then((x) => x.account.id);
      [author, employee, follower, mentionedHere] = await Promise.all(["author", "employee", "follower", "mia"].map(user));
      siblingStranger = await remote("sam", "lyon.example");
      outsiderFollower = await remote("olga", "out.example");
      outsiderMentioned = await remote("otto", "out.example");
      outsiderStranger = await remote("oscar", "far.example");
      await db.sql`INSERT INTO follows (follower_id, following_id, state, iri) VALUES (${follower}, ${author}, 'accepted', ${`${ORIGIN}/f/1`})`;
      await receiveFollow(db.sql, { followIri: "https://out.example/f/1", followerId: outsiderFollower.id, targetId: author });
      // A project the author owns (so is a member of), with one member here and one on a sibling.
      const project = await createGroup(db.sql, author, { name: "migration", kind: "project" }, {
        iri: `${ORIGIN}/groups/migration`, inbox: `${ORIGIN}/groups/migration/inbox`, sharedInbox: `${ORIGIN}/inbox`,
        followers: `${ORIGIN}/groups/migration/followers`, url: `${ORIGIN}/groups/migration`,
      });
      localMember = await user("member");
      siblingMember = await remote("lea", "lyon.example");
      for (const m of [localMember, siblingMember.id]) {
        await db.sql`INSERT INTO follows (follower_id, following_id, state, iri) VALUES (${m}, ${project.account.id}, 'accepted', ${`${ORIGIN}/f/m${m}`})`;
      }
      for (const v of VISIBILITIES) {
        const post = await createPost(db.sql, ORIGIN, author, { text: `@mia ${v}`, visibility: v, groupId: v === "group" ? project.account.id : null });
        await db.sql`INSERT INTO mentions (post_id, account_id) VALUES (${post.id}, ${outsiderMentioned.id}) ON CONFLICT DO NOTHING`;
        posts.set(v, post.id);
      }
    });
    afterAll(async () => {
      await db?.drop();
    });

    const remoteViewer = (a: Account, sibling: boolean): Viewer => ({ kind: "remote", accountId: a.id, domain: a.domain!, sibling, instanceActor: false });
    // Expected answers, read off the table by a different road than visibility.ts takes.
    const cases: [string, () => Viewer, (r: Readers) => boolean][] = [
      ["anonymous", () => ANONYMOUS, (r) => r.anyone],
      ["an employee", () => localViewer(employee), (r) => r.anyone || r.employees],
      ["a local follower", () => localViewer(follower), (r) => r.anyone || r.employees || r.followers],
      ["a mentioned employee", () => localViewer(mentionedHere), (r) => r.mentioned !== "none"],
      ["a member of the post's group", () => localViewer(localMember), (r) => r.anyone || r.employees || r.members],
      ["a member on a sibling", () => remoteViewer(siblingMember, true), (r) => r.anyone || r.siblings || r.members],
      ["a sibling's employee", () => remoteViewer(siblingStranger, true), (r) => r.anyone || r.siblings],
      ["an outside follower", () => remoteViewer(outsiderFollower, false), (r) => r.anyone || r.followers],
      ["an outsider mentioned", () => remoteViewer(outsiderMentioned, false), (r) => r.anyone || r.mentioned === "everywhere"],
      ["an outsider", () => remoteViewer(outsiderStranger, false), (r) => r.anyone],
    ];
    it.each(cases)("%s reads exactly the scopes the rule gives them", async (_name, viewer, expected) => {
      const got: Record<string, boolean> = {}, want: Record<string, boolean> = {};
      for (const v of VISIBILITIES) {
        got[v] = await canRead(db.sql, viewer(), posts.get(v)!);
        want[v] = expected(SCOPES[v].readers);
      }
      expect(got).toEqual(want);
      // The author always reads their own.
      for (const v of VISIBILITIES) expect(await canRead(db.sql, localViewer(author), posts.get(v)!)).toBe(true);
    });
  });
});
