/**
 * Structured logs: one JSON line per event on stdout. Secrets never reach the log: the renderer token and every
 * stream key are registered as secrets and scrubbed from the finished line (FFmpeg messages quote the full RTMP
 * URL, so field-level masking alone would not be enough), and `streamKey` fields are masked on the way in.
 */
import { createHash } from 'node:crypto';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
  /** Scrub this value from every later line (ignored when shorter than 4 characters: too likely to be a word). */
  secret(value: string): void;
  /** The text with every registered secret replaced by `***`. */
  scrub(text: string): string;
}

/** A stream key as it may appear in logs, labels and status pages: a short hash, plus 3 characters of long keys. */
export function maskKey(key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 6);
  return key.length >= 12 ? `${key.slice(0, 3)}…${hash}` : `…${hash}`;
}

export function createLogger(opts: { write?: (line: string) => void; level?: Level; secrets?: string[] } = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  const min = order[opts.level ?? 'info'];
  const secrets = new Set<string>();
  const secret = (value: string) => {
    if (value.length >= 4) secrets.add(value);
  };
  for (const s of opts.secrets ?? []) secret(s);

  const scrub = (text: string): string => {
    // Longest first, so a secret that contains another is scrubbed whole.
    for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
      text = text.replaceAll(s, '***').replaceAll(JSON.stringify(s).slice(1, -1), '***').replaceAll(encodeURIComponent(s), '***');
    }
    return text;
  };
  const emit = (level: Level, event: string, fields: Fields = {}) => {
    if (order[level] < min) return;
    const safe: Fields = {};
    for (const [k, v] of Object.entries(fields)) {
      safe[k] = k === 'streamKey' && typeof v === 'string' ? maskKey(v) : v instanceof Error ? v.message : v;
    }
    write(scrub(JSON.stringify({ t: new Date().toISOString(), level, event, ...safe })));
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
    secret,
    scrub,
  };
}
