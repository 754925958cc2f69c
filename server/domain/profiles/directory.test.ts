// The directory search (issue #3 §3) against a brute-force reference: the ranking of issue #3 (exact expertise
// first, then names starting with the first word, then names in order; accent- and case-insensitive) computed over
// every row with the original "is this person listed?" expression, compared with searchDirectory — which reads
// ordered lists kept by triggers (migration 0005) — on a generated population, for many queries and every page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { disableUser } from "../accounts/accounts.ts";
import { escapeLike } from "../accounts/account-search.ts";
import { directoryFacets, type DirectoryQuery, listDirectory, orgChart, searchDirectory } from "./directory.ts";
import { normaliseTag } from "./profile-validation.ts";
import { updateLocalProfile, upsertRemoteProfile } from "./profiles.ts";
import { EMPTY_PROFILE } from "./profile-validation.ts";

let db: TestDatabase;

function words(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean).slice(0, 8).map((t) => t.replace(/^#/, "")).filter(Boolean);
}

/** Issue #3's ranking over every row, the way 0003 computed it (plus the name order of 0005). */
async function reference(query: DirectoryQuery, limit = 80, offset = 0): Promise<string[]> {
  const sql = db.sql;
  const free = query.q ?? "", knows = query.knows ?? "";
  const w = words(`${free} ${knows}`);
  const tag = normaliseTag(knows || free);
  const filterTag = query.expertise ? normaliseTag(query.expertise) : "";
  const match = w.length === 0 ? sql`true` : w.map((x) => x.length >= 3
    ? sql`p.search_text LIKE '%' || ruche_fold(${escapeLike(x)}) || '%'`
    : sql`p.search_words @> ARRAY[ruche_fold(${x})]`).reduce((a, c) => sql`${a} AND ${c}`);
  const rows = await sql`SELECT a.username FROM profiles p JOIN accounts a ON a.id = p.account_id LEFT JOIN users u ON u.account_id = a.id
    WHERE a.discoverable AND ((a.domain IS NULL AND u.disabled_at IS NULL) OR (a.domain IS NOT NULL AND p.from_sibling))
      AND (${match} ${tag ? sql`OR p.expertise_keys @> ARRAY[ruche_fold(${tag})]` : sql``})
      ${query.instance === "local" ? sql`AND a.domain IS NULL` : query.instance ? sql`AND a.domain = ${query.instance}` : sql``}
      ${query.department ? sql`AND ruche_fold(p.department) = ruche_fold(${query.department}) AND p.department <> ''` : sql``}
      ${query.site ? sql`AND ruche_fold(p.site) = ruche_fold(${query.site}) AND p.site <> ''` : sql``}
      ${filterTag ? sql`AND p.expertise_keys @> ARRAY[ruche_fold(${filterTag})]` : sql``}
    ORDER BY ${tag ? sql`p.expertise_keys @> ARRAY[ruche_fold(${tag})] DESC,` : sql``}
      ${w.length > 0 ? sql`(ruche_fold(coalesce(nullif(btrim(a.display_name), ''), a.username)) LIKE ruche_fold(${escapeLike(w[0])}) || '%') DESC,` : sql``}
      ruche_fold(coalesce(nullif(btrim(a.display_name), ''), a.username)) COLLATE "C", a.id
    LIMIT ${limit} OFFSET ${offset}`;
  return rows.map((r) => r.username as string);
}

const search = async (query: DirectoryQuery) => (await searchDirectory(db.sql, { limit: 80, ...query }, "internal")).map((e) => e.account.username);

async function local(username: string, displayName: string, profile: Record<string, unknown> = {}): Promise<string> {
  const [a] = await db.sql`INSERT INTO accounts (username, iri, display_name) VALUES (${username}, ${`https://paris.test/users/${username}`}, ${displayName})
    RETURNING id::text`;
  await db.sql`INSERT INTO users (account_id) VALUES (${a.id})`;
  if (Object.keys(profile).length > 0) await updateLocalProfile(db.sql, a.id, profile);
  return a.id;
}

async function remote(username: string, domain: string, displayName: string, data: Partial<typeof EMPTY_PROFILE>, fromSibling = true): Promise<string> {
  const [a] = await db.sql`INSERT INTO accounts (username, domain, iri, display_name)
    VALUES (${username}, ${domain}, ${`https://${domain}/users/${username}`}, ${displayName}) RETURNING id::text`;
  await upsertRemoteProfile(db.sql, a.id, { data: { ...EMPTY_PROFILE, ...data }, remoteFields: [], scope: "internal", fromSibling });
  return a.id;
}

/** A small deterministic population with accents, shared words, common and rare tags, siblings and unlisted people. */
async function population(): Promise<void> {
  let seed = 42; // mulberry32
  const rand = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
  const first = ["Éloïse", "Marc", "Zoé", "Hélène", "Jérôme", "Anaïs", "François", "Léa", "Noël", "Camille", "Chloé", "Rhéa"];
  const last = ["Lefèvre", "Girard", "Dubois", "Müller", "Nguyễn", "Martin", "Cœur", "Petit", "Durand", "Leroy", "O'Brien", "Marchand"];
  const jobs = ["Ingénieure logiciel", "Juriste droit social", "Chargé RH", "Contrôleuse de gestion", "Acheteur", "Software engineer", "Technicien (R&D)", ""];
  const departments = ["Infrastructure", "Juridique", "RH", "Finance", "R&D", "Qualité", ""];
  const sites = ["Paris La Défense", "Lyon Part-Dieu", "Lille", "Nantes", ""];
  const tags = ["kubernetes", "terraform", "droit-social", "paie", "python", "rh", "sécurité", "go", "c++", "ia"];
  const rows: { u: string; name: string; job: string; dept: string; site: string; tags: string[] }[] = [];
  for (let i = 0; i < 220; i++) {
    const t = new Set<string>();
    for (let k = rand(4); k > 0; k--) t.add(tags[rand(tags.length)]);
    rows.push({
      u: `p${i}`, name: i % 29 === 0 ? "" : `${first[rand(first.length)]} ${last[rand(last.length)]}`,
      job: jobs[rand(jobs.length)], dept: departments[rand(departments.length)], site: sites[rand(sites.length)], tags: [...t],
    });
  }
  for (const [i, r] of rows.entries()) {
    if (i % 7 === 3) {
      await remote(r.u, i % 2 ? "lyon.test" : "nice.test", r.name, { jobTitle: r.job, department: r.dept, site: r.site, expertise: r.tags }, i % 5 !== 0);
    } else {
      const [a] = await db.sql`INSERT INTO accounts (username, iri, display_name, discoverable)
        VALUES (${r.u}, ${`https://paris.test/users/${r.u}`}, ${r.name}, ${i % 31 !== 5}) RETURNING id`;
      await db.sql`INSERT INTO users (account_id, disabled_at) VALUES (${a.id}, ${i % 37 === 2 ? new Date() : null})`;
      await db.sql`UPDATE profiles SET job_title = ${r.job}, department = ${r.dept}, site = ${r.site}, expertise = ${r.tags}
        WHERE account_id = ${a.id}`;
    }
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  await population();
});

afterAll(async () => {
  await db?.drop();
});

const QUERIES: DirectoryQuery[] = [
  { q: "eloise" }, { q: "ÉLOÏSE lefevre" }, { q: "Eloïse Lefèvre" }, { q: "coeur" }, { q: "nguyen" }, { q: "o'brien" },
  { knows: "kubernetes" }, { knows: "KUBERNETES" }, { knows: "#Droit Social" }, { q: "droit" }, { q: "droit-social" },
  { q: "ingénieur" }, { q: "ingenieure logiciel" }, { q: "génie" }, { q: "rh" }, { q: "RH" }, { q: "rhea" }, { q: "r&d" },
  { q: "(r&d)" }, { q: "c++" }, { q: "ia" }, { q: "go" }, { q: "python" }, { knows: "python", q: "marc" }, { q: "mar" },
  { q: "a" }, { q: "e" }, { q: "zzzz" }, { q: "100%" }, { q: "p1" }, { q: "p12" }, { q: "p1_" }, {},
  { department: "juridique" }, { site: "LYON PART-DIEU" }, { expertise: "Terraform" }, { expertise: "terraform", q: "zoé" },
  { instance: "local" }, { instance: "lyon.test" }, { instance: "nice.test", q: "e" }, { knows: "python", instance: "local" },
  { q: "droit", department: "Juridique", site: "Lille" }, { knows: "paie", site: "nantes" }, { q: "lyon" },
  { q: "software engineer" }, { knows: "securite" }, { knows: "sécurité" },
];

describe("directory search", () => {
  it("ranks like issue #3 over every row, for every query shape", async () => {
    for (const query of QUERIES) {
      expect(await search(query), JSON.stringify(query)).toEqual(await reference(query));
    }
    // The queries are not vacuous: most find people, and exact expertise matches come first.
    const found = await Promise.all(QUERIES.map(search));
    expect(found.filter((r) => r.length > 0).length).toBeGreaterThan(QUERIES.length * 0.75);
    const kube = await searchDirectory(db.sql, { knows: "Kubernetes", limit: 80 }, "internal");
    const firstOther = kube.findIndex((e) => !e.profile.expertise.includes("kubernetes"));
    expect(kube.slice(0, firstOther === -1 ? kube.length : firstOther).length).toBeGreaterThan(0);
    expect(kube.slice(firstOther === -1 ? kube.length : firstOther).every((e) => !e.profile.expertise.includes("kubernetes"))).toBe(true);
  });

  it("pages through the tiers without losing or repeating anyone", async () => {
    for (const query of [{ q: "rh" }, { knows: "python" }, { q: "droit" }, { q: "marc" }, { q: "eloise" }, {}, { knows: "python", q: "marc" }]) {
      const all = await reference(query, 1000);
      expect(all.length, JSON.stringify(query)).toBeGreaterThan(7);
      for (const size of all.length <= 40 ? [1, 7] : [3, 7]) {
        const pages: string[] = [];
        for (let offset = 0; offset < all.length + size; offset += size) {
          pages.push(...(await searchDirectory(db.sql, { ...query, limit: size, offset }, "internal")).map((e) => e.account.username));
        }
        expect(pages, `${JSON.stringify(query)} by ${size}`).toEqual(all);
      }
    }
  });

  it("a word standing for many words of the vocabulary is searched through the profiles, with the same result", async () => {
    // Fifteen different words containing "xyq" (more than the lists the search merges), one person with two of them.
    for (let i = 0; i < 15; i++) await local(`x${i}`, `Xyq${String.fromCharCode(97 + i)}tal Person`);
    await local("xx", "Xyqa Xyqab");
    expect((await search({ q: "xyq" })).length).toBe(16); // 17 words of the vocabulary contain "xyq"
    expect(await search({ q: "xyq" })).toEqual(await reference({ q: "xyq" }));
    // Up to twelve words (xyqa, xyqab, xyqatal): their lists are merged, and someone in two of them comes once.
    expect(await search({ q: "xyqa" })).toEqual(["xx", "x0"]);
    expect(await search({ q: "tal" })).toEqual(await reference({ q: "tal" }));
  });

  it("follows every change: names, expertise, discoverability, disabled users, siblings", async () => {
    const id = await local("oz", "Olga Zweig", { jobTitle: "Cartographe", expertise: ["qgis"] });
    expect(await search({ knows: "qgis" })).toEqual(["oz"]);
    expect(await search({ q: "cartographe" })).toEqual(["oz"]);
    expect(await search({ q: "olga" })).toEqual(["oz"]);
    // Renamed: found under the new name, sorted by it, no longer under the old one.
    await db.sql`UPDATE accounts SET display_name = 'Aude Zweig' WHERE id = ${id}`;
    expect(await search({ q: "olga" })).toEqual([]);
    expect(await search({ q: "aude zweig" })).toEqual(["oz"]);
    const [{ sortName }] = await db.sql`SELECT sort_name AS "sortName" FROM profiles WHERE account_id = ${id}`;
    expect(sortName).toBe("aude zweig");
    expect(await search({})).toEqual(await reference({}));
    // New expertise replaces the old one.
    await updateLocalProfile(db.sql, id, { expertise: ["postgis", "Cartographie"] });
    expect(await search({ knows: "qgis" })).toEqual([]);
    expect(await search({ knows: "postgis" })).toEqual(["oz"]);
    expect(await search({ knows: "cartographie" })).toEqual(["oz"]);
    // Not discoverable, then discoverable again.
    await db.sql`UPDATE accounts SET discoverable = false WHERE id = ${id}`;
    expect(await search({ knows: "postgis" })).toEqual([]);
    expect(await search({ q: "zweig" })).toEqual([]);
    await db.sql`UPDATE accounts SET discoverable = true WHERE id = ${id}`;
    expect(await search({ q: "zweig" })).toEqual(["oz"]);
    // A disabled user leaves the directory (and moves up the feed siblings read); re-enabled, they come back.
    const [{ before }] = await db.sql`SELECT updated_at AS before FROM profiles WHERE account_id = ${id}`;
    await disableUser(db.sql, "oz");
    expect(await search({ q: "zweig" })).toEqual([]);
    expect((await listDirectory(db.sql, { order: "active", localOnly: false, limit: 80, offset: 0 })).map((a) => a.username)).not.toContain("oz");
    const [{ after }] = await db.sql`SELECT updated_at AS after FROM profiles WHERE account_id = ${id}`;
    expect((after as Date).getTime()).toBeGreaterThan((before as Date).getTime());
    await db.sql`UPDATE users SET disabled_at = NULL WHERE account_id = ${id}`;
    expect(await search({ q: "zweig" })).toEqual(["oz"]);
    // A remote profile is listed only when it comes from a sibling.
    const r = await remote("ruth", "elsewhere.test", "Ruth Zweig", { expertise: ["postgis"] }, false);
    expect(await search({ q: "zweig" })).toEqual(["oz"]);
    await upsertRemoteProfile(db.sql, r, { data: { ...EMPTY_PROFILE, expertise: ["postgis"] }, remoteFields: [], scope: "internal", fromSibling: true });
    expect(await search({ knows: "postgis" })).toEqual(["oz", "ruth"]);
    expect(await search({ knows: "postgis", instance: "elsewhere.test" })).toEqual(["ruth"]);
    expect(await search({ knows: "postgis", instance: "local" })).toEqual(["oz"]);
    // Gone: no trace left in the lists.
    await db.sql`DELETE FROM accounts WHERE id = ${r}`;
    expect(await search({ knows: "postgis" })).toEqual(["oz"]);
    const [left] = await db.sql`SELECT (SELECT count(*) FROM directory_tags WHERE account_id = ${r})::int AS tags,
      (SELECT count(*) FROM directory_words WHERE account_id = ${r})::int AS words`;
    expect(left).toEqual({ tags: 0, words: 0 });
  });

  it("keeps expertise tags as written, accents included, and matches them without accents or case", async () => {
    const id = await local("cy", "Cyrille Yvon", { expertise: ["Cybersécurité", "cybersecurite", "Droit Social"] });
    const [row] = await db.sql`SELECT expertise FROM profiles WHERE account_id = ${id}`;
    // Shown as written (one of two spellings that fold alike); found by either spelling, in the first tier.
    expect(row.expertise).toEqual(["cybersécurité", "droit-social"]);
    for (const knows of ["cybersecurite", "CYBERSÉCURITÉ", "#Cybersécurité"]) expect((await search({ knows }))[0], knows).toBe("cy");
    expect(await search({ expertise: "cybersecurite", q: "cyrille" })).toEqual(["cy"]);
    const facets = await directoryFacets(db.sql, "internal");
    expect(facets.expertise.map((f) => f.value)).toContain("cybersécurité");
    expect(facets.expertise.map((f) => f.value)).not.toContain("cybersecurite");
  });

  it("counts the filters' values over the people in the directory", async () => {
    const listed = db.sql`FROM profiles p JOIN accounts a ON a.id = p.account_id LEFT JOIN users u ON u.account_id = a.id
      WHERE a.discoverable AND ((a.domain IS NULL AND u.disabled_at IS NULL) OR (a.domain IS NOT NULL AND p.from_sibling))`;
    const count = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [String(r.value), Number(r.count)]));
    const facets = await directoryFacets(db.sql, "internal");
    const asMap = (f: { value: string; count: number }[]) => Object.fromEntries(f.map((x) => [x.value, x.count]));
    expect(asMap(facets.instances)).toEqual(count(await db.sql`SELECT coalesce(a.domain, 'local') AS value, count(*) ${listed} GROUP BY 1`));
    expect(asMap(facets.expertise)).toEqual(count(await db.sql`SELECT max(t) AS value, count(*) FROM (SELECT unnest(p.expertise) AS t ${listed}) x GROUP BY ruche_fold(t)`));
    expect(asMap(facets.departments)).toEqual(count(await db.sql`SELECT min(p.department) AS value, count(*) ${listed} AND p.department <> '' GROUP BY ruche_fold(p.department)`));
    expect(facets.expertise.map((f) => f.count)).toEqual([...facets.expertise.map((f) => f.count)].sort((x, y) => y - x));
    expect(facets.instances.length).toBe(3); // local, lyon.test, nice.test
  });

  it("lists direct reports who are in the directory", async () => {
    const boss = await local("boss", "Bea Boss");
    const [b] = await db.sql`SELECT iri FROM accounts WHERE id = ${boss}`;
    await local("rep1", "Rita Report", { manager: b.iri });
    const hidden = await local("rep2", "Rob Report", { manager: b.iri });
    await db.sql`UPDATE accounts SET discoverable = false WHERE id = ${hidden}`;
    expect((await orgChart(db.sql, boss, "internal")).reports.map((e) => e.account.username)).toEqual(["rep1"]);
  });
});
