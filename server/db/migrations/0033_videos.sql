-- The internal WebTV (issue #13; server/domain/videos/). A video is carried by a post (post_id): who may watch it is
-- who may read that post, by the one audience rule (server/domain/audience/), and the post is what federates and
-- shows in timelines. Files live under <data>/videos/<id>/ (source, hls/<rung>/, master.m3u8, poster.jpg).
CREATE TABLE videos (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- Null only while the video is being registered (one request): then only its uploader can see it.
  post_id     bigint UNIQUE REFERENCES posts (id) ON DELETE SET NULL,
  uuid        uuid NOT NULL UNIQUE,
  title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  visibility  text NOT NULL,
  -- processing → playable (the lowest rung has a first segment) → ready (every rung), or failed with `error`.
  state       text NOT NULL DEFAULT 'processing' CHECK (state IN ('processing', 'playable', 'ready', 'failed')),
  error       text,
  -- What ffprobe found in the source (display size: rotation and sample aspect ratio applied).
  duration_s  double precision NOT NULL CHECK (duration_s > 0),
  width       integer NOT NULL CHECK (width > 0),
  height      integer NOT NULL CHECK (height > 0),
  fps         double precision NOT NULL CHECK (fps > 0),
  has_audio   boolean NOT NULL,
  size_bytes  bigint NOT NULL,
  demuxer     text NOT NULL,                -- ffprobe's choice at registration, forced on every later run
  -- Key of the short-lived signed URLs for this video's files (signed-urls.ts); random per video.
  sign_key    bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX videos_account_idx ON videos (account_id, id DESC);

-- One row per rung of the ladder, chosen at registration. `label` is the rung's name (its short side: 240, 360…).
CREATE TABLE video_rungs (
  video_id    bigint NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  label       integer NOT NULL,
  width       integer NOT NULL,
  height      integer NOT NULL,
  bitrate     integer NOT NULL,                      -- target video bits per second
  state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'encoding', 'ready')),
  -- Measured once the rung is finished: peak segment bit rate (BANDWIDTH), CODECS and FRAME-RATE of the master.
  bandwidth   integer,
  codecs      text,
  frame_rate  double precision,
  PRIMARY KEY (video_id, label)
);
