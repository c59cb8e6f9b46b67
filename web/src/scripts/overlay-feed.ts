/**
 * The overlay's feed of chat voters ("gamer42 → GRIZZLE"), newest last: the snapshot's `chatFeed`, which the room
 * has already limited (a few names a second, the last five of the live round, only names that pass the shout-out
 * filter). Each line fades in, stays a while and fades out by a CSS animation (overlay.astro); a line keeps its
 * element across snapshots, because a re-inserted element would start its animation again, and a line that was
 * already old when the overlay opened starts part-way through, from its age.
 */
import type { ChatFeedEntry, RoundState } from '@stream-fighter/core';

/** The feed as the page can trust it: the snapshot is checked only structurally (lib/live.ts), this part not at all. */
function entries(feed: unknown, round: RoundState): ChatFeedEntry[] {
  if (!Array.isArray(feed)) return [];
  return feed.filter(
    (e): e is ChatFeedEntry =>
      typeof e === 'object' && e !== null && typeof e.name === 'string' && typeof e.at === 'number' && round.matchup.options.some((o) => o.id === e.option),
  );
}

const keyOf = (e: ChatFeedEntry) => `${e.at}|${e.option}|${e.name}`;

/** Draw `feed` (a snapshot's `chatFeed`) for `round`; `now` is the room's clock. */
export function drawChatFeed(list: HTMLElement, feed: unknown, round: RoundState, now: number): void {
  const wanted = entries(feed, round);
  const keys = new Set(wanted.map(keyOf));
  const kept = new Map<string, HTMLElement>();
  for (const li of [...list.children] as HTMLElement[]) {
    const key = li.dataset.key ?? '';
    if (keys.has(key)) kept.set(key, li);
    else li.remove();
  }
  // The room only ever appends to its feed (and drops from it), so what is kept is already in order: new lines go last.
  for (const e of wanted) {
    const key = keyOf(e);
    if (kept.has(key)) continue;
    const li = document.createElement('li');
    li.dataset.key = key;
    li.style.animationDelay = `${-Math.max(0, now - e.at)}ms`;
    const name = document.createElement('span');
    name.className = 'feed__name';
    name.textContent = e.name;
    const pick = document.createElement('span');
    pick.className = 'feed__pick';
    pick.textContent = round.matchup.options.find((o) => o.id === e.option)!.fighter.name.toUpperCase();
    li.append(name, ' → ', pick);
    list.append(li);
  }
}
