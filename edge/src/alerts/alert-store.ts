/**
 * What the alerts remember across evictions, in the room's own SQLite (tables of their own, beside storage.ts's):
 * each condition's row, when messages went out (the hourly cap), and what the archive did lately.
 */
import type { ConditionRow } from './conditions.ts';
import type { ArchiveMarks } from './observe.ts';

export class AlertStore {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS alert_conditions (key TEXT PRIMARY KEY, row TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS alert_sends (at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS alert_marks (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  }

  rows(): Map<string, ConditionRow> {
    const out = new Map<string, ConditionRow>();
    for (const r of this.sql.exec<{ key: string; row: string }>(`SELECT key, row FROM alert_conditions`)) out.set(r.key, JSON.parse(r.row) as ConditionRow);
    return out;
  }

  /** Writes only the rows that changed: a check every 15 s must not rewrite what stayed the same. */
  save(before: ReadonlyMap<string, ConditionRow>, rows: ConditionRow[], dropped: string[]): void {
    for (const row of rows) {
      const json = JSON.stringify(row);
      const prev = before.get(row.key);
      if (prev && JSON.stringify(prev) === json) continue;
      this.sql.exec(`INSERT INTO alert_conditions (key, row) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET row = excluded.row`, row.key, json);
    }
    for (const key of dropped) this.sql.exec(`DELETE FROM alert_conditions WHERE key = ?`, key);
  }

  /** When messages were sent (or tried) in the last hour. */
  sends(now: number): number[] {
    this.sql.exec(`DELETE FROM alert_sends WHERE at <= ?`, now - 3_600_000);
    return this.sql.exec<{ at: number }>(`SELECT at FROM alert_sends`).toArray().map((r) => r.at);
  }

  sent(at: number): void {
    this.sql.exec(`INSERT INTO alert_sends (at) VALUES (?)`, at);
  }

  archive(): ArchiveMarks {
    const get = (key: string) => this.sql.exec<{ value: string }>(`SELECT value FROM alert_marks WHERE key = ?`, key).toArray()[0]?.value ?? null;
    const num = (v: string | null) => (v === null ? null : Number(v));
    return { okAt: num(get('archive.okAt')), parkedAt: num(get('archive.parkedAt')), parkedError: get('archive.parkedError') };
  }

  markArchive(marks: Partial<ArchiveMarks>): void {
    for (const [name, value] of Object.entries(marks)) {
      if (value === undefined || value === null) continue;
      this.sql.exec(`INSERT INTO alert_marks (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, `archive.${name}`, String(value));
    }
  }
}
