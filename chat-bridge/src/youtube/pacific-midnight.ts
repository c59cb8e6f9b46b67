/**
 * YouTube resets every project's daily quota at midnight Pacific time, so that is when a source refused with
 * quotaExceeded may try again. Pacific time moves between UTC-8 and UTC-7, hence the time-zone database rather
 * than a fixed offset.
 */
const pacific = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Los Angeles' offset from UTC at `t` (ms, negative): its wall clock read as if it were UTC, minus `t`. */
function offsetAt(t: number): number {
  const whole = Math.floor(t / 1000) * 1000;
  const p = Object.fromEntries(pacific.formatToParts(whole).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - whole;
}

/** The first midnight in Los Angeles after `now` (ms epoch). */
export function nextPacificMidnight(now: number): number {
  const wall = new Date(now + offsetAt(now));
  const midnightWall = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + 1);
  // The offset can change before that midnight (the switch is at 2 am, so not at midnight itself): ask again there.
  const guess = midnightWall - offsetAt(now);
  return midnightWall - offsetAt(guess);
}
