// Messages arriving live (issue #9 point 2): listens to /live/messages (server-sent events of the `direct` stream,
// rendered by the server in the reader's language). In an open conversation a new message is added to the log
// (role=log, so screen readers announce it politely) and read at once; on the list, the conversation's entry moves
// to the top with its new excerpt. Without JavaScript, or when the stream is down, a reload shows the same.

const log = document.querySelector<HTMLElement>("[data-live-messages]");
const list = document.querySelector<HTMLElement>("[data-live-conversations]");
if ((log || list) && "EventSource" in window) {
  const source = new EventSource("/live/messages");
  source.addEventListener("conversation", (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as { conversationId: string; postId: string; unread: boolean; message: string; entry: string };
    if (log && log.dataset.liveMessages === data.conversationId) {
      if (!document.getElementById(`message-${data.postId}`)) {
        log.insertAdjacentHTML("beforeend", data.message);
        log.lastElementChild?.scrollIntoView({ block: "nearest" });
      }
      if (data.unread) {
        const csrf = document.querySelector<HTMLInputElement>('form.message-form input[name="_csrf"]')?.value ?? "";
        void fetch(`/messages/${data.conversationId}/read`, { method: "POST", body: new URLSearchParams({ _csrf: csrf }) });
      }
    }
    if (list) {
      document.getElementById(`conversation-${data.conversationId}`)?.remove();
      document.getElementById("conversations-empty")?.remove();
      list.insertAdjacentHTML("afterbegin", data.entry);
    }
  });
  // A page being left closes its stream rather than letting the server time it out.
  addEventListener("pagehide", () => source.close());
}
