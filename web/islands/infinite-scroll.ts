// Infinite scroll for timelines and notifications. The page ends with an ordinary "Older posts" link (it works
// without JavaScript); this island loads the same page as an HTML fragment (`data-fragment`) when the link comes
// near the viewport, appends its items to the list and puts the fragment's own link in place of the old one.
// Actions inside the new items keep working: they are plain forms (and post-actions.ts listens on the document).

const FEED = "[data-feed]";
const MORE = "[data-more-for]";

let observer: IntersectionObserver | null = null;
const busy = new WeakSet<Element>();

async function loadMore(nav: HTMLElement, focusFirst: boolean): Promise<void> {
  const link = nav.querySelector<HTMLAnchorElement>("a[data-fragment]");
  const feed = document.getElementById(nav.dataset.moreFor ?? "");
  if (!link || !feed || busy.has(nav)) return;
  busy.add(nav);
  feed.setAttribute("aria-busy", "true");
  try {
    const res = await fetch(link.dataset.fragment!, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!res.ok) throw new Error(String(res.status));
    const template = document.createElement("template");
    // Our own server's markup, rendered like the page itself (post bodies are sanitised server-side).
    template.innerHTML = await res.text();
    const items = [...(template.content.querySelector(FEED)?.children ?? [])];
    feed.append(...items);
    // What follows the items: the next "Older posts" link, or the end-of-list line.
    const tail = template.content.querySelector(FEED)?.nextElementSibling as HTMLElement | null;
    observer?.unobserve(nav);
    if (tail) nav.replaceWith(tail);
    else nav.remove();
    if (tail?.matches(MORE)) {
      tail.dataset.moreFor = feed.id;
      watch(tail);
    }
    if (focusFirst) items[0]?.querySelector<HTMLElement>("article")?.focus();
  } catch {
    // Leave the link: a click on it still loads the next page the ordinary way.
    observer?.unobserve(nav);
    link.removeAttribute("data-fragment");
  } finally {
    busy.delete(nav);
    feed.removeAttribute("aria-busy");
  }
}

function watch(nav: HTMLElement): void {
  observer?.observe(nav);
  nav.querySelector("a[data-fragment]")?.addEventListener("click", (event) => {
    const a = event.currentTarget as HTMLAnchorElement;
    if (!a.dataset.fragment) return;
    event.preventDefault();
    // A keyboard or pointer click loads in place and moves focus to the first new item.
    void loadMore(nav, true);
  });
}

if ("IntersectionObserver" in window) {
  observer = new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting) void loadMore(e.target as HTMLElement, false);
  }, { rootMargin: "800px 0px" });
}
for (const nav of document.querySelectorAll<HTMLElement>(MORE)) watch(nav);
