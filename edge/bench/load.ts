/**
 * The load loop: each voter votes once, a fraction of accepted voters vote again (that must be refused with
 * 409), at most `concurrency` requests in flight over keep-alive connections. Stops by itself when every voter
 * has voted or the time is up, whichever comes first.
 */
import { request, type Agent } from 'undici';

export interface LoadOptions {
  dispatcher: Agent;
  api: string;
  pollId: string;
  options: readonly string[];
  /** One per voter: a signed token, or null to let the edge issue one with the first vote. */
  tokens: ReadonlyArray<string | null>;
  dupFraction: number;
  concurrency: number;
  timeLimitMs: number;
  signal: AbortSignal;
  onProgress?: (p: { elapsedS: number; sent: number; accepted: number; perSecond: number }) => void;
}

export interface LoadResult {
  durationMs: number;
  sent: number;
  accepted: number;
  byStatus: { 200: number; 409: number; 429: number; other: number };
  /** Latency of every answered request, ms, sorted. */
  latencies: Float64Array;
  /** Anything not expected: a first vote not accepted, a duplicate not refused with already-voted. */
  unexpected: Map<string, number>;
  duplicatesSent: number;
  duplicatesAccepted: number;
  /** Tokens of voters whose vote was accepted (the profile re-uses them for refused duplicates). */
  acceptedTokens: string[];
}

interface Job {
  token: string | null;
  duplicate: boolean;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const url = `${o.api}/api/vote`;
  const latencies: number[] = [];
  const unexpected = new Map<string, number>();
  const byStatus = { 200: 0, 409: 0, 429: 0, other: 0 };
  const dups: Job[] = [];
  let next = 0;
  let sent = 0;
  let duplicatesSent = 0;
  let duplicatesAccepted = 0;
  const acceptedTokens: string[] = [];
  const started = process.hrtime.bigint();
  const deadline = Date.now() + o.timeLimitMs;
  const note = (key: string) => unexpected.set(key, (unexpected.get(key) ?? 0) + 1);

  const take = (): Job | null => {
    if (o.signal.aborted || Date.now() >= deadline) return null;
    // Duplicates first: they are due, and the queue stays short.
    const dup = dups.shift();
    if (dup) return dup;
    if (next >= o.tokens.length) return null;
    return { token: o.tokens[next++]!, duplicate: false };
  };

  const fire = async (job: Job): Promise<void> => {
    const option = o.options[sent % o.options.length]!;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (job.token) headers['x-voter-token'] = job.token;
    sent++;
    if (job.duplicate) duplicatesSent++;
    const t0 = process.hrtime.bigint();
    let status = 0;
    let text = '';
    try {
      const res = await request(url, { dispatcher: o.dispatcher, method: 'POST', headers, body: JSON.stringify({ option, pollId: o.pollId }) });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      note(`network error: ${(e as Error).message}`);
    }
    if (status !== 0) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (status === 200 || status === 409 || status === 429) byStatus[status]++;
    else byStatus.other++;

    if (job.duplicate) {
      if (status === 200) duplicatesAccepted++;
      if (status !== 409 || codeOf(text) !== 'already-voted') note(`duplicate answered ${status} ${codeOf(text)}`);
    } else if (status === 200) {
      const token = job.token ?? (JSON.parse(text) as { voterToken: string }).voterToken;
      acceptedTokens.push(token);
      if (Math.random() < o.dupFraction) dups.push({ token, duplicate: true });
    } else if (status !== 0) {
      note(`first vote answered ${status} ${codeOf(text)}`);
    }
  };

  const worker = async () => {
    for (let job = take(); job; job = take()) await fire(job);
  };

  let lastAccepted = 0;
  const timer = setInterval(() => {
    o.onProgress?.({ elapsedS: Number(process.hrtime.bigint() - started) / 1e9, sent, accepted: byStatus[200], perSecond: byStatus[200] - lastAccepted });
    lastAccepted = byStatus[200];
  }, 1000);
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    clearInterval(timer);
  }
  return {
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    sent,
    accepted: byStatus[200],
    byStatus,
    latencies: Float64Array.from(latencies).sort(),
    unexpected,
    duplicatesSent,
    duplicatesAccepted,
    acceptedTokens,
  };
}

function codeOf(text: string): string {
  try {
    return String((JSON.parse(text) as { error?: { code?: unknown } }).error?.code ?? '');
  } catch {
    return '';
  }
}
