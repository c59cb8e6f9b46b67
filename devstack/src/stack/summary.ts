/**
 * The one block `npm start` prints when the stack is up: every URL a newcomer needs, the backends in use, the
 * operator token, and the time to the first frame once the receiver has one. A pure function of what started.
 */

export const DEFAULT_PREVIEW_URL = 'http://127.0.0.1:8000/live/preview.flv';
export const DEFAULT_SNAPSHOT_URL = 'http://127.0.0.1:8790/snapshot.png';

export interface SummaryInput {
  startedInSec: number;
  api: string;
  backends: { postgres: string; redis: string };
  operatorToken: string;
  generatedOperatorToken: boolean;
  secretsFile: string;
  /** Local receiver: the HTTP-FLV and RTMP play URLs. External: where the render node pushes (token masked). */
  preview: { flv: string; rtmp: string } | { external: string } | { problem: string };
  render: { url: string } | { problem: string; hint: string };
  demo: { voters: number } | { refused: string } | null;
  /** The chat bridge, when one runs: its address, and whether it reads the local demo chats. */
  chat: { url: string; demo: boolean } | null;
  firstFrameSec: number | null;
}

export function dashboardUrl(api: string, flv: string | null, renderUrl: string | null): string {
  // The dashboard's player defaults to the default ports; anything else travels in the query.
  const q = new URLSearchParams();
  if (flv && flv !== DEFAULT_PREVIEW_URL) q.set('preview', flv);
  if (renderUrl && `${renderUrl}/snapshot.png` !== DEFAULT_SNAPSHOT_URL) q.set('snapshot', `${renderUrl}/snapshot.png`);
  return `${api}/dashboard${q.size ? `?${q}` : ''}`;
}

export function firstFrameLine(sec: number): string {
  return `  First frame    ${sec.toFixed(1)} s after start, at the receiver`;
}

export function summaryText(s: SummaryInput): string {
  const flv = 'flv' in s.preview ? s.preview.flv : null;
  const line = (label: string, value: string) => `  ${label.padEnd(15)}${value}`;
  const lines = [
    '',
    `Stream Fighter is running (${s.startedInSec.toFixed(1)} s)`,
    line('Vote site', `${s.api}/`),
    line('Dashboard', dashboardUrl(s.api, flv, 'url' in s.render ? s.render.url : null)),
    line('API', `${s.api}/api/poll`),
    line('OpenAPI', `${s.api}/api/openapi.json`),
    line('Health', `${s.api}/api/health`),
    line('Room (ws)', `${s.api.replace('http', 'ws')}/parties/arena/main`),
  ];
  if ('flv' in s.preview) {
    lines.push(line('Preview', `${s.preview.flv}   (HTTP-FLV: the dashboard plays it, or ffplay / VLC)`));
    lines.push(line('RTMP', `${s.preview.rtmp}   (the same stream over RTMP)`));
  } else if ('external' in s.preview) {
    lines.push(line('RTMP', `${s.preview.external}   (RTMP_URL, stream key "preview": watch it where that server shows it)`));
  } else {
    lines.push(line('Preview', `not available: ${s.preview.problem}`));
  }
  lines.push(
    'url' in s.render
      ? line('Render node', `${s.render.url}/metrics   (also /health, /snapshot.png)`)
      : line('Render node', `NOT STARTED: ${s.render.problem}\n${' '.repeat(17)}${s.render.hint}`),
  );
  lines.push(
    s.chat
      ? line('Chat bridge', `${s.chat.url}/health${s.chat.demo ? '   (local Twitch and YouTube chats, simulated chatters)' : ''}`)
      : line('Chat bridge', 'off   (set TWITCH_CHANNELS or YOUTUBE_API_KEY, or npm start -- --demo)'),
  );
  lines.push(line('Postgres', s.backends.postgres), line('Redis', s.backends.redis));
  lines.push(
    line(
      'Demo crowd',
      s.demo === null ? 'off   (npm start -- --demo, or DEMO_VOTERS=N)' : 'voters' in s.demo ? `${s.demo.voters} simulated voters` : `refused: ${s.demo.refused} (never against real services)`,
    ),
  );
  lines.push(
    s.generatedOperatorToken
      ? line('Operator token', `${s.operatorToken}   (generated; kept in ${s.secretsFile}; set OPERATOR_TOKEN to choose one)`)
      : line('Operator token', 'from OPERATOR_TOKEN'),
  );
  if (s.firstFrameSec !== null) lines.push(firstFrameLine(s.firstFrameSec));
  else if ('url' in s.render && 'flv' in s.preview) lines.push(line('First frame', 'not yet; printed when it reaches the receiver'));
  lines.push(`  Try:           curl -s -X POST -H "content-type: application/json" -d '{"option":"A"}' ${s.api}/api/vote`, '');
  return lines.join('\n') + '\n';
}

/** An RTMP URL fit to print: a token in the query or as the last path element is masked. */
export function maskRtmpUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]+/, '$1***');
}
