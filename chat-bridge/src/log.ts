/**
 * Structured logs: one JSON line per event on stdout, the render node's shape (render-node/src/service/log.ts),
 * so one log pipeline reads both. Secrets never reach the log: the bridge token and the platform credentials are
 * registered as secrets and scrubbed from the finished line, wherever an error message happens to quote them (a
 * platform's error may quote the request URL, API key included).
 * A copy rather than an import: the bridge's image must not carry the render node and its native canvas addon.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
  /** Scrub this value from every later line (ignored when shorter than 4 characters: too likely to be a word). */
  secret(value: string): void;
}

/** The process's logger, which also scrubs what leaves by another way than the log (the /health body). */
export interface RootLogger extends Logger {
  /** The text with every registered secret replaced by `***`. */
  scrub(text: string): string;
}

const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(opts: { write?: (line: string) => void; level?: Level; secrets?: string[] } = {}): RootLogger {
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const min = ORDER[opts.level ?? 'info'];
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
    if (ORDER[level] < min) return;
    const safe: Fields = {};
    for (const [k, v] of Object.entries(fields)) safe[k] = v instanceof Error ? v.message : v;
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
