import { h } from "preact";
import { describe, expect, it } from "vitest";
import { SearchPage } from "./search.ts";
import { render, tagWithId } from "./test-helpers.ts";

const viewer = { username: "camille", displayName: "Camille", isAdmin: false };
const lea = { handle: "@lea@lyon.acme.example", displayName: "Léa", avatarUrl: null, url: "/@lea@lyon.acme.example" };

describe("SearchPage", () => {
  it("shows the query in a GET form and lists the results", () => {
    const out = render(h(SearchPage, { locale: "fr", csrf: "tok", viewer, q: "@lea@lyon.acme.example", results: [lea] }));
    expect(out).toContain('<form method="get" action="/search" class="search-form" role="search">');
    expect(tagWithId(out, "search-q")).toContain('value="@lea@lyon.acme.example"');
    expect(out).toContain("Résultats pour «\u00a0@lea@lyon.acme.example\u00a0»");
    expect(out).toContain('<a class="account-link" href="/@lea@lyon.acme.example">');
    const form = /<form method="get" action="\/search"[\s\S]*?<\/form>/.exec(out)?.[0] ?? "";
    expect(form).toContain('name="q"');
    expect(form).not.toContain("_csrf"); // a token in a GET URL would leak into logs and Referer
  });

  it("says when nothing matched, in English", () => {
    const out = render(h(SearchPage, { locale: "en", csrf: "t", viewer, q: "zorro", results: [] }));
    expect(out).toContain("No account found for “zorro”.");
    expect(out).toContain(">Find a colleague</h1>");
  });

  it("shows an error instead of results when the lookup failed", () => {
    const out = render(
      h(SearchPage, { locale: "fr", csrf: "t", viewer, q: "@x@nowhere.example", results: [], error: "Instance injoignable." }),
    );
    expect(out).toContain('<p class="notice notice-error" role="alert">Instance injoignable.</p>');
    expect(out).not.toContain("Aucun compte trouvé");
  });

  it("shows only the form for an empty query, focused", () => {
    const out = render(h(SearchPage, { locale: "fr", csrf: "t", viewer, q: "", results: [] }));
    expect(out).not.toContain("results-title");
    expect(tagWithId(out, "search-q")).toContain("autofocus");
  });
});
