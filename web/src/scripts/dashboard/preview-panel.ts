/**
 * The stream preview: the live stream (HTTP-FLV from the local receiver, played by mpegts.js), else the render
 * node's snapshot, refreshed every 2 s. Both URLs can be changed on the page and are remembered.
 */
import { $, type Panel } from './context.ts';

const PREVIEW_KEY = 'sf-preview-url';
const PREVIEW_FLV_KEY = 'sf-preview-flv';

type FlvPlayer = { destroy(): void };

export function mountPreviewPanel(deps: { signedIn(): boolean }): Panel {
  const video = $<HTMLVideoElement>('preview-video');
  const img = $<HTMLImageElement>('preview');
  const flvInput = $<HTMLInputElement>('preview-flv');
  const input = $<HTMLInputElement>('preview-url');
  let player: FlvPlayer | null = null;
  let previewLive = false;
  let retry = 0;
  let refresher = 0;

  /** mpegts.js is loaded here, on demand: the dashboard alone pays for it, never the vote page. */
  async function playLive(url: string, onFail: () => void): Promise<void> {
    const { default: mpegts } = await import('mpegts.js');
    if (!mpegts.getFeatureList().mseLivePlayback) return onFail();
    mpegts.LoggingControl.enableAll = false;
    const p = mpegts.createPlayer({ type: 'flv', isLive: true, url }, { enableWorker: false, liveBufferLatencyChasing: true, lazyLoad: false });
    player = p;
    p.on(mpegts.Events.ERROR, () => {
      if (player === p) stopLive();
      onFail();
    });
    p.attachMediaElement(video);
    p.load();
    void Promise.resolve(p.play()).catch(() => {});
  }

  function stopLive(): void {
    player?.destroy();
    player = null;
    previewLive = false;
  }

  function goLive(): void {
    stopLive();
    video.hidden = true;
    window.clearTimeout(retry);
    if (!flvInput.value || !deps.signedIn()) return;
    // No stream yet, or the receiver restarting: fall back to snapshots and try the live stream again later.
    void playLive(flvInput.value, () => {
      video.hidden = true;
      retry = window.setTimeout(goLive, 5_000);
    }).catch(() => {});
  }

  function refresh(): void {
    if (previewLive || !input.value) return;
    const u = new URL(input.value, location.href);
    u.searchParams.set('t', String(Date.now()));
    img.src = u.href;
  }

  input.addEventListener('change', () => localStorage.setItem(PREVIEW_KEY, input.value));
  video.addEventListener('playing', () => {
    previewLive = true;
    video.hidden = false;
    img.hidden = true;
    $('preview-off').hidden = true;
  });
  img.addEventListener('load', () => {
    if (previewLive) return;
    img.hidden = false;
    $('preview-off').hidden = true;
  });
  img.addEventListener('error', () => {
    img.hidden = true;
    $('preview-off').hidden = previewLive;
  });
  flvInput.addEventListener('change', () => {
    localStorage.setItem(PREVIEW_FLV_KEY, flvInput.value);
    goLive();
  });

  return {
    // Nothing drawn here is words: the notice under the picture is translated by data-i18n.
    redraw() {},
    start() {
      // `npm start` prints the dashboard with ?preview=<flv url>&snapshot=<png url> when not on the default ports.
      const query = new URLSearchParams(location.search);
      flvInput.value = query.get('preview') ?? localStorage.getItem(PREVIEW_FLV_KEY) ?? flvInput.value;
      input.value = query.get('snapshot') ?? localStorage.getItem(PREVIEW_KEY) ?? input.value;
      goLive();
      refresh();
      refresher = window.setInterval(refresh, 2_000);
    },
    stop() {
      window.clearInterval(refresher);
      window.clearTimeout(retry);
      stopLive();
    },
  };
}
