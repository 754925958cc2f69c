// Tells the server the reader's time zone (issue #8 point 16), so pages show times where the reader is: it fills the
// sign-in form's hidden `time_zone` field (saved with the account at sign-in unless one was chosen) and keeps a
// `ruche_tz` cookie for the next pages (signed out, or an account that has none yet). Without JavaScript the pages
// show UTC and say so; the setting can also be chosen by hand (/settings/language).

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zone) {
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="time_zone"]')) if (!input.value) input.value = zone;
  const secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie = `ruche_tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax${secure}`;
}
