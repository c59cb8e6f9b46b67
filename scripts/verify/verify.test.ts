import { describe, expect, it } from 'vitest';
import { MAX_HP, type RoundState } from '@stream-fighter/core';
import { SceneModel, createRenderer } from '@stream-fighter/render-node/src/scene/index.ts';
import { showcaseFight, showcasePoll } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { liveDecodeArgs, probeArgs } from './args.ts';
import { streamKeyOf } from './config.ts';
import { changedShare, expectedFill, hpBox, hudCrop, readHpBar, rgbaToRgb, showsHpBar } from './hud.ts';
import { parsePrometheus } from './metrics.ts';
import { planVotes } from './rounds.ts';
import { percentile } from './stats.ts';
import { streamFacts } from './stream-probe.ts';

describe('ffmpeg arguments', () => {
  it('decodes live with no buffering, cropped, every frame flushed', () => {
    const a = liveDecodeArgs('rtmp://127.0.0.1:1935/live/preview', { x: 0, y: 0, w: 1280, h: 170 });
    expect(a.join(' ')).toContain('-fflags nobuffer -flags low_delay');
    expect(a.join(' ')).toContain('-rtmp_live live -i rtmp://127.0.0.1:1935/live/preview');
    expect(a.join(' ')).toContain('crop=1280:170:0:0');
    expect(a.slice(-7)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-flush_packets', '1', 'pipe:1']);
  });
  it('has no RTMP options for HTTP-FLV', () => {
    expect(liveDecodeArgs('http://127.0.0.1:8000/live/preview.flv', { x: 0, y: 0, w: 2, h: 2 })).not.toContain('-rtmp_live');
    expect(probeArgs('http://h/live/p.flv', 6, 30)).toContain('%+#462');
  });
});

describe('HP bars read back from a real frame', () => {
  const render = (round: RoundState) => {
    const model = new SceneModel();
    model.applySnapshot(snapshot(round, 1, T0), T0);
    const r = createRenderer({ width: 1280, height: 720, lang: 'en', screen: 'fight', voteUrl: 'https://example.com' });
    const rgba = r.render(model.advanceTo(T0 + 5_000), T0 + 5_000);
    return rgbaToRgb(rgba, 1280, 720);
  };

  it('measures each bar to the pixel the HP says', () => {
    let round = liveRound(showcaseFight());
    round = castVotes(round, ['A', 'A', 'B'], T0 + 10);
    const f = render(round);
    for (const side of [0, 1] as const) {
      const id = side === 0 ? 'A' : 'B';
      const box = hpBox(side, 1280);
      const r = readHpBar(f, box);
      expect(showsHpBar(f, box)).toBe(true);
      expect(Math.abs(r.fill - expectedFill(round.hp[id]!, MAX_HP, box))).toBeLessThanOrEqual(1);
    }
    expect(round.hp.B).toBeLessThan(MAX_HP);
  });

  it('sees no HP bar in the bars scene, and a change when votes land', () => {
    const round = liveRound(showcasePoll(3));
    const a = render(round);
    expect(showsHpBar(a, hpBox(0, 1280))).toBe(false);
    expect(showsHpBar(a, hpBox(1, 1280))).toBe(false);
    const b = render(castVotes(round, ['A', 'A', 'C'], T0 + 10));
    expect(changedShare(a, b, { x: 0, y: 180, w: 1280, h: 400 })).toBeGreaterThan(0.002);
  });

  it('crops the HUD strip at an even height that holds the names', () => {
    expect(hudCrop(1280, 720)).toEqual({ x: 0, y: 0, w: 1280, h: 170 });
    expect(hudCrop(1920, 1080).h % 2).toBe(0);
  });
});

describe('votes that keep both fighters standing', () => {
  it('spreads the hits so no side can be knocked out', () => {
    const round = liveRound(showcaseFight());
    const small = { ...round, audience: 5 };
    const plan = planVotes(small, 5)!;
    expect(plan).toHaveLength(5);
    expect(plan.filter((o) => o === 'A').length).toBeLessThanOrEqual(3);
    expect(plan.filter((o) => o === 'B').length).toBeLessThanOrEqual(3);
    expect(planVotes({ ...small, hp: { A: 30_000, B: 30_000 } }, 5)).toBeNull();
  });
  it('goes round the options of a plain poll', () => {
    expect(planVotes(liveRound(showcasePoll(3)), 4)).toEqual(['A', 'B', 'C', 'A']);
  });
});

describe('stream facts from ffprobe', () => {
  it('measures fps and keyframe spacing from timestamps', () => {
    const frames = Array.from({ length: 181 }, (_, i) => ({ media_type: 'video', key_frame: i % 60 === 0 ? 1 : 0, pts_time: (i / 30).toFixed(6) }));
    const facts = streamFacts({
      streams: [
        { index: 0, codec_type: 'video', codec_name: 'h264', width: 1280, height: 720, avg_frame_rate: '30/1' },
        { index: 1, codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2 },
      ],
      frames: [...frames, { media_type: 'audio', key_frame: 1, pts_time: '0.0' }],
    });
    expect(facts.measuredFps).toBeCloseTo(30, 5);
    expect(facts.keyframeIntervals).toEqual([2, 2, 2]);
    expect(facts.audio?.codec).toBe('aac');
    expect(facts.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, declaredFps: 30 });
  });
});

describe('small parsers', () => {
  it('reads Prometheus text and refuses a broken line', () => {
    const s = parsePrometheus('# HELP x y\n# TYPE x gauge\nsf_render_stream_fps{stream="p***",screen="fight"} 30.1\nsf_render_streams 1\n');
    expect(s).toEqual([
      { name: 'sf_render_stream_fps', labels: { stream: 'p***', screen: 'fight' }, value: 30.1 },
      { name: 'sf_render_streams', labels: {}, value: 1 },
    ]);
    expect(() => parsePrometheus('sf_render_streams one')).toThrow(/bad value/);
    expect(() => parsePrometheus('sf_x{a="1" 1')).toThrow(/not a sample/);
  });
  it('takes the stream key from play URLs', () => {
    expect(streamKeyOf('rtmp://127.0.0.1:1935/live/preview')).toBe('preview');
    expect(streamKeyOf('http://127.0.0.1:8000/live/preview.flv')).toBe('preview');
    expect(streamKeyOf('rtmp://h/live/sf-fight?token=x')).toBe('sf-fight');
  });
  it('uses nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    expect(percentile([], 50)).toBeNaN();
  });
});
