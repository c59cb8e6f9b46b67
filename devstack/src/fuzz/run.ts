/**
 * The fuzz run, for any way of sending a request: `fetch` to a running stack (`npm run fuzz`), or the Worker's
 * own fetch inside workerd (the slice in `npm test`). Requests go out in batches; the room's state is read before
 * and after each batch and may not have changed.
 */
import fc from 'fast-check';
import { judge, Tally, type Failure } from './judge.ts';
import { fuzzRequest, toRequest, type FuzzContext, type FuzzRequest } from './requests.ts';
import { readState, unexplainedChanges } from './state.ts';

export interface FuzzOptions {
  send: (req: Request) => Promise<Response>;
  base: string;
  seed: number;
  count: number;
  ctx: FuzzContext;
  /** Requests in flight at once. */
  concurrency: number;
  /** Requests per batch: generated together, state checked around them. */
  batchSize: number;
  /**
   * Sends once more on a fresh connection, after the first try died with the connection (EPIPE, reset): a server
   * that refuses a body without reading it closes the connection, and a kept-alive socket can die under the next
   * request. Only a request that fails this way twice counts as unanswered.
   */
  resend?: (req: Request) => Promise<Response>;
  /** Per request, when the transport has no bound of its own. */
  timeoutMs?: number;
  progress?: (done: number, tally: Tally) => void;
}

export interface FuzzReport {
  tally: Tally;
  failures: Failure[];
  stateChanges: string[];
  /** Requests the client itself could not build or send (not the server's doing). */
  clientErrors: Array<{ index: number; kind: string; error: string }>;
  /** Requests sent again on a fresh connection (see `resend`). */
  resent: number;
  /** Requests whose connection the server closed, twice, before their body was all sent. */
  closedMidBody: number;
  ms: number;
}

/** Batch `b` of a run: its own seed, so a run of any length draws the same requests in the same order. */
export function batch(seed: number, b: number, size: number, ctx: FuzzContext): FuzzRequest[] {
  return fc.sample(fuzzRequest(ctx), { seed: (seed + Math.imul(b, 0x9e3779b1)) | 0, numRuns: size });
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const tally = new Tally();
  const failures: Failure[] = [];
  const stateChanges: string[] = [];
  const clientErrors: FuzzReport['clientErrors'] = [];
  let resent = 0;
  let closedMidBody = 0;
  let before = await readState(o.send, o.base, o.ctx.operatorToken);

  for (let b = 0, done = 0; done < o.count; b++) {
    const size = Math.min(o.batchSize, o.count - done);
    const requests = batch(o.seed, b, size, o.ctx);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        const r = requests[i]!;
        const index = done + i;
        let req: Request;
        try {
          req = toRequest(o.base, r);
        } catch (e) {
          clientErrors.push({ index, kind: r.kind, error: e instanceof Error ? e.message : String(e) });
          tally.add(r.kind, 'client');
          continue;
        }
        const attempt = (send: FuzzOptions['send'], request: Request) => (o.timeoutMs ? withTimeout(send(request), o.timeoutMs) : send(request));
        let res: Response;
        try {
          try {
            res = await attempt(o.send, req);
          } catch (e) {
            if (!o.resend || !connectionDied(e)) throw e;
            resent++;
            res = await attempt(o.resend, toRequest(o.base, r));
          }
        } catch (e) {
          if (r.body && writeDied(e)) {
            // The server closed the connection while the body was still going out, twice: it answered without
            // reading the body (a refusal, as the streamed cap does), and the HTTP/1.1 client could not read that
            // answer while writing. Counted apart; the workerd slice sees the same requests answered with a 4xx.
            tally.add(r.kind, 'closed');
            closedMidBody++;
            continue;
          }
          // No answer at all (a reset connection, a timeout) is the server failing, not a 4xx.
          failures.push({ index, kind: r.kind, method: r.method, path: r.path.slice(0, 200), status: null, problem: `no answer: ${describe(e)}` });
          tally.add(r.kind, 'err');
          continue;
        }
        const problem = await judge(r, res);
        tally.add(r.kind, String(res.status));
        if (problem) failures.push({ index, kind: r.kind, method: r.method, path: r.path.slice(0, 200), status: res.status, problem });
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency, size) }, worker));
    done += size;
    const after = await readState(o.send, o.base, o.ctx.operatorToken);
    for (const change of unexplainedChanges(before, after)) stateChanges.push(`after request ${done}: ${change}`);
    before = after;
    o.progress?.(done, tally);
  }
  return { tally, failures, stateChanges, clientErrors, resent, closedMidBody, ms: Date.now() - started };
}

function connectionDied(e: unknown): boolean {
  for (let x: unknown = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    if (code === 'EPIPE' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return true;
  }
  return false;
}

function writeDied(e: unknown): boolean {
  for (let x: unknown = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++) {
    if ((x as { code?: unknown }).code === 'EPIPE') return true;
  }
  return false;
}

/** An error and its causes (undici's "fetch failed" says why only in `cause`). */
function describe(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++) {
    parts.push(x instanceof Error ? `${(x as { code?: string }).code ?? x.name}: ${x.message}` : String(x));
  }
  return parts.join(' ← ');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** The report as text: the seed first (to replay the run), the status tables, then what failed. */
export function formatReport(o: Pick<FuzzOptions, 'seed' | 'count' | 'base'>, r: FuzzReport): string {
  const lines = [`fuzz: ${r.tally.total} requests to ${o.base}, seed ${o.seed}, ${(r.ms / 1000).toFixed(1)} s`, '', r.tally.table(), ''];
  const fivexx = [...r.tally.statuses.entries()].filter(([s]) => s.startsWith('5')).reduce((n, [, c]) => n + c, 0);
  lines.push(`5xx: ${fivexx}   failures: ${r.failures.length}   state changes: ${r.stateChanges.length}   client-side errors: ${r.clientErrors.length}`);
  lines.push(`resent on a fresh connection: ${r.resent}   closed by the server before the body was sent (twice): ${r.closedMidBody}`);
  for (const f of r.failures.slice(0, 25)) lines.push(`  FAIL #${f.index} ${f.method} ${f.path.slice(0, 100)} [${f.kind}] → ${f.problem.slice(0, 200)}`);
  if (r.failures.length > 25) lines.push(`  … and ${r.failures.length - 25} more`);
  for (const s of r.stateChanges.slice(0, 10)) lines.push(`  STATE ${s}`);
  for (const c of r.clientErrors.slice(0, 5)) lines.push(`  client #${c.index} [${c.kind}]: ${c.error.slice(0, 120)}`);
  return lines.join('\n');
}
