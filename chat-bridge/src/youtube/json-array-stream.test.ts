import { describe, expect, it } from 'vitest';
import { jsonArrayElements, StreamFormatError } from './json-array-stream.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
async function* pieces(parts: Uint8Array[]) {
  for (const p of parts) yield p;
}
const collect = async (parts: Uint8Array[], max?: number) => {
  const out: unknown[] = [];
  for await (const e of jsonArrayElements(pieces(parts), max)) out.push(e);
  return out;
};

// Google's framing: `[{…}`, then `\r\n,{…}` per element, then `]`; strings hold braces, quotes, escapes and emoji.
const elements = [{ a: '{[}]"' }, { b: { c: [1, 2, { d: '\\"}' }] }, items: ['🔥 ü', 'x\\'] }, {}];
const wire = `[${elements.map((e) => JSON.stringify(e)).join('\r\n,')}]\n`;

describe('jsonArrayElements', () => {
  it('yields each element of a streamed array, however the bytes are split (even inside a character)', async () => {
    const all = bytes(wire);
    for (let cut = 0; cut <= all.length; cut++) {
      expect(await collect([all.slice(0, cut), all.slice(cut)])).toEqual(elements);
    }
    expect(await collect([...all].map((b) => Uint8Array.of(b)))).toEqual(elements);
  });

  it('yields an element as soon as it is complete, before the array ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slow() {
      yield bytes('[{"first":1}');
      await gate;
      yield bytes(',{"second":2}]');
    }
    const it = jsonArrayElements(slow());
    expect((await it.next()).value).toEqual({ first: 1 });
    release();
    expect((await it.next()).value).toEqual({ second: 2 });
    expect((await it.next()).done).toBe(true);
  });

  it('accepts an empty array', async () => {
    expect(await collect([bytes(' [ ] ')])).toEqual([]);
  });

  it('says whether the body was never an array or broke off inside one', async () => {
    const failure = (parts: string[], max?: number) =>
      collect(parts.map(bytes), max).then(
        () => null,
        (e: unknown) => e,
      );
    const html = await failure(['<!DOCTYPE html><p>404']);
    expect(html).toBeInstanceOf(StreamFormatError);
    expect((html as StreamFormatError).started).toBe(false);
    expect(await failure([''])).toMatchObject({ started: false, message: 'the stream was empty' });
    expect(await failure(['[{"a":1}', ',{"b":'])).toMatchObject({ started: true, message: 'the stream broke off inside the array' });
    expect(await failure(['[{"a":1}]', '{"b":2}'])).toMatchObject({ started: true });
    expect(await failure(['[{"a":1}, 7]'])).toMatchObject({ started: true });
    expect(await failure(['[{"a":tru}]'])).toMatchObject({ started: true });
    expect(await failure(['[{"a":"', 'x'.repeat(100), '"}]'], 50)).toMatchObject({ started: true, message: 'an element longer than 50 characters' });
  });
});
