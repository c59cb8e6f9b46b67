/**
 * What the checks of one run share: the settings, what runs alongside them (the room viewer, the live decoder,
 * the stream probe) and what earlier checks found (the live round, the votes cast, the picture before them).
 */
import { isFight, type OptionId } from '@stream-fighter/core';
import { LAYOUT, toPixels } from '@stream-fighter/render-node/src/scene/layout.ts';
import type { Crop } from './args.ts';
import type { VerifyConfig } from './config.ts';
import type { DecodedFrame, LiveDecoder } from './ffmpeg.ts';
import { hudCrop } from './hud.ts';
import type { RoomViewer } from './room.ts';
import type { LiveRound } from './rounds.ts';
import type { StreamFacts } from './stream-probe.ts';

export interface CastVote {
  i: number;
  option: OptionId;
  sentAt: number;
  acceptedAt: number;
  apiMs: number;
  pollId: string;
  seq: number;
  tally: Partial<Record<OptionId, number>>;
  hp: Partial<Record<OptionId, number>>;
  voterToken: string;
  /** Decoded frames seen before this vote was sent. */
  framesBefore: number;
  /** The first decoded frame whose target bar moved (fights), watched from the moment the vote went out. */
  shown: Promise<DecodedFrame | null> | null;
}

/** Progress while a check waits, on stderr so the report on stdout stays one line per check. */
export const progress = (s: string) => process.stderr.write(`  … ${s}\n`);

export class VerifyRun {
  readonly cfg: VerifyConfig;
  viewer: RoomViewer | null = null;
  decoder: LiveDecoder | null = null;
  /** FFprobe's reading of the stream, started before the votes and awaited by the stream checks. */
  probe: Promise<StreamFacts> | null = null;
  facts: StreamFacts | null = null;
  /** The round the votes go to, once one is live. */
  round: LiveRound | null = null;
  readonly votes: CastVote[] = [];
  /** The room's HP just before the votes, and a steady decoded picture of it. */
  hpBefore: Partial<Record<OptionId, number>> | null = null;
  before: DecodedFrame | null = null;

  constructor(cfg: VerifyConfig) {
    this.cfg = cfg;
  }

  /** Without a live round, a fight is assumed. */
  get fight(): boolean {
    return this.round ? isFight(this.round.poll.round.matchup) : true;
  }

  /** What the decoder looks at: the HUD strip for a fight, the bars for a plain poll. */
  get crop(): Crop {
    return this.fight ? hudCrop(this.cfg.width, this.cfg.height) : evenBox(toPixels(LAYOUT.bars, this.cfg.width));
  }

  close(): void {
    this.viewer?.close();
    this.decoder?.stop();
  }
}

/** Crop boxes must be even for 4:2:0 video. */
function evenBox(b: { x: number; y: number; w: number; h: number }): Crop {
  const e = (x: number) => x - (x % 2);
  return { x: e(b.x), y: e(b.y), w: e(b.w), h: e(b.h) };
}
