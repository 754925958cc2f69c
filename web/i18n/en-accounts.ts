// English strings of sign-in and accounts (passwords, invitations, sign-in limits), merged into web/i18n/en.ts.
// Keys start with "password.", "invitation." or "login.".
export const enAccounts = {
  "login.tooMany": "Too many sign-in attempts. Try again in {minutes} min.",
  "nav.password": "Password",
  "password.title": "Change your password",
  "password.intro": "Changing your password signs you out everywhere else.",
  "password.current": "Current password",
  "password.new": "New password",
  "password.confirm": "New password, again",
  "password.hint": "At least {min} characters. A sentence of a few words is easy to remember and hard to guess.",
  "password.submit": "Change password",
  "password.saved": "Your password has been changed. Your other sessions have been signed out.",
  "password.errorSummary": "Your password has not been saved. Correct the fields marked below.",
  "password.error.tooShort": "A password has at least {min} characters.",
  "password.error.tooLong": "A password has at most {max} characters.",
  "password.error.mismatch": "The two passwords are not the same.",
  "password.error.wrongCurrent": "This is not your current password.",
  "invitation.title": "Choose your password",
  "invitation.intro": "Welcome to {instance}. Choose the password of your account to sign in.",
  "invitation.expires": "This link works once, until {date}.",
  "invitation.submit": "Save and sign in",
  "invitation.invalid": "This invitation link no longer works: it has been used, has expired or was replaced by a newer one. Ask your IT team for a new link.",
} as const;
