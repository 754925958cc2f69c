import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { Composer, type ComposerProps } from "./composer.ts";
import { csrfInput, tagWithId, textOf } from "./test-helpers.ts";

const limits = { text: 5000, summary: 500 };
const render = (locale: "fr" | "en", over: Partial<ComposerProps> = {}) =>
  renderToString(h(Composer, { locale, csrf: "tok-c", returnTo: "/", limits, ...over }));

describe("Composer", () => {
  it("is a multipart POST form with the CSRF token, the way back and an idempotency key", () => {
    const out = render("fr", { idempotencyKey: "k1" });
    expect(out).toMatch(/^<form method="post" action="\/posts" enctype="multipart\/form-data" class="composer" data-composer/);
    expect(out).toContain(csrfInput("tok-c"));
    expect(out).toContain('<input type="hidden" name="next" value="/"/>');
    expect(out).toContain('<input type="hidden" name="idempotencyKey" value="k1"/>');
  });

  it("offers the five scopes in plain words, internal by default, each explained in one line", () => {
    const out = render("fr");
    expect(out).toContain('<option value="internal" selected>Groupe</option>');
    expect(out.match(/<option value="[a-z]+"[^>]*>[^<]*<\/option>/g)?.filter((o) => /value="(public|unlisted|internal|local|followers|direct)"/.test(o)))
      .toEqual([
        '<option value="internal" selected>Groupe</option>', '<option value="local">Filiale</option>', '<option value="followers">Abonnés</option>',
        '<option value="public">Public</option>', '<option value="direct">Personnes mentionnées</option>',
      ]);
    expect(out).not.toMatch(/instance|fédivers|Non listé/i);
    expect(out).toContain('data-scope="internal"');
    expect(out).toContain('<span data-hint-for="local">Les salariés de votre filiale seulement ; ne sort jamais de la filiale</span>');
    expect(tagWithId(out, "composer-scope")).toContain('aria-describedby="composer-scope-hint"');
    expect(render("en", { values: { visibility: "public" } })).toContain('<option value="public" selected>Public</option>');
  });

  it("counts characters server-side and gives the island its message templates", () => {
    const out = render("fr", { values: { text: "Bonjour" } });
    const count = /<output[^>]*>[^<]*<\/output>/.exec(out)![0];
    expect(textOf(count)).toMatch(/^4\s993 caractères restants$/);
    expect(count).toContain('data-max="5000"');
    expect(count).toContain('data-remaining="%n caractères restants"');
    expect(count).toContain('data-too-long="%n caractères en trop"');
    const over = render("en", { values: { text: "x".repeat(5012) } });
    expect(over).toContain("12 characters too many");
    expect(tagWithId(over, "composer-text")).toContain('aria-invalid="true"');
  });

  it("asks for a description of each of the four images", () => {
    const out = render("en");
    for (let i = 1; i <= 4; i++) {
      expect(out).toContain(`name="image${i}" accept="image/png,image/jpeg,image/gif,image/webp"`);
      expect(out).toContain(`<label for="composer-alt${i}">Description of image ${i} (alternative text)</label>`);
    }
  });

  it("keeps what was typed after a refused submission and says why", () => {
    const out = render("en", {
      values: { text: "<b>hi</b>", summary: "CW", language: "de", markdown: true }, errors: ["A post needs text or an image."],
    });
    expect(out).toContain('role="alert"');
    expect(out).toContain("A post needs text or an image.");
    expect(out).toContain(">&lt;b>hi&lt;/b></textarea>");
    expect(out).toContain('<details class="composer-option" open>');
    expect(out).toContain('value="CW"');
    expect(out).toContain('<option value="de" lang="de" selected>German</option>');
    expect(tagWithId(out, "composer-markdown")).toContain("checked");
  });

  it("answers a post with the replied-to author named", () => {
    const out = render("fr", { replyTo: { id: "42", name: "Léa" }, idPrefix: "reply" });
    expect(out).toContain('<input type="hidden" name="inReplyToId" value="42"/>');
    expect(textOf(out)).toContain("En réponse à Léa");
    expect(out).toContain(">Répondre</button>");
    expect(out).toContain('id="reply-text"');
  });

  it("edits without changing the scope or the images", () => {
    const out = render("en", { edit: { id: "9", scope: "local", images: [{ url: "/m/a.png", description: "Chart", width: 1, height: 1 }] } });
    expect(out).toContain('action="/posts/9/edit"');
    expect(out).not.toContain('name="visibility"');
    expect(out).not.toContain('name="image1"');
    expect(out).toContain('alt="Chart"');
    expect(out).toContain(">Save changes</button>");
  });
});
