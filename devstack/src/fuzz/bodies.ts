/**
 * Request bodies for the fuzz suite. Each says whether it is refused by its route's schema whatever else comes
 * with it (`invalid`): the suite may change no state, so a body that could be valid only ever travels with a
 * credential that cannot be.
 */
import fc from 'fast-check';
import { ScreenId } from '@stream-fighter/core';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import { badUtf8, hostileString, hostileValue, jsonObject, protoEntries, randomBytes } from './values.ts';

export interface Body {
  bytes: Uint8Array;
  /** True when the route's schema refuses it, whatever headers come with it. */
  invalid: boolean;
  /** application/x-www-form-urlencoded rather than JSON. */
  form: boolean;
  flavour: string;
}

const enc = new TextEncoder();
const body = (text: string | Uint8Array, invalid: boolean, flavour: string, form = false): Body => ({
  bytes: typeof text === 'string' ? enc.encode(text) : text,
  invalid,
  form,
  flavour,
});

const formOf = (entries: Array<[string, unknown]>) =>
  entries
    .map(([k, v]) => `${encodeURIComponentLoose(k)}=${encodeURIComponentLoose(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`)
    .join('&');

/** encodeURIComponent throws on a lone surrogate; the fuzz wants to send one anyway (as its CESU-8 bytes). */
function encodeURIComponentLoose(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += ch.length === 1 && c >= 0xd800 && c <= 0xdfff ? `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}` : encodeURIComponent(ch);
  }
  return out;
}

/** Bodies no JSON route accepts: not JSON, not UTF-8, not an object, truncated, or nested past reason. */
export const unparseable: fc.Arbitrary<Body> = fc.oneof(
  fc.constantFrom('{', '{"option":', '{"a":1}}', "{'option':'A'}", '{"option":"A",}', '// x\n{}', 'undefined', 'NaN', '[', '"', '{"a":"\\ud83d', '\u0000').map((t) => body(t, true, 'malformed-json')),
  badUtf8.map((b) => body(b, true, 'bad-utf8')),
  randomBytes.filter((b) => b.length > 0 && b[0] !== 0x7b).map((b) => body(b, true, 'random-bytes')),
  fc.integer({ min: 100, max: 3_000 }).map((n) => body('['.repeat(n) + ']'.repeat(n), true, 'deep-nesting')),
  fc.oneof(fc.constant(null), fc.integer(), hostileString, fc.array(hostileValue, { maxLength: 3 })).map((v) => body(JSON.stringify(v), true, 'not-an-object')),
);

/** Larger than every route's cap (16 KB is the largest), up to a few hundred KB. */
export const oversized: fc.Arbitrary<Body> = fc
  .tuple(fc.integer({ min: 17 * 1024, max: 400 * 1024 }), fc.constantFrom(' ', 'x', '\u00e9'))
  .map(([n, pad]) => body(`{"pad":"${pad.repeat(n)}"}`, true, 'oversized'));

const OPTIONS = ['A', 'B', 'C', 'D'];
const badOption = fc.oneof(
  fc.constantFrom<unknown>('a', 'Z', 'E', 'AB', ' A', 'A ', 'A\u0000', '\ud83d', '', 1, 0, null, true, ['A'], { id: 'A' }),
  hostileValue.filter((v) => !(typeof v === 'string' && OPTIONS.includes(v))),
);
const extras = fc.array(fc.tuple(fc.constantFrom('pollId', 'altcha', 'ticket', 'turnstileToken', 'weight', 'voterId', 'option2'), hostileValue), { maxLength: 3 });

/** POST /api/vote: a bad option makes it invalid; otherwise it may be a valid vote and needs a bad session. */
export const voteBody: fc.Arbitrary<Body> = fc.oneof(
  fc.tuple(fc.option(badOption, { nil: undefined }), extras, fc.option(protoEntries, { nil: null })).map(([option, more, proto]) =>
    body(jsonObject([...(option === undefined ? [] : [['option', option] as [string, unknown]]), ...more, ...(proto ?? [])]), true, 'bad-option'),
  ),
  fc.tuple(fc.constantFrom(...OPTIONS), extras, fc.option(protoEntries, { nil: null })).map(([option, more, proto]) =>
    body(jsonObject([['option', option], ...more, ...(proto ?? [])]), false, 'vote-shaped'),
  ),
  fc.tuple(badOption, extras).map(([option, more]) => body(formOf([['option', option], ...more]), true, 'form-bad-option', true)),
  fc.tuple(fc.constantFrom(...OPTIONS), extras).map(([option, more]) => body(formOf([['option', option], ...more]), false, 'form-vote-shaped', true)),
  fc.constantFrom(...OPTIONS).map((o) => body(`\ufeff{"option":"${o}"}`, false, 'bom')),
  fc.constant(body('', true, 'empty')),
  unparseable,
  oversized,
);

const badText = (max: number) =>
  fc.oneof(
    fc.constantFrom<unknown>('', '   ', '\t\n', null, 0, true, [], {}, 'x'.repeat(max + 1), ` ${'y'.repeat(max + 1)} `),
    fc.tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff })).map(([s, c]) => s + String.fromCharCode(c)),
  );
const okText = fc.stringMatching(/^[A-Za-z0-9 ]{1,20}$/).filter((s) => s.trim().length > 0);

/** POST /api/shoutout: always at least one field the schema refuses (a valid one would go on air). */
export const shoutoutBody: fc.Arbitrary<Body> = fc.oneof(
  fc.tuple(fc.oneof(badText(24), fc.constant(undefined)), fc.oneof(okText, badText(140)), extras, fc.option(protoEntries, { nil: null })).map(([user, message, more, proto]) =>
    body(jsonObject([...(user === undefined ? [] : [['user', user] as [string, unknown]]), ['message', message], ...more, ...(proto ?? [])]), true, 'bad-user'),
  ),
  fc.tuple(okText, fc.oneof(badText(140), fc.constant(undefined)), extras).map(([user, message, more]) =>
    body(jsonObject([['user', user], ...(message === undefined ? [] : [['message', message] as [string, unknown]]), ...more]), true, 'bad-message'),
  ),
  // A form carries only text, and decodes a lone surrogate's bytes to U+FFFD: only a length makes it invalid.
  fc.tuple(fc.constantFrom('', '   ', 'x'.repeat(25), ` ${'y'.repeat(25)} `), okText).map(([user, message]) => body(formOf([['user', user], ['message', message]]), true, 'form-bad-user', true)),
  fc.constant(body('', true, 'empty')),
  unparseable,
  oversized,
);

/** POST /api/poll/generate: a count or theme out of bounds, or a key it does not know. Never empty: that is valid. */
export const generateBody: fc.Arbitrary<Body> = fc.oneof(
  fc.constantFrom<unknown>(0, 6, -1, 1.5, '1', null, true, 1e400, [1], { n: 1 }).map((count) => body(jsonObject([['count', count]]), true, 'bad-count')),
  badText(100).map((theme) => body(jsonObject([['count', 1], ['theme', theme]]), true, 'bad-theme')),
  fc.tuple(hostileString.filter((k) => !['count', 'theme'].includes(k) && !['__proto__'].includes(k)), hostileValue).map(([k, v]) => body(jsonObject([[k, v]]), true, 'unknown-key')),
  fc.constant(body('count=1&x=1', true, 'form', true)),
  unparseable,
  oversized,
);

/** A matchup the queue takes, for the changes below to break. */
const validMatchup = () => fightMatchup('Fuzz A', 'Fuzz B', { title: 'Fuzz vs Fuzz', headlines: ['x'] });
type M = ReturnType<typeof validMatchup>;

/** One change that no Matchup survives. */
const breakMatchup: fc.Arbitrary<[string, (m: M) => unknown]> = fc.oneof(
  badText(80).map((t): [string, (m: M) => unknown] => ['title', (m) => ({ ...m, title: t })]),
  hostileString.filter((s) => !['dojo', 'rooftop', 'volcano', 'beach', 'space', 'arcade'].includes(s)).map((s): [string, (m: M) => unknown] => ['stage', (m) => ({ ...m, stage: s })]),
  fc.constantFrom<unknown>(0, 14, 1801, 60.5, '60', null).map((d): [string, (m: M) => unknown] => ['duration', (m) => ({ ...m, durationSec: d })]),
  fc.constant<[string, (m: M) => unknown]>(['one-option', (m) => ({ ...m, options: m.options.slice(0, 1) })]),
  fc.constant<[string, (m: M) => unknown]>(['option-order', (m) => ({ ...m, options: [...m.options].reverse() })]),
  fc.constant<[string, (m: M) => unknown]>(['six-headlines', (m) => ({ ...m, headlines: Array(6).fill('h') })]),
  badText(32).map((n): [string, (m: M) => unknown] => ['fighter-name', (m) => ({ ...m, options: [{ id: 'A', fighter: { ...m.options[0]?.fighter, name: n } }, m.options[1]] })]),
  fc.constantFrom('red', '#12345', '#gggggg', '', 'url(x)').map((c): [string, (m: M) => unknown] => ['color', (m) => ({ ...m, options: [m.options[0], { id: 'B', fighter: { ...m.options[1]?.fighter, color: c } }] })]),
  fc.constantFrom('A\u0007', '\u200b', 'x\u0000').map((s): [string, (m: M) => unknown] => ['control-char', (m) => ({ ...m, headlines: [s] })]),
);

/** POST /api/poll/queue: a near-valid matchup with one to three different breaking changes (the same one twice may undo itself). */
export const queueBody: fc.Arbitrary<Body> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.uniqueArray(breakMatchup, { minLength: 1, maxLength: 3, selector: ([name]) => name }), fc.option(protoEntries, { nil: null })).map(([breaks, proto]) => {
    let m: unknown = validMatchup();
    for (const [, apply] of breaks) m = apply(m as M);
    const entries = Object.entries(m as object) as Array<[string, unknown]>;
    return body(jsonObject([...entries, ...(proto ?? [])]), true, `matchup-${breaks.map(([n]) => n).join('+')}`);
  }) },
  { weight: 1, arbitrary: unparseable },
  { weight: 1, arbitrary: oversized },
);

/** POST /api/stream: a stream key the schema refuses, or a screen id that is not a slug (a well-formed unknown one is created). */
export const streamBody: fc.Arbitrary<Body> = fc.oneof(
  fc.tuple(fc.oneof(fc.constantFrom<unknown>(undefined, '', '../x', 'a b', 'k/../../', 'x'.repeat(129), 1, null, 'key\u0000'), badText(200)), fc.constantFrom<unknown>(undefined, 'fight', 'bars')).map(([key, screen]) =>
    body(jsonObject([...(key === undefined ? [] : [['streamKey', key] as [string, unknown]]), ...(screen === undefined ? [] : [['screenId', screen] as [string, unknown]])]), true, 'bad-key'),
  ),
  fc.tuple(hostileString.filter((s) => !ScreenId.safeParse(s).success), fc.constant('fuzz-absent')).map(([screen, key]) => body(jsonObject([['screenId', screen], ['streamKey', key]]), true, 'bad-screen')),
  unparseable,
  oversized,
);

/* ---------- screens (operator) ---------- */

type Entry = [string, unknown];
const SCREEN_KEYS = ['id', 'scene', 'lang', 'resolution', 'show'];
/** A field no screen takes: a scene, language or resolution that does not exist, a show part that is not one, a key it does not know. */
const badScreenField: fc.Arbitrary<Entry> = fc.oneof(
  fc.constantFrom<unknown>('fights', 'FIGHT', '', 1, null, ['fight']).map((v): Entry => ['scene', v]),
  fc.constantFrom<unknown>('fr', 'EN', '', 0, null).map((v): Entry => ['lang', v]),
  fc.constantFrom<unknown>('4k', '720', '', 720, null).map((v): Entry => ['resolution', v]),
  fc.constantFrom<unknown>({ qr: 'yes' }, { tv: true }, { chat: 1 }, [], null, true).map((v): Entry => ['show', v]),
  fc.tuple(hostileString.filter((k) => !SCREEN_KEYS.includes(k) && k !== '__proto__'), hostileValue).map(([k, v]): Entry => [k, v]),
);
const okScreenField = fc.constantFrom<Entry>(['scene', 'bars'], ['lang', 'es'], ['resolution', '1080p'], ['show', { qr: false }]);

/** PUT /api/screens/:id: valid fields first, then at least one bad one (JSON keeps the last of a repeated key). */
export const screenUpdateBody: fc.Arbitrary<Body> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.array(okScreenField, { maxLength: 2 }), fc.option(protoEntries, { nil: null }), fc.array(badScreenField, { minLength: 1, maxLength: 2 })).map(([ok, proto, bad]) =>
    body(jsonObject([...ok, ...(proto ?? []), ...bad]), true, `screen-bad-${bad.map(([k]) => (SCREEN_KEYS.includes(k) ? k : 'key')).join('+')}`),
  ) },
  { weight: 1, arbitrary: unparseable },
  { weight: 1, arbitrary: oversized },
);

/** POST /api/screens: an id that is not a slug, or a well-formed one with a field no screen takes. */
export const screenCreateBody: fc.Arbitrary<Body> = fc.oneof(
  fc.tuple(hostileString.filter((s) => !ScreenId.safeParse(s).success), fc.array(okScreenField, { maxLength: 2 })).map(([id, ok]) => body(jsonObject([['id', id], ...ok]), true, 'screen-bad-id')),
  fc.tuple(fc.constantFrom('fuzz-screen', 'fight'), fc.array(badScreenField, { minLength: 1, maxLength: 2 })).map(([id, bad]) => body(jsonObject([['id', id], ...bad]), true, 'screen-bad-field')),
  fc.constant(body('{}', true, 'screen-no-id')),
  fc.constant(body('', true, 'empty')),
  unparseable,
  oversized,
);

/* ---------- chat (the bridge's routes, and the operator's pause) ---------- */

/**
 * A batch or a status report shaped as the bridge sends them. The fuzz never holds the bridge token, so these
 * travel only with credentials that fail: they show the token is checked before anything is read. The votes are
 * stamped in 1970, so even a stack whose bridge token is one the fuzz sends would count none of them (stale).
 */
export const chatBridgeBody: fc.Arbitrary<Body> = fc.oneof(
  fc.tuple(fc.stringMatching(/^[a-z0-9_]{1,20}$/), fc.integer({ min: 1, max: 3 })).map(([user, n]) =>
    body(jsonObject([['source', 'twitch:fuzz'], ['votes', Array.from({ length: n }, (_, i) => ({ id: `m${i}`, voter: `twitch:${user}${i}`, name: user, line: '!a', at: 1 }))]]), false, 'chat-batch'),
  ),
  fc.constant(body(jsonObject([['sources', [{ source: 'twitch:fuzz', state: 'connected' }]]]), false, 'chat-status')),
  fc.tuple(hostileString, hostileValue).map(([source, votes]) => body(jsonObject([['source', source], ['votes', votes]]), true, 'chat-bad-batch')),
  unparseable,
  oversized,
);

/** PUT /api/chat/sources/:source: anything but `{"paused": <boolean>}` (a valid one would pause or resume a source). */
export const chatPauseBody: fc.Arbitrary<Body> = fc.oneof(
  fc.constantFrom<unknown>('true', 'false', 1, 0, null, 'yes', [], {}).map((v) => body(jsonObject([['paused', v]]), true, 'pause-bad-value')),
  fc.tuple(fc.boolean(), fc.tuple(hostileString.filter((k) => k !== 'paused' && k !== '__proto__'), hostileValue)).map(([p, extra]) => body(jsonObject([['paused', p], extra]), true, 'pause-extra-key')),
  fc.constant(body('{}', true, 'pause-missing')),
  fc.constant(body('[{"paused":true}]', true, 'not-an-object')),
  fc.constant(body('paused=true', true, 'form', true)),
  fc.constant(body('', true, 'empty')),
  unparseable,
  oversized,
);

/** A pause the schema takes, only ever sent to a path that is not a source id. */
export const pauseForBadSource: Body = body('{"paused":true}', false, 'pause-valid');
