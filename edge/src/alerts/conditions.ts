/**
 * The alert rules, pure: what the room observed at a check, against what the operator was last told about each
 * condition, decides which lines to send now and when the next check is due. The room's alarm runs it
 * (alerts.ts); the state it returns is saved in the room's SQLite, so a room evicted between two alarms picks up
 * where it was.
 */

/** What one check saw of one condition. */
export interface Observation {
  /** `stream:<key>`, `votes` or `archive`. */
  key: string;
  /** How a message names it (never a secret: stream keys are masked). */
  label: string;
  /**
   * `ok`; `bad` (with, when the evidence says so, the time it went bad: otherwise the first check that saw it is
   * taken); or `unknown` when there is no evidence either way (no votes came in), which changes nothing.
   */
  state: 'ok' | 'unknown' | { badSince?: number };
  /** How long it must stay bad before it counts as down. */
  downAfterMs: number;
  /** What is wrong, for the down message. */
  detail: string;
}

/** What the room remembers of one condition between checks. */
export interface ConditionRow {
  key: string;
  label: string;
  /** Since when it has been bad, or null while it is fine. */
  badSince: number | null;
  /** What the operator was last told: a down message went out, or nothing (or a recovery) did. */
  notified: 'down' | 'ok';
  /** The last message about this condition (sent or tried), for the per-condition gap. */
  notifiedAt: number | null;
  /** When the condition the last down message was about went bad, to say how long it lasted. */
  downSince: number | null;
  detail: string;
}

export interface AlertLine {
  key: string;
  kind: 'down' | 'recovered' | 'gone';
  label: string;
  detail: string;
  /** When it went bad (down), or how long it was down (recovered, gone). */
  badSince: number | null;
  downForMs: number | null;
}

export interface Evaluation {
  /** Every condition still tracked, updated (rows of conditions no longer observed and never reported are gone). */
  rows: ConditionRow[];
  /** Keys whose rows are to be deleted (a stream the operator stopped, with no down message standing). */
  dropped: string[];
  /** Lines due now: a state the operator has not been told, past the per-condition gap. */
  due: AlertLine[];
  /** The earliest time something changes without new evidence: a threshold crossed, a gap over. */
  nextAt: number;
}

/**
 * One check. A condition is down once bad for its `downAfterMs`. A line is due when that state differs from the
 * last one the operator was told and the last message about the condition is `repeatMs` old: a condition that
 * flaps within the gap produces one message then, after the gap, one with the state as it is by then (or none, if
 * it is back where the operator last heard it was). A recovery is only ever sent after a down message.
 */
export function evaluate(rows: ReadonlyMap<string, ConditionRow>, observed: Observation[], now: number, repeatMs: number): Evaluation {
  const out: ConditionRow[] = [];
  const dropped: string[] = [];
  const due: AlertLine[] = [];
  let nextAt = Infinity;
  const seen = new Set<string>();

  for (const o of observed) {
    seen.add(o.key);
    const prev = rows.get(o.key) ?? { key: o.key, label: o.label, badSince: null, notified: 'ok', notifiedAt: null, downSince: null, detail: '' };
    let badSince = prev.badSince;
    let detail = prev.detail;
    if (o.state === 'ok') badSince = null;
    else if (o.state !== 'unknown') {
      // Evidence of when it went bad wins (a report's time); otherwise the first check that saw it keeps its time.
      badSince = Math.min(o.state.badSince ?? prev.badSince ?? now, now);
      detail = o.detail;
    }
    const row: ConditionRow = { ...prev, label: o.label, badSince, detail };
    out.push(row);
    const down = badSince !== null && now - badSince >= o.downAfterMs;
    const want = down ? 'down' : 'ok';
    if (want !== row.notified) {
      const dueAt = row.notifiedAt === null ? now : row.notifiedAt + repeatMs;
      if (now >= dueAt) {
        due.push(
          want === 'down'
            ? { key: row.key, kind: 'down', label: row.label, detail: row.detail, badSince, downForMs: null }
            : { key: row.key, kind: 'recovered', label: row.label, detail: row.detail, badSince: null, downForMs: row.downSince === null ? null : now - row.downSince },
        );
      } else nextAt = Math.min(nextAt, dueAt);
    } else if (badSince !== null && !down) {
      nextAt = Math.min(nextAt, badSince + o.downAfterMs);
    }
  }

  // A condition no longer observed (the operator stopped the stream): closed with a line if a down message stands.
  for (const [key, row] of rows) {
    if (seen.has(key)) continue;
    if (row.notified !== 'down') {
      dropped.push(key);
      continue;
    }
    out.push(row);
    const dueAt = row.notifiedAt === null ? now : row.notifiedAt + repeatMs;
    if (now >= dueAt) due.push({ key, kind: 'gone', label: row.label, detail: row.detail, badSince: null, downForMs: row.downSince === null ? null : now - row.downSince });
    else nextAt = Math.min(nextAt, dueAt);
  }
  return { rows: out, dropped, due, nextAt };
}

/**
 * After a send: the rows as they are once the lines went out (delivered), or once they were tried (not delivered:
 * the state stays untold, and is tried again after the per-condition gap). `gone` rows that were delivered go.
 */
export function settle(rows: ConditionRow[], sent: AlertLine[], delivered: boolean, now: number): { rows: ConditionRow[]; dropped: string[] } {
  const byKey = new Map(sent.map((l) => [l.key, l]));
  const kept: ConditionRow[] = [];
  const dropped: string[] = [];
  for (const row of rows) {
    const line = byKey.get(row.key);
    if (!line) {
      kept.push(row);
    } else if (!delivered) {
      kept.push({ ...row, notifiedAt: now });
    } else if (line.kind === 'gone') {
      dropped.push(row.key);
    } else if (line.kind === 'down') {
      kept.push({ ...row, notified: 'down', notifiedAt: now, downSince: row.badSince });
    } else {
      kept.push({ ...row, notified: 'ok', notifiedAt: now, downSince: null });
    }
  }
  return { rows: kept, dropped };
}

/** The hourly cap: whether one more message fits, and when the next one will if not. */
export function budget(sentAt: number[], now: number, perHour: number): { ok: true } | { ok: false; freeAt: number } {
  const hourAgo = now - 3_600_000;
  const recent = sentAt.filter((t) => t > hourAgo).sort((a, b) => a - b);
  if (recent.length < perHour) return { ok: true };
  return { ok: false, freeAt: recent[recent.length - perHour]! + 3_600_000 };
}
