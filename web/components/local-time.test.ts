import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { LocalTime, relativeTime, TimeZoneContext } from "./local-time.ts";
import { PostCard } from "./post.ts";
import { NOW, samplePost } from "./post-fixtures.ts";

const inZone = (timeZone: string | null, vnode: VNode<any>) =>
  renderToString(timeZone ? h(TimeZoneContext.Provider, { value: timeZone }, vnode) : vnode);

describe("relativeTime", () => {
  it("goes from now to minutes, hours, days, then a date", () => {
    const ago = (ms: number) => new Date(NOW.getTime() - ms);
    expect(relativeTime("en", ago(10_000), NOW)).toBe("now");
    expect(relativeTime("fr", ago(5 * 60_000), NOW)).toMatch(/^il y a 5\smin$/);
    expect(relativeTime("fr", ago(3 * 3_600_000), NOW)).toMatch(/^il y a 3\sh$/);
    expect(relativeTime("en", ago(2 * 86_400_000), NOW)).toBe("2 days ago");
    expect(relativeTime("en", new Date("2026-01-05T12:00:00Z"), NOW)).toBe("Jan 5");
    expect(relativeTime("fr", new Date("2025-01-05T12:00:00Z"), NOW)).toMatch(/^5\sjanv\.\s2025$/);
  });

  it("tells the day and the year where the reader is", () => {
    // 23:30 UTC on 31 December is already the new year in Paris.
    const late = new Date("2025-12-31T23:30:00Z");
    const now = new Date("2026-01-20T12:00:00Z");
    expect(relativeTime("fr", late, now, "UTC")).toMatch(/^31\sdéc\.\s2025$/);
    expect(relativeTime("fr", late, now, "Europe/Paris")).toMatch(/^1\sjanv\.$/);
  });
});

describe("LocalTime", () => {
  const at1750Z = new Date("2026-12-03T17:50:00Z");
  it("shows a Paris reader 18:50 for a 17:50 UTC post, in a <time> with the instant and the full date as title", () => {
    const out = inZone("Europe/Paris", h(LocalTime, { locale: "fr", date: at1750Z, format: "full" }));
    expect(out).toMatch(/^<time datetime="2026-12-03T17:50:00.000Z" title="jeudi 3 décembre 2026 à 18:50 UTC\+1">jeudi 3 décembre 2026 à 18:50 UTC\+1<\/time>$/);
    expect(inZone("America/New_York", h(LocalTime, { locale: "en", date: at1750Z, format: "full" }))).toMatch(/12:50\sPM EST/);
    // A reader whose zone is unknown reads UTC, and is told so.
    expect(inZone(null, h(LocalTime, { locale: "fr", date: at1750Z, format: "full" }))).toContain("17:50 UTC");
  });

  it("is what a post card shows, relative in a feed and full on the thread's main post", () => {
    const post = samplePost({ createdAt: new Date("2026-03-12T09:55:00Z"), editedAt: new Date("2026-03-12T09:58:00Z") });
    const card = (variant: "feed" | "focus") => inZone("Europe/Paris", h(PostCard, { locale: "fr", csrf: "t", post, returnTo: "/home", now: NOW, variant }));
    expect(card("feed")).toMatch(/<time datetime="2026-03-12T09:55:00.000Z" title="jeudi 12 mars 2026 à 10:55 UTC\+1">il y a 5\smin<\/time>/);
    expect(card("focus")).toContain(">jeudi 12 mars 2026 à 10:55 UTC+1</time>");
    expect(card("feed")).toContain('title="Modifié le jeudi 12 mars 2026 à 10:58 UTC+1"');
  });
});
