/**
 * The stream's audio: a generated bed (music loop or plain pad) with sounds on top (hits, the KO, the round's
 * cues), through a look-ahead peak limiter, rendered a video frame's worth at a time as s16le stereo. The caller
 * asks for exactly the samples that belong to each frame, so audio stays locked to video by construction (the
 * limiter's look-ahead delays all of it by a constant 5.3 ms).
 *
 * Levels are set once at start from measured loudness (src/audio/levels.ts): the program sits at the target
 * (AUDIO_LOUDNESS_LUFS) whether the fight is idle or busy. What keeps a busy minute from running loud is a budget:
 * the sounds' energy over the last ~20 s may add only so much to the bed's, and a sound started while the budget
 * is spent plays quieter (a voice's gain is fixed when it starts, so there is no pumping).
 *
 * A frame's audio costs next to nothing even in V8's interpreter and baseline tier, the only ones production runs
 * (build.ts, NODE_FLAGS): the bed is a loop of 16-bit samples copied out block by block, a playing sound is an
 * integer add (and a multiply when it plays under full gain), and the limiter works on integers. Floating-point
 * math per sample would allocate a heap number per operation there (~2 million a second at 48 kHz stereo).
 */
import { endianness } from 'node:os';
import { AUDIO_CHANNELS, AUDIO_SAMPLE_RATE } from './ffmpeg-args.ts';
import type { Sfx } from './synth.ts';
import { DEFAULT_LOUDNESS_LUFS, mixLevels, type AudioMode } from '../audio/levels.ts';
import { createLimiter, LIMITER_BLOCK, LIMITER_BLOCK_BITS } from '../audio/limiter.ts';
import { powerOf } from '../audio/loudness.ts';

export type { AudioMode } from '../audio/levels.ts';

export interface AudioMixer {
  /** Start a sound with the next block of the mix (within the limiter's look-ahead of the next rendered frame). */
  trigger(kind: Sfx): void;
  /** The next `n` sample frames as interleaved s16le stereo. */
  render(n: number): Buffer;
  /** Sample frames rendered so far. */
  readonly position: number;
}

export interface MixerOptions {
  sampleRate?: number;
  /** Program loudness, LUFS (integrated over any minute). */
  loudnessLufs?: number;
}

/** Samples that belong to video frame `k` at `fps`: integer counts that sum to exactly 48000 per second. */
export function samplesForFrame(k: number, fps: number, sampleRate = AUDIO_SAMPLE_RATE): number {
  return Math.floor(((k + 1) * sampleRate) / fps) - Math.floor((k * sampleRate) / fps);
}

/** More simultaneous sounds than this is noise; the oldest is cut. */
const MAX_VOICES = 8;
/** A busy stretch may run this many LU over the target before sounds are turned down. */
const BUDGET_LU = 1;
/** The sounds' energy is remembered over about this long (an exponential window). */
const BUDGET_WINDOW_S = 20;
/** However spent the budget, a sound plays at least this loud (a cue or the KO must still be heard). */
const MIN_GAIN: Readonly<Record<Sfx, number>> = { punch: 0.3, kick: 0.3, special: 0.3, ko: 0.5, countdown: 0.5, 'round-start': 0.5, result: 0.5 };
const GAIN_BITS = 12;
const UNITY = 1 << GAIN_BITS;
/**
 * While a sound plays the bed steps back by 6 dB (down in ~10 ms, back over ~0.4 s), as game and broadcast mixes
 * duck music under effects: the hit stands clear of the bed without having to be louder, which a busy minute's
 * loudness could not afford.
 */
const DUCK_GAIN = 0.5;
const DUCK_ATTACK_MS = 10;
const DUCK_RELEASE_MS = 400;

if (endianness() !== 'LE') throw new Error('the audio mixer writes s16le through an Int16Array, which needs a little-endian CPU');

type Voice = { table: Int16Array; pos: number; gain: number };

export function createAudioMixer(mode: AudioMode, opts: MixerOptions = {}): AudioMixer {
  const sampleRate = opts.sampleRate ?? AUDIO_SAMPLE_RATE;
  const levels = mixLevels(mode, sampleRate, opts.loudnessLufs ?? DEFAULT_LOUDNESS_LUFS);
  const { loop, tables } = levels;
  const period = loop.length / AUDIO_CHANNELS;
  const limiter = createLimiter({ ceiling: levels.ceiling, sampleRate, channels: AUDIO_CHANNELS });
  const voices: Voice[] = [];
  const width = LIMITER_BLOCK * AUDIO_CHANNELS;
  const input = new Int32Array(width);
  /** Limited frames made but not yet handed out (a render size need not be a multiple of the block). */
  const carry = new Int16Array(width);
  let carried = 0;
  let inPos = 0;
  let position = 0;

  // The budget: the sounds' energy (K-weighted, both channels) that a window may hold on top of the bed.
  const windowSamples = BUDGET_WINDOW_S * sampleRate;
  const budget = Math.max(0, powerOf(levels.targetLufs + BUDGET_LU) - levels.bedPower) * windowSamples;
  let spent = 0;
  let spentAt = 0;

  // The bed's gain at the start of the next block, in GAIN_BITS fixed point, and its step per block each way.
  let duck = UNITY;
  const duckFloor = Math.round(DUCK_GAIN * UNITY);
  const blocksFor = (ms: number) => Math.max(1, (ms / 1000) * (sampleRate / LIMITER_BLOCK));
  const duckDown = Math.ceil((UNITY - duckFloor) / blocksFor(DUCK_ATTACK_MS));
  const duckUp = Math.ceil((UNITY - duckFloor) / blocksFor(DUCK_RELEASE_MS));

  /** Mix one block at inPos (bed plus voices) and limit it into `out` at frame `at`. */
  const block = (out: Int16Array, at: number) => {
    const start = (inPos % period) * AUDIO_CHANNELS;
    const d0 = duck;
    duck = voices.length > 0 ? Math.max(duckFloor, duck - duckDown) : Math.min(UNITY, duck + duckUp);
    const bedOnly = voices.length === 0 && d0 === UNITY && duck === UNITY;
    if (d0 === UNITY && duck === UNITY) {
      if (start + width <= loop.length) input.set(loop.subarray(start, start + width));
      else for (let i = 0; i < width; i++) input[i] = loop[(start + i) % loop.length]!;
    } else {
      // Ducked: the gain moves linearly across the block from d0 to its new value.
      for (let f = 0, k = start; f < LIMITER_BLOCK; f++, k += 2) {
        if (k >= loop.length) k = 0;
        const g = d0 + (((duck - d0) * f) >> LIMITER_BLOCK_BITS);
        input[2 * f] = (loop[k]! * g) >> GAIN_BITS;
        input[2 * f + 1] = (loop[k + 1]! * g) >> GAIN_BITS;
      }
    }
    for (let v = voices.length - 1; v >= 0; v--) {
      const voice = voices[v]!;
      const { table, gain } = voice;
      const count = Math.min(LIMITER_BLOCK, table.length - voice.pos);
      for (let i = 0, j = voice.pos; i < count; i++, j++) {
        const x = gain === UNITY ? table[j]! : (table[j]! * gain) >> GAIN_BITS;
        input[2 * i] = input[2 * i]! + x;
        input[2 * i + 1] = input[2 * i + 1]! + x;
      }
      voice.pos += count;
      if (voice.pos >= table.length) voices.splice(v, 1);
    }
    inPos += LIMITER_BLOCK;
    limiter.process(input, out, at, bedOnly ? levels.bedPeak : undefined);
  };

  return {
    get position() {
      return position;
    },
    trigger(kind) {
      // What the window still holds of earlier sounds, then this sound's share of what is left.
      spent *= Math.exp(-(inPos - spentAt) / windowSamples);
      spentAt = inPos;
      const energy = levels.energy[kind];
      const room = budget - spent;
      const gain = room >= energy ? 1 : Math.max(MIN_GAIN[kind], Math.sqrt(Math.max(0, room) / energy));
      spent += gain * gain * energy;
      if (voices.length >= MAX_VOICES) voices.shift();
      voices.push({ table: tables[kind], pos: 0, gain: Math.min(UNITY, Math.floor(gain * UNITY)) });
    },
    render(n) {
      const pcm = new Int16Array(n * AUDIO_CHANNELS);
      let done = Math.min(n, carried);
      pcm.set(carry.subarray(0, done * AUDIO_CHANNELS));
      carry.copyWithin(0, done * AUDIO_CHANNELS, carried * AUDIO_CHANNELS);
      carried -= done;
      while (n - done >= LIMITER_BLOCK) {
        block(pcm, done);
        done += LIMITER_BLOCK;
      }
      if (done < n) {
        // The last partial block: limit a whole one, hand out what fits, keep the rest for the next call.
        block(carry, 0);
        const take = n - done;
        pcm.set(carry.subarray(0, take * AUDIO_CHANNELS), done * AUDIO_CHANNELS);
        carry.copyWithin(0, take * AUDIO_CHANNELS, width);
        carried = LIMITER_BLOCK - take;
      }
      position += n;
      return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    },
  };
}
