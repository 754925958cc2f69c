// English strings of the WebTV (issue #13): the watch page and its player.
export const enVideos = {
  "videos.player": "Video player",
  "videos.processing": "This video is being prepared. It will play here in a few seconds: reload the page.",
  "videos.moreQualities": "Playing at the first quality; the others are being prepared.",
  "videos.failed": "This video could not be prepared: {error}",
  "videos.quality": "Quality",
  "videos.qualityAuto": "Automatic",
  "videos.qualityLabel": "{height}p",
  "videos.keyboard": "Keyboard: Space or K play and pause, ← and → move 5 seconds, M mutes, F full screen.",
  "videos.noScript": "If the video does not start, your browser needs JavaScript to play it.",
  "videos.by": "By",
  "videos.duration": "Duration: {duration}",
  "videos.playError": "The video cannot be played in this browser.",
} as const;
