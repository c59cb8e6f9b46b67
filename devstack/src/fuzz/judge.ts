/**
 * What the fuzz suite accepts as an answer: any status below 500; a JSON `{"error":{"code","message"}}` body on
 * every 4xx (HEAD has no body); a body that arrives whole (a page cut off mid-stream is a failure even with a
 * 200). Everything else is a failure, kept with the request that caused it.
 */
import type { FuzzRequest } from './requests.ts';

export interface Failure {
  index: number;
  kind: string;
  method: string;
  path: string;
  status: number | null;
  problem: string;
}

/** The problem with this answer, or null. Reads the whole body. */
export async function judge(req: FuzzRequest, res: Response): Promise<string | null> {
  let text: string;
  try {
    text = new TextDecoder().decode(await res.arrayBuffer());
  } catch (e) {
    return `body cut off: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (res.status >= 500) return `${res.status}: ${text.slice(0, 160)}`;
  const isHead = req.method.toUpperCase() === 'HEAD';
  if (res.status >= 400 && !isHead) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `${res.status} without a JSON body: ${text.slice(0, 120)}`;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') return `${res.status} JSON without error.code/message: ${text.slice(0, 120)}`;
  }
  if (res.status === 200 && !isHead && (res.headers.get('content-type') ?? '').includes('text/html') && !/<\/html>\s*$/i.test(text)) {
    return `page cut off after ${text.length} characters`;
  }
  return null;
}

/** A request's route and credential, without its body's flavour: `POST /api/poll/queue (operator)`. */
export function familyOf(kind: string): string {
  const odd = /^(\S+) \S+ \(odd method\)/.exec(kind);
  if (odd) return `${odd[1]} (odd method)`;
  return /^\S+ \S+(?: \([^)]*\))?/.exec(kind)?.[0] ?? kind;
}

/** Status counts, overall and per route family. */
export class Tally {
  readonly statuses = new Map<string, number>();
  readonly byFamily = new Map<string, Map<string, number>>();

  add(kind: string, status: string): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    const family = familyOf(kind);
    let row = this.byFamily.get(family);
    if (!row) this.byFamily.set(family, (row = new Map()));
    row.set(status, (row.get(status) ?? 0) + 1);
  }

  get total(): number {
    let n = 0;
    for (const c of this.statuses.values()) n += c;
    return n;
  }

  /** Two plain-text tables: requests per status, and per route family and status class. */
  table(): string {
    const sorted = [...this.statuses.entries()].sort(([a], [b]) => a.localeCompare(b));
    const lines = ['status   count', ...sorted.map(([s, n]) => `${s.padEnd(8)} ${String(n).padStart(6)}`), `total    ${String(this.total).padStart(6)}`, ''];
    const classes = ['2xx', '3xx', '4xx', '5xx', 'other'];
    const width = Math.max(...[...this.byFamily.keys()].map((k) => k.length), 6);
    lines.push(`${'route'.padEnd(width)} ${classes.map((c) => c.padStart(6)).join(' ')}`);
    for (const [family, row] of [...this.byFamily.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const byClass = (c: string) => [...row.entries()].filter(([s]) => (c === 'other' ? !/^\d/.test(s) : s[0] === c[0])).reduce((n, [, k]) => n + k, 0);
      lines.push(`${family.padEnd(width)} ${classes.map((c) => String(byClass(c)).padStart(6)).join(' ')}`);
    }
    return lines.join('\n');
  }
}
