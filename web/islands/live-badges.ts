// Keeps the navigation's notification badge current (issue #9): listens to /live/badges (server-sent events, the
// browser reconnects by itself) and swaps in the badge the server rendered in the reader's language. Announced
// politely to screen readers by the badge's own text; without JavaScript the page keeps the badge it was drawn with.

const link = document.querySelector<HTMLAnchorElement>('a[data-section="notifications"]');
if (link && "EventSource" in window) {
  const source = new EventSource("/live/badges");
  source.addEventListener("badges", (event) => {
    const { html } = JSON.parse((event as MessageEvent<string>).data) as { notifications: number; html: string };
    for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-section="notifications"]')) {
      a.querySelector(".nav-count")?.remove();
      if (html) a.querySelector(".nav-label")?.insertAdjacentHTML("afterend", html);
    }
  });
  // A page being left closes its stream rather than letting the server time it out.
  addEventListener("pagehide", () => source.close());
}
