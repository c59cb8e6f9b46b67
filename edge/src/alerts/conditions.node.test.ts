import { describe, expect, it } from 'vitest';
import { budget, evaluate, settle, type ConditionRow, type Observation } from './conditions.ts';

const MIN = 60_000;
const REPEAT = 5 * MIN;

/** Runs checks like the room does: evaluate, "deliver" what is due, keep the rows. Returns the lines of each check. */
function checker(delivered = () => true) {
  let rows = new Map<string, ConditionRow>();
  return (observed: Observation[], now: number) => {
    const found = evaluate(rows, observed, now, REPEAT);
    let kept = found.rows;
    if (found.due.length > 0) kept = settle(found.rows, found.due, delivered(), now).rows;
    rows = new Map(kept.map((r) => [r.key, r]));
    return { due: found.due.map((l) => l.kind), nextAt: found.nextAt, rows };
  };
}

const stream = (state: Observation['state']): Observation => ({ key: 'stream:k', label: 'stream …k (fight)', state, downAfterMs: MIN, detail: 'retrying' });

describe('alert conditions', () => {
  it('says down once a condition has been bad for its threshold, not before, and when the next check is due', () => {
    const check = checker();
    expect(check([stream('ok')], 0).due).toEqual([]);
    const first = check([stream({})], 10_000);
    expect(first.due).toEqual([]);
    expect(first.nextAt).toBe(10_000 + MIN);
    expect(check([stream({})], 10_000 + MIN - 1).due).toEqual([]);
    expect(check([stream({})], 10_000 + MIN).due).toEqual(['down']);
    // Told once: the same state says nothing more.
    expect(check([stream({})], 20 * MIN).due).toEqual([]);
  });

  it('takes the evidence of when it went bad over the check that first saw it', () => {
    const check = checker();
    expect(check([stream({ badSince: 0 })], MIN).due).toEqual(['down']);
  });

  it('sends the recovery only after a down message, and no sooner than the per-condition gap', () => {
    const check = checker();
    check([stream({ badSince: 0 })], MIN);
    const back = check([stream('ok')], MIN + 30_000);
    expect(back.due).toEqual([]);
    expect(back.nextAt).toBe(MIN + REPEAT);
    expect(check([stream('ok')], MIN + REPEAT).due).toEqual(['recovered']);
    // Never a recovery without a down before it.
    const quiet = checker();
    quiet([stream({})], 0);
    expect(quiet([stream('ok')], 30_000).due).toEqual([]);
  });

  it('a condition that flaps within the gap sends nothing more when it is back where the operator last heard', () => {
    const check = checker();
    check([stream({ badSince: 0 })], MIN);
    check([stream('ok')], 2 * MIN);
    check([stream({ badSince: 3 * MIN })], 3 * MIN);
    expect(check([stream({ badSince: 3 * MIN })], MIN + REPEAT).due).toEqual([]);
  });

  it('keeps the state on no evidence, and closes a stream that is no longer desired with a line', () => {
    const check = checker();
    const votes = (state: Observation['state']): Observation => ({ key: 'votes', label: 'votes', state, downAfterMs: 0, detail: '5 of 5 failed' });
    expect(check([votes({})], 0).due).toEqual(['down']);
    expect(check([votes('unknown')], REPEAT).due).toEqual([]);
    check([stream({ badSince: 0 }), votes('unknown')], 2 * REPEAT);
    const gone = check([votes('unknown')], 4 * REPEAT);
    expect(gone.due).toEqual(['gone']);
    expect([...gone.rows.keys()]).toEqual(['votes']);
  });

  it('a delivery that failed leaves the state untold and tries again after the gap', () => {
    let ok = false;
    const check = checker(() => ok);
    expect(check([stream({ badSince: 0 })], MIN).due).toEqual(['down']);
    expect(check([stream({ badSince: 0 })], 2 * MIN).due).toEqual([]);
    ok = true;
    expect(check([stream({ badSince: 0 })], MIN + REPEAT).due).toEqual(['down']);
    expect(check([stream({ badSince: 0 })], MIN + 2 * REPEAT).due).toEqual([]);
  });

  it('caps messages per hour and says when the next one fits', () => {
    expect(budget([], 0, 2)).toEqual({ ok: true });
    expect(budget([1_000, 2_000], 3_000, 2)).toEqual({ ok: false, freeAt: 3_601_000 });
    expect(budget([1_000, 2_000], 3_601_001, 2)).toEqual({ ok: true });
    expect(budget([5, 1, 3], 10, 2)).toEqual({ ok: false, freeAt: 3_600_003 });
  });
});
