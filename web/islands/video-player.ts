// The WebTV player (issue #13 §3), loaded only on watch pages: hls.js (light build: no subtitles or alternate
// audio, which our ladder has none of) plays our HLS ladder in browsers without native HLS, fills the quality menu
// from the master playlist, resumes where this browser stopped, and adds keyboard shortcuts on the focused video.
// The video's `data-level` / `data-height` say which rung plays (for people's tools and for the browser test).
import Hls from "hls.js/light";

const video = document.querySelector<HTMLVideoElement>("video[data-src]");
if (video) {
  const src = video.dataset.src!;
  const key = `ruche-webtv-position:${video.dataset.videoId}`;
  const saved = Number(localStorage.getItem(key)) || 0;
  const errorBox = document.querySelector<HTMLElement>("[data-play-error]");
  const fail = () => { if (errorBox) errorBox.hidden = false; video.dataset.error = "1"; };

  if (Hls.isSupported()) {
    video.querySelector("source")?.remove();
    // An EVENT playlist (the first rung, still growing) is "live" to hls.js: start at 0, not at its live edge.
    const hls = new Hls({ startPosition: saved > 5 ? saved : 0 });
    hls.loadSource(src);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      const box = document.querySelector<HTMLElement>("[data-quality]");
      const select = box?.querySelector("select");
      if (!box || !select) return;
      hls.levels.forEach((level, i) => {
        const option = document.createElement("option");
        option.value = String(i);
        option.textContent = `${Math.min(level.width, level.height)}p`;
        select.append(option);
      });
      box.hidden = false;
      select.addEventListener("change", () => {
        // currentLevel switches now (the buffer ahead is replaced); -1 hands the choice back to hls.js.
        hls.currentLevel = Number(select.value);
      });
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
      const level = hls.levels[data.level];
      video.dataset.level = String(data.level);
      if (level) video.dataset.height = String(level.height);
    });
    let recovered = false;
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) return hls.startLoad();
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
        recovered = true;
        return hls.recoverMediaError();
      }
      fail();
    });
  } else if (!video.canPlayType("application/vnd.apple.mpegurl")) {
    fail();
  }
  video.addEventListener("error", () => { if (video.error) fail(); });

  let last = 0;
  video.addEventListener("timeupdate", () => {
    if (Math.abs(video.currentTime - last) < 5) return;
    last = video.currentTime;
    const nearEnd = video.duration && video.currentTime > video.duration - 5;
    localStorage.setItem(key, nearEnd ? "0" : String(Math.floor(video.currentTime)));
  });

  video.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const k = event.key.toLowerCase();
    if (k === " " || k === "k") void (video.paused ? video.play() : video.pause());
    else if (k === "arrowleft") video.currentTime = Math.max(0, video.currentTime - 5);
    else if (k === "arrowright") video.currentTime = Math.min(video.duration || Infinity, video.currentTime + 5);
    else if (k === "m") video.muted = !video.muted;
    else if (k === "f") void (document.fullscreenElement ? document.exitFullscreen() : video.requestFullscreen());
    else return;
    event.preventDefault();
  });
}
