// Signing in to a test instance's pages over HTTP, as a browser without JavaScript would: the sign-in form's CSRF
// token and cookie, then the session cookie. For route tests that need a signed-in page without a browser.

export interface WebSession {
  /** The Cookie header to send. */
  cookie: string;
  /** The session's CSRF token, for forms. */
  csrf: string;
  /** The redirect the sign-in answered with. */
  location: string | null;
  get(path: string): Promise<Response>;
  post(path: string, fields: Record<string, string>): Promise<Response>;
}

function cookiesOf(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
}

const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

export async function signInOverHttp(origin: string, username: string, password: string, fields: Record<string, string> = {},
  cookies: Record<string, string> = {}): Promise<WebSession> {
  const jar = new Map(Object.entries(cookies));
  const form = await fetch(`${origin}/login`, { headers: { Cookie: header(jar) } });
  cookiesOf(form, jar);
  const res = await fetch(`${origin}/login`, {
    method: "POST", redirect: "manual", headers: { Cookie: header(jar), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrfIn(await form.text()), username, password, ...fields }),
  });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  cookiesOf(res, jar);
  const get = (path: string) => fetch(`${origin}${path}`, { redirect: "manual", headers: { Cookie: header(jar), Accept: "text/html" } });
  const csrf = csrfIn(await (await get("/settings/language")).text());
  return {
    cookie: header(jar), csrf, location: res.headers.get("location"), get,
    post: (path, body) => fetch(`${origin}${path}`, {
      method: "POST", redirect: "manual", headers: { Cookie: header(jar), "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
      body: new URLSearchParams({ _csrf: csrf, ...body }),
    }),
  };
}
