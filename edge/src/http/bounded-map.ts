/**
 * A Map that keeps at most `max` entries, forgetting the one set longest ago first. For caches a library fills
 * and only empties on its own terms: @upstash/ratelimit's ephemeral cache (limits.ts) keeps every identifier it
 * ever refused until that same identifier comes back, so in a room that lives for weeks, voters refused once
 * and never seen again would pile up for good.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly max: number;

  constructor(max: number) {
    super();
    if (!(Number.isInteger(max) && max > 0)) throw new RangeError(`BoundedMap: max must be a positive integer, not ${max}`);
    this.max = max;
  }

  override set(key: K, value: V): this {
    // Set again, an entry counts as the newest: Map keeps insertion order, and an update alone would not move it.
    this.delete(key);
    super.set(key, value);
    for (const oldest of this.keys()) {
      if (this.size <= this.max) break;
      this.delete(oldest);
    }
    return this;
  }
}
