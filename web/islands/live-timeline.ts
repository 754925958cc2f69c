// New posts on a timeline's first page, live (issue #9): listens to /live/timeline/<kind> (server-sent events, the
// browser reconnects by itself) and gathers the list items the server rendered; a polite "3 nouveaux messages —
// afficher" button says how many wait, and a click puts them on top of the list and moves focus to the newest, so
// nothing moves under the reader's eyes while they read. Without JavaScript the page is the one that was rendered.

const banner = document.querySelector<HTMLElement>("[data-live-timeline]");
const button = banner?.querySelector<HTMLButtonElement>("button");
if (banner && button && "EventSource" in window) {
  const waiting: { id: string; html: string }[] = [];
  const rules = new Intl.PluralRules(document.documentElement.lang || "fr");
  const label = (n: number) => (rules.select(n) === "one" ? banner.dataset.one! : banner.dataset.other!).replace("{count}", String(n));
  const source = new EventSource(banner.dataset.liveTimeline!);
  source.addEventListener("post", (event) => {
    const post = JSON.parse((event as MessageEvent<string>).data) as { id: string; html: string };
    // Already on the page (the reader's own post after the composer reloaded it) or already waiting.
    if (document.getElementById(`post-${post.id}`) || waiting.some((w) => w.id === post.id)) return;
    waiting.push(post);
    button.textContent = label(waiting.length);
    button.hidden = false;
  });
  button.addEventListener("click", () => {
    const feed = document.getElementById("feed");
    // An empty timeline has no list yet: the page itself, reloaded, shows the new posts.
    if (!feed) return location.reload();
    const template = document.createElement("template");
    // Our own server's markup, rendered like the page itself (post bodies are sanitised server-side); newest first.
    template.innerHTML = waiting.map((w) => w.html).reverse().join("");
    const items = [...template.content.children];
    feed.prepend(...items);
    waiting.length = 0;
    button.hidden = true;
    items[0]?.querySelector<HTMLElement>("article")?.focus();
  });
  // A page being left closes its stream rather than letting the server time it out.
  addEventListener("pagehide", () => source.close());
}
