/**
 * The parts of the scene and the encoder the service relies on, as structural types. The service receives the
 * real implementations from main.ts, so these say exactly what it needs from them and nothing more.
 */
import type { Screen, ScreenShow, StreamStatus } from '@stream-fighter/core';

export interface Renderer {
  /** Draw the view at time t; returns the frame as RGBA. */
  render(view: unknown, t: number): Buffer;
  /** The last drawn frame as PNG. */
  png(): Promise<Buffer>;
  /** Frees what the renderer holds outside the process (a browser renderer's Chromium); called once it is unused. */
  close?(): Promise<void>;
}

/** `screen`: the scene a screen draws (its `scene`); `show`: what it shows around the action (all when absent). */
export type CreateRenderer = (opts: { width: number; height: number; lang: Screen['lang']; screen: Screen['scene']; voteUrl: string; show?: ScreenShow }) => Renderer;

/** A renderer that streams the web page at `url` (render-node/src/browser): what browser screens use. */
export type CreateBrowserRenderer = (opts: { width: number; height: number; url: string }) => Renderer;

export interface Scene {
  advanceTo(t: number): { sfx?: unknown };
}

/** What the service hands the encoder, and what it gets back: the encoder's own types, so they cannot drift. */
export type { DrawnFrame, StreamOptions as StartStreamOptions } from '../encoder/index.ts';
import type { StreamHandle, StreamOptions } from '../encoder/index.ts';

export type RunningStream = Pick<StreamHandle, 'stats' | 'latestFrame' | 'stop'>;

export type StartStream = (opts: StreamOptions) => RunningStream;
