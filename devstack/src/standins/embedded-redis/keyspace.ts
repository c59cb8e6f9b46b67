// Dev/test only: the data of the embedded Redis stand-in: typed values with millisecond TTLs, expired lazily
// on access (as Redis does) and by an occasional sweep so a long-running dev server does not keep dead keys.
import { errors } from '../redis-reply.ts';

type ValueTypes = {
  string: string;
  hash: Map<string, string>;
  list: string[];
  set: Set<string>;
  zset: Map<string, number>;
};
export type ValueType = keyof ValueTypes;
type ValueOf<T extends ValueType> = ValueTypes[T];
export type Value = { [K in ValueType]: { type: K; value: ValueTypes[K] } }[ValueType];
type Entry = { data: Value; expiresAt: number | undefined };

export class Keyspace {
  readonly #entries = new Map<string, Entry>();
  readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  has(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  get(key: string): Value | undefined {
    return this.#live(key)?.data;
  }

  /** The value if it has `type`; undefined when missing; WRONGTYPE when it holds something else. */
  getAs<T extends ValueType>(key: string, type: T): ValueOf<T> | undefined {
    const data = this.#live(key)?.data;
    if (data === undefined) return undefined;
    if (data.type !== type) throw errors.wrongType();
    return data.value as ValueOf<T>;
  }

  /** Like getAs, but creates an empty value of `type` when the key is missing (the write commands' rule). */
  getOrCreate<T extends ValueType>(key: string, type: T, empty: () => ValueOf<T>): ValueOf<T> {
    const existing = this.getAs(key, type);
    if (existing !== undefined) return existing;
    const value = empty();
    this.#entries.set(key, { data: { type, value } as Value, expiresAt: undefined });
    return value;
  }

  /** Replaces the value; like SET, this clears the TTL unless `keepTtl`. */
  set(key: string, data: Value, keepTtl = false): void {
    const expiresAt = keepTtl ? this.#live(key)?.expiresAt : undefined;
    this.#entries.set(key, { data, expiresAt });
  }

  delete(key: string): boolean {
    return this.#live(key) !== undefined && this.#entries.delete(key);
  }

  /** Redis deletes a hash, list, set or sorted set when its last element goes. */
  dropIfEmpty(key: string): void {
    const data = this.#live(key)?.data;
    if (data && data.type !== 'string' && sizeOf(data) === 0) this.#entries.delete(key);
  }

  expiresAt(key: string): number | undefined {
    return this.#live(key)?.expiresAt;
  }

  /** Sets or clears (undefined) the expiry of an existing key; false when the key does not exist. */
  setExpiry(key: string, expiresAt: number | undefined): boolean {
    const entry = this.#live(key);
    if (!entry) return false;
    entry.expiresAt = expiresAt;
    if (expiresAt !== undefined && expiresAt <= this.now()) this.#entries.delete(key);
    return true;
  }

  keys(): string[] {
    this.sweep();
    return [...this.#entries.keys()];
  }

  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.#entries.delete(key);
    }
  }

  flush(): void {
    this.#entries.clear();
  }
}

function sizeOf(data: Exclude<Value, { type: 'string' }>): number {
  return data.type === 'list' ? data.value.length : data.value.size;
}
