// The menus of the shell and of posts are <details data-menu> (they open and close without JavaScript). This
// island adds what a menu is expected to do besides: Escape closes it and gives focus back to its button, a click
// or focus outside closes it, and opening one closes the others.

function openMenus(): HTMLDetailsElement[] {
  return [...document.querySelectorAll<HTMLDetailsElement>("details[data-menu][open]")];
}

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = (event.target as Element | null)?.closest?.<HTMLDetailsElement>("details[data-menu][open]") ?? openMenus().at(-1);
  if (!menu) return;
  menu.open = false;
  menu.querySelector<HTMLElement>(":scope > summary")?.focus();
});

function closeOutside(target: EventTarget | null) {
  for (const menu of openMenus()) if (!(target instanceof Node && menu.contains(target))) menu.open = false;
}

document.addEventListener("click", (event) => closeOutside(event.target));
document.addEventListener("focusin", (event) => closeOutside(event.target));

document.addEventListener("toggle", (event) => {
  const menu = event.target as HTMLDetailsElement;
  if (!menu.matches?.("details[data-menu]") || !menu.open) return;
  for (const other of openMenus()) if (other !== menu && !other.contains(menu)) other.open = false;
}, true);
