import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fightMatchup } from '../fixtures/matchups.ts';
import { Fighter, Matchup } from './matchup.ts';
import { GenerateRequest, ShoutoutRequest, StreamReport, VoteRequest } from './protocol.ts';
import { isWellFormed, toWellFormed, wellFormedReviver } from './text.ts';

const LONE = ['\ud83d', '\ude00', 'a\udc00b', '\ude00\ud83d', 'ok \ud83d\ude00 \ud83d'];

describe('well-formed text', () => {
  it('agrees with String.prototype.isWellFormed and toWellFormed on any UTF-16', () => {
    const native = String.prototype as unknown as { isWellFormed(this: string): boolean; toWellFormed(this: string): string };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }), (a, b) => {
        for (const s of [a, b, a + b]) {
          expect(isWellFormed(s)).toBe(native.isWellFormed.call(s));
          expect(toWellFormed(s)).toBe(native.toWellFormed.call(s));
        }
      }),
    );
  });

  it('repairs stored JSON instead of failing on it', () => {
    const stored = JSON.stringify({ title: 'x\ud83d', nested: [{ name: '\ude00' }], n: 1 });
    expect(JSON.parse(stored, wellFormedReviver)).toEqual({ title: 'x\ufffd', nested: [{ name: '\ufffd' }], n: 1 });
  });
});

describe('the shared schemas refuse lone surrogates', () => {
  const matchup = fightMatchup('Iron Mara', 'Zip Zero', { title: 'A vs B', headlines: ['Tonight'] });
  const fighter = matchup.options[0]!.fighter;

  it('in every string of a matchup and its fighters', () => {
    expect(Matchup.safeParse(matchup).success).toBe(true);
    for (const lone of LONE) {
      const variants = [
        { ...matchup, title: `T${lone}` },
        { ...matchup, headlines: [`H${lone}`] },
        { ...matchup, options: [{ id: 'A', fighter: { ...fighter, tagline: `t${lone}` } }, matchup.options[1]] },
      ];
      for (const m of variants) expect(Matchup.safeParse(m).success, JSON.stringify(m)).toBe(false);
      for (const f of [{ ...fighter, name: `N${lone}` }, { ...fighter, moves: { ...fighter.moves, special: `S${lone}` } }]) {
        const r = Fighter.safeParse(f);
        expect(r.success).toBe(false);
        expect(r.error?.issues[0]?.message).toMatch(/well-formed/);
      }
    }
  });

  it('in request bodies and renderer reports', () => {
    for (const lone of LONE) {
      expect(ShoutoutRequest.safeParse({ user: `u${lone}`, message: 'hi' }).success).toBe(false);
      expect(ShoutoutRequest.safeParse({ user: 'u', message: `hi${lone}` }).success).toBe(false);
      expect(GenerateRequest.safeParse({ theme: `x${lone}` }).success).toBe(false);
      expect(VoteRequest.safeParse({ option: 'A', pollId: `p${lone}` }).success).toBe(false);
      const status = { streamKey: 'main', state: 'error', fps: 0, speed: 0, droppedFrames: 0, restarts: 0, uptimeSec: 0, error: `boom${lone}` };
      expect(StreamReport.safeParse({ type: 'stream-status', v: 1, streams: [status] }).success).toBe(false);
    }
    // A pair is one character, not two lone halves: emoji stay welcome.
    expect(ShoutoutRequest.safeParse({ user: 'ana 😀', message: 'gg 🥊' }).success).toBe(true);
  });
});
