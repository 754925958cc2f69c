// The profile settings form: display name, bio, picture and the "locked account" switch.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField, describedBy, FieldError } from "./forms.ts";
import { WorkFields, type WorkErrors, type WorkFormLimits, type WorkFormValues } from "./edit-profile-work.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";

export type EditProfileField = "displayName" | "bio" | "avatar";

export type EditProfilePageProps = PageChrome & {
  /** What the form shows: the saved profile, or what was just submitted when it had errors. */
  values: { displayName: string; bio: string; locked: boolean };
  /** Already translated messages, shown next to their field. */
  errors?: Partial<Record<EditProfileField, string>>;
  /** The profile was just saved. */
  saved?: boolean;
  /** Maximum lengths in characters, the same the server enforces. */
  limits: { displayName: number; bio: number };
  /** The work profile (issue #3): values, errors by field, limits. Absent: the form shows the basic fields only. */
  work?: { values: WorkFormValues; errors?: WorkErrors; limits: WorkFormLimits };
};

/** The image types the server accepts for a profile picture. */
export const AVATAR_ACCEPT = "image/png,image/jpeg,image/webp,image/gif";

export function EditProfilePage(props: EditProfilePageProps) {
  const { locale, csrf, values, errors = {}, saved = false, limits } = props;
  const hasErrors = Object.values(errors).some((message) => message) || Object.keys(props.work?.errors ?? {}).length > 0;
  const errorId = (field: EditProfileField) => (errors[field] ? `${field}-error` : undefined);
  const invalid = (field: EditProfileField) => (errors[field] ? "true" : undefined);
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "editProfile.title"),
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "editProfile.title")}</h1>
      ${saved && !hasErrors ? html`<p class="notice notice-success" role="status">${t(locale, "editProfile.saved")}</p>` : null}
      ${hasErrors ? html`<p class="notice notice-error" role="alert">${t(locale, "editProfile.errorSummary")}</p>` : null}
      <form method="post" action="/settings/profile" enctype="multipart/form-data" class="stack-form">
        ${h(CsrfField, { token: csrf })}
        <div class=${errors.displayName ? "field field-invalid" : "field"}>
          <label for="displayName">${t(locale, "editProfile.displayName")}</label>
          <p id="displayName-hint" class="hint">${t(locale, "editProfile.maxChars", { max: limits.displayName })}</p>
          <${FieldError} id="displayName-error" message=${errors.displayName} />
          <input id="displayName" name="displayName" type="text" value=${values.displayName}
            maxlength=${limits.displayName} autocomplete="nickname" aria-invalid=${invalid("displayName")}
            aria-describedby=${describedBy("displayName-hint", errorId("displayName"))} />
        </div>
        <div class=${errors.bio ? "field field-invalid" : "field"}>
          <label for="bio">${t(locale, "editProfile.bio")}</label>
          <p id="bio-hint" class="hint">
            ${t(locale, "editProfile.bioHint")} ${t(locale, "editProfile.maxChars", { max: limits.bio })}
          </p>
          <${FieldError} id="bio-error" message=${errors.bio} />
          <textarea id="bio" name="bio" rows="6" maxlength=${limits.bio} aria-invalid=${invalid("bio")}
            aria-describedby=${describedBy("bio-hint", errorId("bio"))}>${values.bio}</textarea>
        </div>
        <div class=${errors.avatar ? "field field-invalid" : "field"}>
          <label for="avatar">${t(locale, "editProfile.avatar")}</label>
          <p id="avatar-hint" class="hint">${t(locale, "editProfile.avatarHint")}</p>
          <${FieldError} id="avatar-error" message=${errors.avatar} />
          <input id="avatar" name="avatar" type="file" accept=${AVATAR_ACCEPT} aria-invalid=${invalid("avatar")}
            aria-describedby=${describedBy("avatar-hint", errorId("avatar"))} />
        </div>
        <div class="field field-check">
          <input id="locked" name="locked" type="checkbox" value="on" checked=${values.locked}
            aria-describedby="locked-hint" />
          <div>
            <label for="locked">${t(locale, "editProfile.locked")}</label>
            <p id="locked-hint" class="hint">${t(locale, "editProfile.lockedHint")}</p>
          </div>
        </div>
        ${props.work ? h(WorkFields, { locale, values: props.work.values, errors: props.work.errors ?? {}, limits: props.work.limits }) : null}
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, "editProfile.submit")}</button>
        </div>
      </form>
    </section>`,
  });
}
