import { describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import { catalog, locales, negotiateLocale, plural, t, tParts } from "./index.ts";

describe("negotiateLocale", () => {
  it("speaks French to someone who asked for nothing", () => {
    expect(negotiateLocale(undefined)).toBe("fr");
    expect(negotiateLocale(null)).toBe("fr");
    expect(negotiateLocale("")).toBe("fr");
  });

  it("lets the saved user setting win over the browser", () => {
    expect(negotiateLocale("fr-FR,fr;q=0.9", "en")).toBe("en");
    expect(negotiateLocale("en-US", "fr")).toBe("fr");
  });

  it("ignores a saved setting it does not speak and falls back to the header", () => {
    expect(negotiateLocale("en-GB", "de")).toBe("en");
    expect(negotiateLocale("en-GB", "")).toBe("en");
  });

  it("matches regional tags to their language", () => {
    expect(negotiateLocale("en-US")).toBe("en");
    expect(negotiateLocale("fr-CA")).toBe("fr");
    expect(negotiateLocale("EN")).toBe("en");
  });

  it("picks the highest q-value, not the first listed", () => {
    expect(negotiateLocale("fr;q=0.3, en;q=0.8")).toBe("en");
    expect(negotiateLocale("de, fr;q=0.5, en;q=0.7")).toBe("en");
    expect(negotiateLocale("de-DE, en;q=0.4, fr;q=0.6")).toBe("fr");
  });

  it("keeps header order between equal weights", () => {
    expect(negotiateLocale("en, fr")).toBe("en");
    expect(negotiateLocale("fr;q=0.5, en;q=0.5")).toBe("fr");
  });

  it("skips languages we do not have", () => {
    expect(negotiateLocale("de-DE, es;q=0.9, en;q=0.1")).toBe("en");
    expect(negotiateLocale("ja, zh;q=0.8")).toBe("fr");
  });

  it("never picks a language refused with q=0, even through *", () => {
    expect(negotiateLocale("en;q=0, fr;q=0.1")).toBe("fr");
    expect(negotiateLocale("fr;q=0, *")).toBe("en");
    expect(negotiateLocale("de, *;q=0.5")).toBe("fr");
  });

  it("ignores ranges with a malformed weight", () => {
    expect(negotiateLocale("en;q=2, fr;q=0.1")).toBe("fr");
    expect(negotiateLocale("en;q=abc, fr;q=0.1")).toBe("fr");
  });
});

describe("catalogs", () => {
  it("have exactly the same keys in French and English", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it("use the same {placeholders} in both languages for every key", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("have no empty message", () => {
    for (const locale of locales) {
      for (const [key, text] of Object.entries(catalog(locale))) {
        expect(text.trim(), `${locale} ${key}`).not.toBe("");
      }
    }
  });

  it("actually translate: French differs from English for user-facing sentences", () => {
    expect(fr["login.title"]).toBe("Se connecter");
    expect(fr["nav.followRequests"]).toBe("Demandes d'abonnement");
    expect(fr["profile.lockedNote"]).toContain("Compte verrouillé");
    expect(fr["home.intro"]).not.toBe(en["home.intro"]);
  });
});

describe("t", () => {
  it("looks a key up in the requested locale", () => {
    expect(t("fr", "nav.logout")).toBe("Déconnexion");
    expect(t("en", "nav.logout")).toBe("Log out");
  });

  it("fills {name} parameters", () => {
    expect(t("en", "home.welcome", { name: "Ruche Lyon" })).toBe("Welcome to Ruche Lyon");
    expect(t("fr", "home.welcome", { name: "Ruche Lyon" })).toBe("Bienvenue sur Ruche Lyon");
  });

  it("formats numbers for the locale", () => {
    expect(t("en", "editProfile.maxChars", { max: 1500 })).toBe("Up to 1,500 characters.");
    // French groups thousands with a narrow no-break space.
    expect(t("fr", "editProfile.maxChars", { max: 1500 })).toBe("1\u202f500\u00a0caractères maximum.");
  });

  it("rejects unknown keys and wrong parameters at compile time (checked by npm run typecheck)", () => {
    const neverCalled = () => {
      // @ts-expect-error: not a key of the English catalog
      t("fr", "nav.doesNotExist");
      // @ts-expect-error: "home.welcome" needs {name}
      t("fr", "home.welcome");
      // @ts-expect-error: the parameter is {name}, not {nom}
      t("fr", "home.welcome", { nom: "Lyon" });
      // @ts-expect-error: "profile.follow" is not a .one/.other pair
      plural("fr", "profile.follow", 2);
    };
    expect(neverCalled).toBeTypeOf("function");
  });

  it("does not interpret replacement patterns inside parameter values", () => {
    expect(t("en", "search.noResults", { q: "$& $1" })).toBe("No account found for “$& $1”.");
  });
});

describe("plural", () => {
  it("counts followers in French: singular for 0 and 1", () => {
    expect(plural("fr", "profile.followers", 0)).toBe("0 abonné");
    expect(plural("fr", "profile.followers", 1)).toBe("1 abonné");
    expect(plural("fr", "profile.followers", 2)).toBe("2 abonnés");
  });

  it("counts followers in English: singular only for 1", () => {
    expect(plural("en", "profile.followers", 0)).toBe("0 followers");
    expect(plural("en", "profile.followers", 1)).toBe("1 follower");
    expect(plural("en", "profile.followers", 1234)).toBe("1,234 followers");
  });

  it("falls back to the plural form for French 'many' (a million)", () => {
    expect(plural("fr", "profile.followers", 1_000_000)).toBe("1\u202f000\u202f000 abonnés");
  });
});

describe("tParts", () => {
  it("keeps rich values in the order the translation puts them", () => {
    const node = { rich: true };
    expect(tParts("en", "layout.signedInAs", { name: node })).toEqual(["Signed in as ", node]);
    expect(tParts("fr", "layout.signedInAs", { name: node })).toEqual(["Session ouverte\u00a0: ", node]);
  });
});
