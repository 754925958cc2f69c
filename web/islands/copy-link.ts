// "Copy link" in a post's menu. Without JavaScript it is a plain link to the post's page (whose address can be
// copied from the browser). With this island a click copies the full address and says so in a live region; when
// the clipboard is not available (a plain-http address, a refused permission) the link is simply followed.

let status: HTMLElement | null = null;

function announce(text: string) {
  if (!status) {
    status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.append(status);
  }
  status.textContent = "";
  // A fresh text node, so that the same message twice is announced twice.
  setTimeout(() => { status!.textContent = text; }, 50);
}

document.addEventListener("click", async (event) => {
  const link = (event.target as Element | null)?.closest?.<HTMLAnchorElement>("a[data-copy-link]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (!navigator.clipboard?.writeText) return;
  event.preventDefault();
  try {
    await navigator.clipboard.writeText(new URL(link.href, location.href).href);
  } catch {
    location.href = link.href;
    return;
  }
  const copied = link.dataset.copied ?? "";
  announce(copied);
  link.classList.add("is-copied");
  const menu = link.closest<HTMLDetailsElement>("details[data-menu]");
  setTimeout(() => {
    link.classList.remove("is-copied");
    if (menu) menu.open = false;
  }, 1200);
});
