// Likes, boosts, bookmarks, pins and deletes without leaving the page. Every action is an ordinary POST form that
// redirects back (no JavaScript needed); with this island the form is sent with fetch and the post is replaced by
// the server's fresh rendering of it, so the reader keeps their place in an infinitely scrolled timeline.

document.addEventListener("submit", async (event) => {
  const form = event.target as HTMLFormElement;
  if (!form.matches("form[data-post-action]")) return;
  const article = form.closest<HTMLElement>("article[data-item]");
  if (!article) return;
  event.preventDefault();
  const action = form.dataset.postAction!;
  const body = new FormData(form);
  body.set("item", article.dataset.item!);
  body.set("variant", article.dataset.variant ?? "");
  try {
    const res = await fetch(form.action, { method: "POST", body, credentials: "same-origin", headers: { "X-Ruche-Fragment": "post" } });
    if (!res.ok) throw new Error(String(res.status));
    const html = (await res.text()).trim();
    if (html === "") {
      // Deleted: the whole list item goes.
      (article.closest("li") ?? article).remove();
      return;
    }
    const template = document.createElement("template");
    template.innerHTML = html; // our server's rendering of the post (its body sanitised server-side)
    const fresh = template.content.firstElementChild as HTMLElement | null;
    if (!fresh) return;
    article.replaceWith(fresh);
    // Keep keyboard focus on the same control (Like becomes Remove like, and so on).
    fresh.querySelector<HTMLElement>(`[data-control="${action.replace(/^un/, "")}"]`)?.focus();
  } catch {
    form.submit();
  }
});
