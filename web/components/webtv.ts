// The WebTV watch page (issue #13 §3): the video, its quality menu and keyboard help, the uploader and the
// description. Without JavaScript the <video> plays HLS where the browser does natively (Safari, Android); with
// it, the video-player island (hls.js, loaded only here) plays everywhere and fills the quality menu.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";
import { Scripts } from "./timeline.ts";

export interface WatchView {
  id: string;
  title: string;
  description: string;
  state: "processing" | "playable" | "ready" | "failed";
  error: string | null;
  masterUrl: string;
  posterUrl: string;
  durationS: number;
  createdAt: Date;
  author: { name: string; url: string };
}

export type WatchPageProps = PageChrome & { video: WatchView; scripts: string[] };

function duration(s: number): string {
  const total = Math.round(s), hours = Math.floor(total / 3600), minutes = Math.floor((total % 3600) / 60), seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}

function Player({ locale, video }: { locale: PageChrome["locale"]; video: WatchView }) {
  return html`<figure class="webtv-player">
    <video id="webtv-video" controls playsinline preload="metadata" poster=${video.posterUrl} data-src=${video.masterUrl}
      data-video-id=${video.id} aria-label=${`${t(locale, "videos.player")} : ${video.title}`} aria-describedby="webtv-keys">
      <source src=${video.masterUrl} type="application/vnd.apple.mpegurl" />
    </video>
    <figcaption class="webtv-controls">
      <div class="webtv-quality field" data-quality hidden>
        <label for="webtv-quality">${t(locale, "videos.quality")}</label>
        <select id="webtv-quality" data-auto-label=${t(locale, "videos.qualityAuto")}>
          <option value="-1">${t(locale, "videos.qualityAuto")}</option>
        </select>
      </div>
      <p id="webtv-keys" class="hint">${t(locale, "videos.keyboard")}</p>
      <noscript><p class="hint">${t(locale, "videos.noScript")}</p></noscript>
      <p class="notice notice-error" role="alert" data-play-error hidden>${t(locale, "videos.playError")}</p>
    </figcaption>
  </figure>`;
}

export function WatchPage(props: WatchPageProps) {
  const { locale, video, scripts } = props;
  const playable = video.state === "playable" || video.state === "ready";
  return h(Layout, {
    ...chrome(props),
    title: video.title,
    children: html`<link rel="stylesheet" href="/static/webtv.css" />
      <article class="panel webtv-watch" aria-labelledby="page-title">
        ${playable ? h(Player, { locale, video }) : null}
        <h1 id="page-title">${video.title}</h1>
        <p class="hint">${`${t(locale, "videos.by")} `}<a href=${video.author.url}>${video.author.name}</a>${" · "}<${LocalTime}
          locale=${locale} date=${video.createdAt} />${` · ${t(locale, "videos.duration", { duration: duration(video.durationS) })}`}</p>
        ${video.state === "processing" ? html`<p class="notice" role="status">${t(locale, "videos.processing")}</p>` : null}
        ${video.state === "playable" ? html`<p class="notice" role="status">${t(locale, "videos.moreQualities")}</p>` : null}
        ${video.state === "failed" ? html`<p class="notice notice-error" role="alert">${t(locale, "videos.failed", { error: video.error ?? "" })}</p>` : null}
        ${video.description.split(/\n{2,}/).filter((p) => p.trim()).map((p) => html`<p class="webtv-description">${p}</p>`)}
      </article>
      ${h(Scripts, { urls: playable ? scripts : [] })}`,
  });
}
