// The WebTV watch page (issue #13 §3): the video, its quality menu and keyboard help, the uploader and the
// description. Without JavaScript the <video> plays HLS where the browser does natively (Safari, Android); with
// it, the video-player island (hls.js, loaded only here) plays everywhere and fills the quality menu.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField } from "./forms.ts";
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

export type UploadPageProps = PageChrome & {
  scripts: string[];
  limits: { maxMiB: number; maxMinutes: number };
  form?: { title: string; description: string; visibility: string };
  error?: string;
};

const UPLOAD_SCOPES = ["internal", "local", "followers", "public", "unlisted"] as const;

/**
 * The upload form. Without JavaScript it is a plain multipart form (one request); with the video-upload island
 * the file goes through tus in chunks — progress, speed, time left, and a resume after a cut or a reload.
 */
export function UploadPage(props: UploadPageProps) {
  const { locale, csrf, scripts, limits, form, error } = props;
  const title = t(locale, "videos.new.title");
  const scope = form?.visibility ?? "internal";
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<link rel="stylesheet" href="/static/webtv.css" />
      <article class="panel panel-form" aria-labelledby="page-title">
        <h1 id="page-title">${title}</h1>
        <p class="hint">${t(locale, "videos.new.intro")}</p>
        ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : null}
        <form method="post" action="/webtv/new" enctype="multipart/form-data" class="stack-form" data-video-upload
          data-progress=${t(locale, "videos.new.progress", { percent: "{percent}", speed: "{speed}", left: "{left}" })} data-paused=${t(locale, "videos.new.paused")}
          data-processing=${t(locale, "videos.new.processing")} data-failed=${t(locale, "videos.new.failed", { error: "{error}" })}
          data-missing=${t(locale, "videos.new.missingFile")}>
          ${h(CsrfField, { token: csrf })}
          <div class="field">
            <label for="video-file">${t(locale, "videos.new.file")}</label>
            <p id="video-file-hint" class="hint">${t(locale, "videos.new.fileHint", { size: limits.maxMiB, minutes: limits.maxMinutes })}</p>
            <input id="video-file" name="file" type="file" accept="video/*" required aria-describedby="video-file-hint" />
          </div>
          <div class="field">
            <label for="video-title">${t(locale, "videos.new.titleField")}</label>
            <input id="video-title" name="title" type="text" required maxlength="200" value=${form?.title ?? ""} />
          </div>
          <div class="field">
            <label for="video-description">${t(locale, "videos.new.description")}</label>
            <textarea id="video-description" name="description" rows="5" maxlength="5000">${form?.description ?? ""}</textarea>
          </div>
          <div class="field">
            <label for="video-visibility">${t(locale, "videos.new.visibility")}</label>
            <select id="video-visibility" name="visibility">
              ${UPLOAD_SCOPES.map((s) => html`<option value=${s} selected=${s === scope}>${t(locale, `posts.scope.${s}` as "posts.scope.public")} — ${t(locale, `posts.scope.${s}.hint` as "posts.scope.public.hint")}</option>`)}
            </select>
          </div>
          <div class="webtv-upload-progress" data-upload-progress hidden>
            <progress max="100" value="0" aria-labelledby="upload-status"></progress>
            <p id="upload-status" role="status" aria-live="polite"></p>
          </div>
          <button type="submit" class="button button-primary">${t(locale, "videos.new.submit")}</button>
        </form>
      </article>
      ${h(Scripts, { urls: scripts })}`,
  });
}
