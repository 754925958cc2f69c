// The WebTV upload form with tus (issue #13 §1): the file goes in 5 MiB chunks to /api/ruche/v1/uploads with the
// page's session, showing progress, speed and time left; a cut connection is retried from the offset the server
// holds, and a reload finds the unfinished upload again (tus-js-client keeps its URL in localStorage) and resumes
// it. When the last byte is in, the upload is registered as a video and the browser goes to its watch page.
import * as tus from "tus-js-client";

const form = document.querySelector<HTMLFormElement>("form[data-video-upload]");
if (form) {
  const box = form.querySelector<HTMLElement>("[data-upload-progress]")!;
  const bar = box.querySelector("progress")!;
  const status = box.querySelector<HTMLElement>("[role=status]")!;
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const say = (text: string) => { status.textContent = text; };
  const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

  form.addEventListener("submit", (event) => {
    const input = form.querySelector<HTMLInputElement>("input[type=file]")!;
    const file = input.files?.[0];
    if (!file) return; // the browser's own "required" message
    event.preventDefault();
    button.disabled = true;
    box.hidden = false;
    const started = performance.now();
    let startOffset = -1;
    const upload = new tus.Upload(file, {
      endpoint: "/api/ruche/v1/uploads",
      chunkSize: 5 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      metadata: { filename: file.name, filetype: file.type },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onShouldRetry: () => { say(form.dataset.paused ?? ""); return true; },
      onProgress(sent, total) {
        if (startOffset < 0) startOffset = sent;
        const seconds = (performance.now() - started) / 1000;
        const rate = seconds > 0 ? (sent - startOffset) / seconds : 0;
        const left = rate > 0 ? Math.ceil((total - sent) / rate) : 0;
        bar.value = Math.floor((sent / total) * 100);
        say(fill(form.dataset.progress ?? "", {
          percent: String(Math.floor((sent / total) * 100)), speed: (rate / 1e6).toFixed(1),
          left: left >= 60 ? `${Math.floor(left / 60)} min ${left % 60} s` : `${left} s`,
        }));
      },
      onError(error) {
        button.disabled = false;
        say(fill(form.dataset.failed ?? "", { error: error.message }));
      },
      async onSuccess() {
        say(form.dataset.processing ?? "");
        const data = new FormData(form);
        const res = await fetch("/api/ruche/v1/videos", {
          method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
          body: JSON.stringify({
            upload_id: upload.url!.split("/").pop(), title: data.get("title"), description: data.get("description"), visibility: data.get("visibility"),
          }),
        });
        const body = await res.json().catch(() => ({}));
        if (res.ok) return void (location.href = new URL(body.url).pathname);
        button.disabled = false;
        say(fill(form.dataset.failed ?? "", { error: body.error ?? String(res.status) }));
      },
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
}
