import { h } from "preact";
import { describe, expect, it } from "vitest";
import { FollowRequestsPage } from "./follow-requests.ts";
import { csrfInput, postForms, render } from "./test-helpers.ts";

const viewer = { username: "camille", displayName: "Camille", isAdmin: false };
const requests = [
  { id: "17", handle: "@lea@lyon.acme.example", displayName: "Léa", avatarUrl: null, url: "/@lea@lyon.acme.example" },
  { id: "a/b", handle: "@omar@paris.acme.example", displayName: "", avatarUrl: null, url: "/@omar" },
];

describe("FollowRequestsPage", () => {
  it("gives each request Accept and Reject POST forms with the CSRF token", () => {
    const out = render(h(FollowRequestsPage, { locale: "fr", csrf: "tok-fr", viewer, requests }));
    const forms = postForms(out);
    const accept = forms.find((f) => f.includes('action="/follow-requests/17/authorize"'));
    const reject = forms.find((f) => f.includes('action="/follow-requests/17/reject"'));
    expect(accept).toContain(csrfInput("tok-fr"));
    expect(accept).toContain('aria-label="Accepter la demande de Léa">Accepter</button>');
    expect(reject).toContain(csrfInput("tok-fr"));
    expect(reject).toContain('aria-label="Refuser la demande de Léa">Refuser</button>');
  });

  it("encodes ids in the action path and names people without a display name by username", () => {
    const out = render(h(FollowRequestsPage, { locale: "en", csrf: "t", viewer, requests }));
    expect(out).toContain('action="/follow-requests/a%2Fb/authorize"');
    expect(out).toContain('aria-label="Reject follow request from omar">Reject</button>');
    expect(out).toContain("<h1 id=\"page-title\">Follow requests</h1>");
  });

  it("says when nothing is waiting", () => {
    const fr = render(h(FollowRequestsPage, { locale: "fr", csrf: "t", viewer, requests: [] }));
    expect(fr).toContain('<p class="empty-state">Aucune demande en attente.</p>');
    expect(fr).not.toContain("/authorize");
    expect(render(h(FollowRequestsPage, { locale: "en", csrf: "t", viewer, requests: [] }))).toContain(
      "No pending requests.",
    );
  });
});
