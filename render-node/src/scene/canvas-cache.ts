/**
 * A bounded cache of painted canvases (sprites, backgrounds, text, the ticker) that repaints the least recently
 * used entry's canvas in place when the new one has the same size, instead of allocating a new one.
 *
 * Why not a Map that is cleared or trimmed: an evicted canvas's pixels are native memory that goes back only when
 * V8 collects the JavaScript object, and the render node's heap is small (build.ts), so full collections are
 * rare. Each new round brings new fighters, a new stage and new words, and the evicted canvases piled up for many
 * rounds before they went: the render node's RSS rose for ~10 rounds (15-30 minutes of stream) before it levelled
 * off (`npm run bench:rounds`). Repainting in place keeps the number of live canvases fixed from the first rounds on.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas } from '@napi-rs/canvas';

export class CanvasCache<V extends { canvas: Canvas }> {
  readonly #max: number;
  readonly #entries = new Map<string, V>();

  constructor(max: number) {
    if (!(max >= 1)) throw new Error('a canvas cache holds at least one entry');
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry for `key` if it is cached (it becomes the most recently used), for callers that size it only to paint it. */
  peek(key: string): V | undefined {
    const hit = this.#entries.get(key);
    if (hit) {
      // Most recently used last, so the eviction below takes the least recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /**
   * The entry for `key`, painted by `paint` into a `width`×`height` canvas the first time (a cleared canvas with
   * a fresh 2D state: no transform, default styles) and then kept until it is the least recently used of `max`.
   */
  get(key: string, width: number, height: number, paint: (canvas: Canvas) => V): V {
    const hit = this.peek(key);
    if (hit) return hit;
    let canvas: Canvas | null = null;
    if (this.#entries.size >= this.#max) {
      const [oldKey, old] = this.#entries.entries().next().value!;
      this.#entries.delete(oldKey);
      if (old.canvas.width === width && old.canvas.height === height) {
        canvas = old.canvas;
        // reset() clears the pixels and the whole 2D state (transform, styles, clip) as a new canvas has them.
        canvas.getContext('2d').reset();
      }
    }
    const entry = paint(canvas ?? createCanvas(width, height));
    this.#entries.set(key, entry);
    return entry;
  }
}
