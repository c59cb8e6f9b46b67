/**
 * The room's screens (core/src/screen.ts), in its own SQLite: one row per screen, its settings as JSON. `fight` and
 * `bars` are seeded on every load and cannot be deleted, so a stream row written before screens existed, and a
 * render node's STATIC_STREAMS, always name a screen. At most SCREENS_MAX: a screen is cheap, but every one is a
 * renderer's canvas once a stream shows it.
 */
import { BUILT_IN_SCREENS, SCREENS_MAX, Screen, applyScreenUpdate, defaultScreen, screenProblem, wellFormedReviver, type ScreenCreate, type ScreenUpdate } from '@stream-fighter/core';

export type ScreenRefusal =
  | { refused: 'not-found'; message: string }
  | { refused: 'screen-exists'; message: string }
  | { refused: 'too-many-screens'; message: string }
  | { refused: 'built-in-screen'; message: string }
  /** The change, applied, makes a screen that cannot be shown (a browser screen with no url). */
  | { refused: 'invalid-body'; message: string };

const isBuiltIn = (id: string) => (BUILT_IN_SCREENS as readonly string[]).includes(id);

export class ScreenBook {
  private readonly sql: SqlStorage;
  private readonly now: () => number;
  private readonly lang: Screen['lang'];

  /** `lang`: what a new screen speaks, the room's STREAM_LANG, so its words match the matchups it shows. */
  constructor(sql: SqlStorage, now: () => number, lang: Screen['lang']) {
    this.sql = sql;
    this.now = now;
    this.lang = lang;
    sql.exec(`CREATE TABLE IF NOT EXISTS screens (id TEXT PRIMARY KEY, settings TEXT NOT NULL, created_at INTEGER NOT NULL)`);
    for (const id of BUILT_IN_SCREENS) this.insert(defaultScreen(id, lang), 'OR IGNORE');
  }

  /** Oldest first (then in the order written), so the built-in ones lead, `fight` first. */
  list(): Screen[] {
    return this.sql
      .exec<{ id: string; settings: string }>(`SELECT id, settings FROM screens ORDER BY created_at, rowid`)
      .toArray()
      .map((r) => this.parse(r.id, r.settings));
  }

  /** What a screen with this id is when nobody has set it up: the defaults in the room's language. */
  defaults(id: string): Screen {
    return defaultScreen(id, this.lang);
  }

  get(id: string): Screen | null {
    const row = this.sql.exec<{ settings: string }>(`SELECT settings FROM screens WHERE id = ?`, id).toArray()[0];
    return row ? this.parse(id, row.settings) : null;
  }

  create(input: ScreenCreate): { screen: Screen } | ScreenRefusal {
    if (this.get(input.id)) return { refused: 'screen-exists', message: `screen ${input.id} already exists (PUT /api/screens/${input.id} changes it)` };
    if (this.count() >= SCREENS_MAX) return { refused: 'too-many-screens', message: `at most ${SCREENS_MAX} screens: delete one first` };
    const screen = applyScreenUpdate(this.defaults(input.id), input);
    const problem = screenProblem(screen);
    if (problem) return { refused: 'invalid-body', message: problem };
    this.insert(screen, '');
    return { screen };
  }

  update(id: string, change: ScreenUpdate): { screen: Screen; changed: boolean } | ScreenRefusal {
    const old = this.get(id);
    if (!old) return { refused: 'not-found', message: `no screen ${id}` };
    const screen = applyScreenUpdate(old, change);
    const problem = screenProblem(screen);
    if (problem) return { refused: 'invalid-body', message: problem };
    const changed = JSON.stringify(screen) !== JSON.stringify(old);
    if (changed) this.sql.exec(`UPDATE screens SET settings = ? WHERE id = ?`, JSON.stringify(settingsOf(screen)), id);
    return { screen, changed };
  }

  /** Whether a stream still names it is the caller's question (stream-desk.ts): this book does not know streams. */
  remove(id: string): { removed: Screen } | ScreenRefusal {
    if (isBuiltIn(id)) return { refused: 'built-in-screen', message: `${id} is built in: it can be changed, not deleted` };
    const old = this.get(id);
    if (!old) return { refused: 'not-found', message: `no screen ${id}` };
    this.sql.exec(`DELETE FROM screens WHERE id = ?`, id);
    return { removed: old };
  }

  private count(): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM screens`).one().n;
  }

  private insert(s: Screen, or: 'OR IGNORE' | ''): void {
    this.sql.exec(`INSERT ${or} INTO screens (id, settings, created_at) VALUES (?, ?, ?)`, s.id, JSON.stringify(settingsOf(s)), this.now());
  }

  /** A row written by an older version that no longer parses falls back to the defaults rather than failing the room. */
  private parse(id: string, raw: string): Screen {
    let settings: unknown = null;
    try {
      settings = JSON.parse(raw, wellFormedReviver);
    } catch {
      // stays null: the defaults below
    }
    const parsed = Screen.safeParse(typeof settings === 'object' && settings !== null ? { ...settings, id } : null);
    return parsed.success ? parsed.data : this.defaults(id);
  }
}

function settingsOf(s: Screen): Omit<Screen, 'id'> {
  const { scene, lang, resolution, show, renderer, url } = s;
  return { scene, lang, resolution, show, ...(renderer ? { renderer } : {}), ...(url ? { url } : {}) };
}
