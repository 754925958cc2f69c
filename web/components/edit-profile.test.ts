import { h } from "preact";
import { describe, expect, it } from "vitest";
import { EditProfilePage } from "./edit-profile.ts";
import type { EditProfilePageProps } from "./edit-profile.ts";
import { csrfInput, postForms, render, tagWithId } from "./test-helpers.ts";

const base: EditProfilePageProps = {
  locale: "fr",
  csrf: "tok-edit",
  viewer: { username: "camille", displayName: "Camille", isAdmin: false },
  values: { displayName: "Camille <Durand>", bio: "Cheffe de projet </textarea><script>", locked: true },
  limits: { displayName: 30, bio: 500 },
};

describe("EditProfilePage", () => {
  it("is a multipart POST form to /settings/profile with the CSRF token", () => {
    const out = render(h(EditProfilePage, base));
    const form = postForms(out).find((f) => f.includes('action="/settings/profile"')) ?? "";
    expect(form).toContain('enctype="multipart/form-data"');
    expect(form).toContain(csrfInput("tok-edit"));
    expect(form).toContain(">Enregistrer</button>");
  });

  it("prefills the fields, escaped, with the length limits", () => {
    const out = render(h(EditProfilePage, base));
    expect(tagWithId(out, "displayName")).toContain('value="Camille &lt;Durand>"');
    expect(tagWithId(out, "displayName")).toContain('maxlength="30"');
    expect(tagWithId(out, "bio")).toContain('maxlength="500"');
    expect(out).toContain(">Cheffe de projet &lt;/textarea>&lt;script></textarea>");
    expect(tagWithId(out, "locked")).toMatch(/type="checkbox" value="on" checked/);
    expect(out).toContain("500\u00a0caractères maximum.");
  });

  it("leaves the lock unchecked for an open account", () => {
    const out = render(h(EditProfilePage, { ...base, values: { ...base.values, locked: false } }));
    expect(tagWithId(out, "locked")).not.toContain("checked");
  });

  it("accepts only the image types the server takes for the avatar", () => {
    const out = render(h(EditProfilePage, base));
    expect(tagWithId(out, "avatar")).toContain('type="file" accept="image/png,image/jpeg,image/webp,image/gif"');
  });

  it("puts each error next to its field and ties it with aria-describedby", () => {
    const out = render(
      h(EditProfilePage, { ...base, errors: { displayName: "Trop long", avatar: "Format non pris en charge" } }),
    );
    expect(out).toContain('<p id="displayName-error" class="field-error">Trop long</p>');
    expect(tagWithId(out, "displayName")).toContain('aria-invalid="true"');
    expect(tagWithId(out, "displayName")).toContain('aria-describedby="displayName-hint displayName-error"');
    expect(tagWithId(out, "avatar")).toContain('aria-describedby="avatar-hint avatar-error"');
    expect(tagWithId(out, "bio")).toContain('aria-describedby="bio-hint"');
    expect(tagWithId(out, "bio")).not.toContain("aria-invalid");
    expect(out).toContain('role="alert">Votre profil n\'a pas été enregistré.');
    expect(out).not.toContain("notice-success");
  });

  it("confirms a successful save in both languages", () => {
    expect(render(h(EditProfilePage, { ...base, saved: true }))).toContain(
      '<p class="notice notice-success" role="status">Votre profil a été enregistré.</p>',
    );
    const en = render(h(EditProfilePage, { ...base, locale: "en", saved: true }));
    expect(en).toContain("Your profile has been saved.");
    expect(en).toContain(">Display name</label>");
    expect(en).toContain(">Lock my account</label>");
    expect(render(h(EditProfilePage, base))).not.toContain("notice-success");
  });
});
