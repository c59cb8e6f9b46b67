/**
 * The parts of the scene and the encoder the service relies on, as structural types. The service receives the
 * real implementations from main.ts, so these say exactly what it needs from them and nothing more.
 */
import type { ScreenId, StreamStatus } from '@stream-fighter/core';

export interface Renderer {
  /** Draw the view at time t; returns the frame as RGBA. */
  render(view: unknown, t: number): Buffer;
  /** The last drawn frame as PNG. */
  png(): Promise<Buffer>;
}

export type CreateRenderer = (opts: { width: number; height: number; lang: 'en' | 'es'; screen: ScreenId; voteUrl: string }) => Renderer;

export interface Scene {
  view(t: number): { sfx?: unknown };
}

export interface Frame {
  rgba: Buffer;
  sfx: unknown;
}

export interface RunningStream {
  stats(): Omit<StreamStatus, 'streamKey'> & Partial<Pick<StreamStatus, 'streamKey'>>;
  latestFrame(): Buffer | null;
  stop(): Promise<void>;
}

export interface StartStreamOptions {
  streamKey: string;
  rtmpUrl: string;
  width: number;
  height: number;
  fps: number;
  bitrate: string;
  preset: string;
  audio: 'music' | 'bed';
  ffmpegPath?: string;
  frame(t: number): Frame;
  log(event: string, fields?: Record<string, unknown>): void;
  stallTimeoutMs?: number;
}

export type StartStream = (opts: StartStreamOptions) => RunningStream;
