// Pages driven over real HTTP without a browser: a cookie jar, the CSRF token read from the page, form posts.
// For tests that need many requests (sign-in limits) or exact statuses; flows a person sees use test/browser.ts.

export interface FormClient {
  /** GET a page; the CSRF token of its first form is remembered for the next post. */
  get(path: string): Promise<{ status: number; html: string }>;
  /** POST a form (urlencoded) with the remembered CSRF token; redirects are not followed. */
  post(path: string, fields: Record<string, string>): Promise<{ status: number; html: string; headers: Headers }>;
}

export function formClient(baseUrl: string): FormClient {
  const jar = new Map<string, string>();
  let csrf = "";
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  return {
    async get(path) {
      const res = await fetch(`${baseUrl}${path}`, { headers: { cookie: cookieHeader(), "accept-language": "fr" }, redirect: "manual" });
      keep(res);
      const html = await res.text();
      csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? csrf;
      return { status: res.status, html };
    },
    async post(path, fields) {
      const res = await fetch(`${baseUrl}${path}`, {
        method: "POST", redirect: "manual",
        headers: { cookie: cookieHeader(), "content-type": "application/x-www-form-urlencoded", "accept-language": "fr" },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      });
      keep(res);
      return { status: res.status, html: await res.text(), headers: res.headers };
    },
  };
}
