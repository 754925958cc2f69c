// The composer's live character count and scope hint. Without JavaScript the form posts the same way; the count
// then shows the limit, the server checks the length, and the scope hint follows the select through CSS :has().

const nf = new Intl.NumberFormat(document.documentElement.lang || undefined);

for (const form of document.querySelectorAll<HTMLFormElement>("form[data-composer]")) {
  const text = form.querySelector<HTMLTextAreaElement>("textarea[name=text]");
  const count = form.querySelector<HTMLElement>("[data-count]");
  const scope = form.querySelector<HTMLSelectElement>("select[name=visibility]");

  if (text && count) {
    const max = Number(count.dataset.max);
    const update = () => {
      // String length in UTF-16 units, as the server's limit counts it.
      const left = max - text.value.length;
      const template = (left < 0 ? count.dataset.tooLong : count.dataset.remaining) ?? "%n";
      count.textContent = template.replace("%n", nf.format(Math.abs(left)));
      count.classList.toggle("composer-count-over", left < 0);
      if (left < 0) text.setAttribute("aria-invalid", "true");
      else text.removeAttribute("aria-invalid");
    };
    text.addEventListener("input", update);
    update();
    // Ctrl+Enter / ⌘+Enter posts, as in most social apps.
    text.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
    });
  }

  if (scope) {
    const sync = () => { form.dataset.scope = scope.value; };
    scope.addEventListener("change", sync);
    sync();
  }

  // One click, one post: the button stays disabled while the page is being sent.
  form.addEventListener("submit", () => {
    setTimeout(() => form.querySelectorAll<HTMLButtonElement>("button[type=submit]").forEach((b) => { b.disabled = true; }));
  });
}
