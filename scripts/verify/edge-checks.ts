/** The edge as a client and the operator see it: its health (room, Redis, Postgres), the poll, and the stream it manages. */
import type { VerifyConfig } from './config.ts';
import { request } from './http.ts';
import { assert } from './report.ts';
import { getPoll } from './rounds.ts';
import type { Check } from './run-checks.ts';

export function edgeHealth(cfg: VerifyConfig): Check {
  return {
    name: 'edge /api/health',
    timeoutMs: 10_000,
    async run() {
      const r = await request(`${cfg.VERIFY_API_URL}/api/health`, { timeoutMs: 8_000 });
      const b = r.body as Record<string, { ok?: boolean; ms?: number; error?: string } | boolean | string>;
      const parts = (['room', 'redis', 'postgres'] as const).map((k) => {
        const p = b[k] as { ok?: boolean; ms?: number; error?: string } | undefined;
        return { k, ok: p?.ok === true, text: p?.ok ? `${k} ok ${p.ms ?? '?'} ms` : `${k} FAILED${p?.error ? `: ${p.error}` : ''}` };
      });
      assert(r.status === 200 && b.ok === true && parts.every((p) => p.ok), `${r.status}: ${parts.map((p) => p.text).join(', ')}`);
      return parts.map((p) => p.text).join(', ');
    },
  };
}

export function edgePoll(cfg: VerifyConfig): Check {
  return {
    name: 'edge /api/poll',
    timeoutMs: 10_000,
    async run() {
      const p = await getPoll(cfg.VERIFY_API_URL);
      return `schema ok; "${p.round.matchup.title}" ${p.round.phase}, seq ${p.seq}, votes ${JSON.stringify(p.round.votes)}`;
    },
  };
}

/** The stream in the play URL, as the render node reported it to the room (operator only). */
export function edgeStreamLive(cfg: VerifyConfig): Check {
  return {
    name: 'edge: stream reported live',
    timeoutMs: 10_000,
    skip: () => (!cfg.VERIFY_OPERATOR_TOKEN ? 'no operator token' : !cfg.streamKey ? 'no stream key in the play URL' : undefined),
    async run() {
      const key = cfg.streamKey!;
      const r = await request(`${cfg.VERIFY_API_URL}/api/stream`, { headers: { authorization: `Bearer ${cfg.VERIFY_OPERATOR_TOKEN}` }, timeoutMs: 8_000 });
      assert(r.status === 200, `GET /api/stream: ${r.status} ${r.text.slice(0, 160)}`);
      const streams = (r.body as { streams?: Array<{ streamKey: string; status: { state: string; fps: number; renderer: string; reportedAt: number } | null }> }).streams ?? [];
      const s = streams.find((x) => x.streamKey === key);
      // A static stream (STATIC_STREAMS) runs without being desired at the edge; then the render node's /health said enough.
      if (!s) return { outcome: 'skip', detail: `"${key}" is not a stream the room manages (a render node STATIC_STREAMS entry?); ${streams.length} managed` };
      assert(s.status?.state === 'live', `"${key}": ${JSON.stringify(s.status)}`);
      return `"${key}" live at ${s.status.fps} fps, reported ${Math.round((Date.now() - s.status.reportedAt) / 1000)} s ago by ${s.status.renderer}`;
    },
  };
}
