// Pending follow requests of a locked account, each with Accept and Reject buttons.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { AccountList } from "./account-list.ts";
import type { AccountSummary } from "./account-list.ts";
import { PostButton } from "./forms.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { usernameOf } from "./names.ts";

export type FollowRequest = AccountSummary & { id: string };

export type FollowRequestsPageProps = PageChrome & { requests: FollowRequest[] };

export function FollowRequestsPage(props: FollowRequestsPageProps) {
  const { locale, csrf, requests } = props;
  const actions = (request: FollowRequest) => {
    const base = `/follow-requests/${encodeURIComponent(request.id)}`;
    const name = request.displayName.trim() || usernameOf(request.handle);
    return html`${h(PostButton, {
      action: `${base}/authorize`,
      csrf,
      label: t(locale, "followRequests.accept"),
      accessibleLabel: t(locale, "followRequests.acceptLabel", { name }),
      variant: "primary",
    })}
    ${h(PostButton, {
      action: `${base}/reject`,
      csrf,
      label: t(locale, "followRequests.reject"),
      accessibleLabel: t(locale, "followRequests.rejectLabel", { name }),
      variant: "secondary",
    })}`;
  };
  return h(Layout, {
    ...chrome(props),
    title: t(locale, "followRequests.title"),
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${t(locale, "followRequests.title")}</h1>
      ${requests.length > 0 ? html`<p>${t(locale, "followRequests.intro")}</p>` : null}
      ${h(AccountList<FollowRequest>, {
        locale,
        accounts: requests,
        emptyText: t(locale, "followRequests.empty"),
        actions,
      })}
    </section>`,
  });
}
