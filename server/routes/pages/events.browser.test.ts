// Event pages in Chromium (issue #12 point 6): an organiser in Paris creates a committee from the agenda, in French,
// is told what is wrong when the end comes before the start, then sees the event page; a colleague in New York, in
// English and without JavaScript, reads it in her own time with Paris time beside it, answers "Going" with the plain
// form, and finds it in her agenda. Screenshots on a wide screen and a phone; axe finds nothing on any of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, logInPage, shot } from "../../../test/browser.ts";
import { setTimeZone } from "../../domain/accounts/accounts.ts";

const visible = async (l: Locator) => (await l.waitFor({ state: "visible", timeout: 10_000 }), l);

async function signIn(page: Page, origin: string, username: string, password: string, next: string, english = false) {
  await logInPage(page, origin, username, password, english);
  await page.goto(`${origin}${next}`);
}

describe("event pages in Chromium", () => {
  let paris: TestInstance, browser: Browser;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  it("an organiser creates a committee; a colleague abroad reads it in her zone and answers without JavaScript", { timeout: 120_000 }, async () => {
    const lea = await paris.createUser("lea", { password: "lea-password-1", displayName: "Léa Martin" });
    const nina = await paris.createUser("nina", { password: "nina-password-1", displayName: "Nina Brown" });
    await setTimeZone(paris.db.sql, lea.account.id, "Europe/Paris");
    await setTimeZone(paris.db.sql, nina.account.id, "America/New_York");
    // 10 February, at least a week ahead: winter time in Paris and New York alike, within the agenda's year.
    const now = new Date();
    const year = now < new Date(Date.UTC(now.getUTCFullYear(), 1, 3)) ? now.getUTCFullYear() : now.getUTCFullYear() + 1;
    const weekday = (locale: string) => new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(year, 1, 10, 12)));

    const fr = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris", ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const page = await fr.newPage();
    await signIn(page, paris.origin, "lea", "lea-password-1", "/events");
    await visible(page.getByRole("heading", { name: "Agenda", level: 1 }));
    await page.getByRole("link", { name: "Créer un événement" }).click();
    await page.getByLabel("Titre").fill("Comité de pilotage");
    await page.getByLabel("Description").fill("Point **budget** et planning");
    await page.getByLabel("Début").fill(`${year}-02-10T10:00`);
    await page.getByLabel("Fin", { exact: true }).fill(`${year}-02-10T09:00`);
    await page.getByLabel("Fuseau horaire").selectOption("Europe/Paris");
    await page.getByLabel("Lieu").fill("Siège, salle Jacquard");
    await page.getByLabel("Places").fill("12");
    await page.getByLabel("Sur validation des organisateurs").check();
    await shot(page, "ui-event-create-fr");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Créer l'événement" }).click();
    // Refused with the reason, the form kept as typed.
    await visible(page.getByRole("alert").filter({ hasText: "La fin ne peut pas précéder le début" }));
    expect(await page.getByLabel("Titre").inputValue()).toBe("Comité de pilotage");
    expect(await page.getByLabel("Fin", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await shot(page, "ui-event-create-error-fr");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Fin", { exact: true }).fill(`${year}-02-10T12:00`);
    await page.getByRole("button", { name: "Créer l'événement" }).click();
    await visible(page.getByRole("heading", { name: "Comité de pilotage", level: 1 }));
    await visible(page.getByText(`${weekday("fr")} 10 février ${year}, 10:00 – 12:00`));
    await visible(page.getByText("Siège, salle Jacquard"));
    await visible(page.getByText("12 place(s) libre(s) sur 12"));
    expect(await page.locator(".prose strong").textContent()).toBe("budget");
    const eventPath = new URL(page.url()).pathname;
    expect(eventPath).toMatch(/^\/events\/\d+$/);
    await shot(page, "ui-event-page-fr");
    expect(await axeViolations(page)).toEqual([]);
    // The add-to-calendar link gives an .ics.
    const ics = await page.request.get(`${paris.origin}${eventPath}/event.ics`);
    expect(ics.headers()["content-type"]).toMatch(/^text\/calendar/);
    expect(await ics.text()).toContain(`DTSTART:${year}0210T090000Z`);

    // Nina, in New York, in English, without JavaScript.
    const en = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York", javaScriptEnabled: false, ignoreHTTPSErrors: true, viewport: { width: 390, height: 844 } });
    const phone = await en.newPage();
    await signIn(phone, paris.origin, "nina", "nina-password-1", eventPath, true);
    await visible(phone.getByText(`${weekday("en")}, February 10, ${year}, 04:00 AM – 06:00 AM`));
    await visible(phone.getByText("(10:00 AM, Europe/Paris time)"));
    await shot(phone, "ui-event-page-en-phone");
    await phone.getByLabel("Going", { exact: true }).check();
    await phone.getByRole("button", { name: "Answer" }).click();
    await visible(phone.getByText("Your request waits for the organisers' approval."));
    const [row] = await paris.db.sql`SELECT status FROM event_participants WHERE account_id = ${nina.account.id}`;
    expect(row.status).toBe("pending");
    await shot(phone, "ui-event-answered-en-phone");
    await phone.goto(`${paris.origin}/events?mine=1`);
    await visible(phone.getByRole("link", { name: "Comité de pilotage" }));
    await shot(phone, "ui-agenda-en-phone");
    // axe runs as a script: the same pages, in a phone-sized English context with JavaScript.
    const enJs = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York", ignoreHTTPSErrors: true, viewport: { width: 390, height: 844 } });
    const checked = await enJs.newPage();
    await signIn(checked, paris.origin, "nina", "nina-password-1", eventPath, true);
    await visible(checked.getByText("Your request waits for the organisers' approval."));
    expect(await axeViolations(checked)).toEqual([]);
    await checked.goto(`${paris.origin}/events?mine=1`);
    expect(await axeViolations(checked)).toEqual([]);
    await checked.goto(`${paris.origin}/events?view=month&month=${year}-02&mine=1`);
    await visible(checked.getByRole("link", { name: "Comité de pilotage" }));
    await shot(checked, "ui-agenda-month-en-phone");
    expect(await axeViolations(checked)).toEqual([]);

    // The organiser hears of Nina's request, and goes from the notification to the event to accept it.
    await page.goto(`${paris.origin}/notifications`);
    await visible(page.getByText("Nina Brown demande à participer à votre événement"));
    await shot(page, "ui-event-notification-fr");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Voir l'événement" }).first().click();
    await page.waitForURL(`${paris.origin}${eventPath}`);
    // The organiser accepts Nina's request from the attendees list.
    await page.getByRole("button", { name: "Accepter Nina Brown" }).click();
    await visible(page.getByText("1 participant(s) · 11 place(s) libre(s) sur 12"));
    const [accepted] = await paris.db.sql`SELECT status FROM event_participants WHERE account_id = ${nina.account.id}`;
    expect(accepted.status).toBe("going");
    await shot(page, "ui-event-organiser-fr");
    expect(await axeViolations(page)).toEqual([]);

    // The organiser moves the committee to the afternoon and another room; Nina, who is going, hears of it.
    await page.getByRole("link", { name: "Modifier" }).click();
    await visible(page.getByRole("heading", { name: "Modifier l'événement", level: 1 }));
    expect(await page.getByLabel("Début").inputValue()).toBe(`${year}-02-10T10:00`);
    expect(await page.getByText("Qui peut voir").count()).toBe(1);
    await page.getByLabel("Début").fill(`${year}-02-10T14:00`);
    await page.getByLabel("Fin", { exact: true }).fill(`${year}-02-10T16:00`);
    await page.getByLabel("Lieu").fill("Siège, salle Vaucanson");
    await shot(page, "ui-event-edit-fr");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
    await page.waitForURL(`${paris.origin}${eventPath}`);
    await visible(page.getByText(`${weekday("fr")} 10 février ${year}, 14:00 – 16:00`));
    await visible(page.getByText("Siège, salle Vaucanson"));
    await phone.goto(`${paris.origin}/notifications`);
    await visible(phone.getByText("Léa Martin changed the time or place of an event you are going to"));

    // The organiser's agenda on a wide screen, and her private calendar address.
    await page.goto(`${paris.origin}/events`);
    await visible(page.getByRole("heading", { name: `${weekday("fr")} 10 février ${year}` }));
    await page.getByRole("button", { name: "Obtenir mon adresse d'agenda privée" }).click();
    const url = await (await visible(page.getByLabel("Votre adresse d'agenda privée"))).inputValue();
    expect(url).toMatch(/\/api\/ruche\/v1\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await fetch(url.replace(paris.origin, paris.url));
    expect(await feed.text()).toContain("SUMMARY:Comité de pilotage");
    await shot(page, "ui-agenda-fr");
    expect(await axeViolations(page)).toEqual([]);

    // The month view: the committee on its day, the 10th; the next month's link.
    await page.getByRole("link", { name: "Vue par mois" }).click();
    await page.goto(`${paris.origin}/events?view=month&month=${year}-02`);
    const cell = page.locator("td", { has: page.getByRole("link", { name: "Comité de pilotage" }) });
    expect((await cell.locator(".month-day").textContent())?.trim()).toBe("10");
    await shot(page, "ui-agenda-month-fr");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Mois suivant" }).click();
    await visible(page.getByRole("heading", { name: `Agenda — mars ${year}` }));
    expect(await page.getByRole("link", { name: "Comité de pilotage" }).count()).toBe(0);
  });
});
