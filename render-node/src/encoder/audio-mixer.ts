/**
 * The stream's audio: a generated bed (music loop or plain pad) with hit effects on top, rendered a video
 * frame's worth at a time as s16le stereo. The caller asks for exactly the samples that belong to each frame,
 * so audio stays locked to video by construction.
 *
 * A frame's audio costs next to nothing even in V8's interpreter and baseline tier, the only ones production runs
 * (build.ts, NODE_FLAGS): the bed is rendered once into a loop of 16-bit samples and each block is copied out of it, and while
 * effects play, a sample is a few integer additions and at most one table lookup. Floating-point math per sample
 * would allocate a heap number per operation there (~2 million a second at 48 kHz stereo), which is what the
 * optimizing compiler used to hide.
 */
import { endianness } from 'node:os';
import { AUDIO_CHANNELS, AUDIO_SAMPLE_RATE } from './ffmpeg-args.ts';
import { musicBed, padBed, sfxTables, SFX_KINDS, type Bed, type Sfx } from './synth.ts';

export type AudioMode = 'music' | 'bed';

export interface AudioMixer {
  /** Start an effect at the beginning of the next rendered block. */
  trigger(kind: Sfx): void;
  /** The next `n` sample frames as interleaved s16le stereo. */
  render(n: number): Buffer;
  /** Sample frames rendered so far. */
  readonly position: number;
}

/** Samples that belong to video frame `k` at `fps`: integer counts that sum to exactly 48000 per second. */
export function samplesForFrame(k: number, fps: number, sampleRate = AUDIO_SAMPLE_RATE): number {
  return Math.floor(((k + 1) * sampleRate) / fps) - Math.floor((k * sampleRate) / fps);
}

/** More simultaneous effects than this is noise; the oldest is cut. */
const MAX_VOICES = 8;
const SFX_GAIN: Record<Sfx, number> = { punch: 0.55, kick: 0.6, special: 0.45, ko: 0.7 };

const FULL_SCALE = 32767;
/** Below the knee the mix passes unchanged (the bed never reaches it); above it, stacked hits are rounded off. */
const KNEE = 0.5;
/** The clip table spans sums of ±4× full scale (past that, the curve's end) in steps of 4 (1 << CLIP_SHIFT). */
const CLIP_LIMIT = 4 * FULL_SCALE;
const CLIP_SHIFT = 2;

if (endianness() !== 'LE') throw new Error('the audio mixer writes s16le through an Int16Array, which needs a little-endian CPU');

/** Identity up to the knee, then a tanh curve towards full scale: continuous, with a continuous slope. */
export function softClip(x: number): number {
  const a = Math.abs(x);
  if (a <= KNEE) return x;
  return Math.sign(x) * (KNEE + (1 - KNEE) * Math.tanh((a - KNEE) / (1 - KNEE)));
}

/** Shared by every stream in the process: the bed loops (one per mode and rate), the effects and the clip curve. */
const loops = new Map<string, Int16Array>();
const effects = new Map<number, Record<Sfx, Int16Array>>();
let clipTable: Int16Array | null = null;

const toSample = (x: number) => Math.round(softClip(x) * FULL_SCALE);

/** One period of the bed as s16 stereo, rendered in small chunks so no period-sized float buffer is ever allocated. */
function bedLoop(mode: AudioMode, sampleRate: number): Int16Array {
  const key = `${mode}@${sampleRate}`;
  let loop = loops.get(key);
  if (loop) return loop;
  const bed: Bed = mode === 'music' ? musicBed(sampleRate) : padBed(sampleRate);
  loop = new Int16Array(bed.period * AUDIO_CHANNELS);
  const chunk = new Float32Array(4096 * AUDIO_CHANNELS);
  for (let start = 0; start < bed.period; start += 4096) {
    const n = Math.min(4096, bed.period - start);
    chunk.fill(0);
    bed.render(chunk, start, n);
    for (let i = 0; i < n * AUDIO_CHANNELS; i++) loop[start * AUDIO_CHANNELS + i] = toSample(chunk[i]!);
  }
  loops.set(key, loop);
  return loop;
}

/** The effects as mono s16 at their mixing gain. */
function effectTables(sampleRate: number): Record<Sfx, Int16Array> {
  let tables = effects.get(sampleRate);
  if (tables) return tables;
  const float = sfxTables(sampleRate);
  tables = {} as Record<Sfx, Int16Array>;
  for (const kind of SFX_KINDS) tables[kind] = Int16Array.from(float[kind], (x) => Math.round(x * SFX_GAIN[kind] * FULL_SCALE));
  effects.set(sampleRate, tables);
  return tables;
}

/** softClip over [-CLIP_LIMIT, CLIP_LIMIT] in s16 units, indexed by (sum + CLIP_LIMIT) >> CLIP_SHIFT. */
function clipCurve(): Int16Array {
  if (clipTable) return clipTable;
  clipTable = new Int16Array(((2 * CLIP_LIMIT) >> CLIP_SHIFT) + 1);
  for (let i = 0; i < clipTable.length; i++) clipTable[i] = toSample(((i << CLIP_SHIFT) - CLIP_LIMIT) / FULL_SCALE);
  return clipTable;
}

export function createAudioMixer(mode: AudioMode, sampleRate = AUDIO_SAMPLE_RATE): AudioMixer {
  const loop = bedLoop(mode, sampleRate);
  const period = loop.length / AUDIO_CHANNELS;
  const tables = effectTables(sampleRate);
  const clip = clipCurve();
  const knee = Math.floor(KNEE * FULL_SCALE);
  const voices: Array<{ table: Int16Array; pos: number }> = [];
  let position = 0;
  /** Per-frame sum of the effects playing, reused from block to block. */
  let sum = new Int32Array(0);

  const mixed = (s: number) => (s <= knee && s >= -knee ? s : clip[((s > CLIP_LIMIT ? CLIP_LIMIT : s < -CLIP_LIMIT ? -CLIP_LIMIT : s) + CLIP_LIMIT) >> CLIP_SHIFT]!);

  return {
    get position() {
      return position;
    },
    trigger(kind) {
      if (voices.length >= MAX_VOICES) voices.shift();
      voices.push({ table: tables[kind], pos: 0 });
    },
    render(n) {
      const pcm = new Int16Array(n * AUDIO_CHANNELS);
      // The bed: copies out of the loop, wrapping at its end.
      for (let done = 0, at = position % period; done < n; at = 0) {
        const take = Math.min(n - done, period - at);
        pcm.set(loop.subarray(at * AUDIO_CHANNELS, (at + take) * AUDIO_CHANNELS), done * AUDIO_CHANNELS);
        done += take;
      }
      if (voices.length > 0) {
        if (sum.length < n) sum = new Int32Array(n);
        let end = 0;
        for (const v of voices) end = Math.max(end, Math.min(n, v.table.length - v.pos));
        sum.fill(0, 0, end);
        for (let v = voices.length - 1; v >= 0; v--) {
          const voice = voices[v]!;
          const count = Math.min(n, voice.table.length - voice.pos);
          for (let i = 0, j = voice.pos; i < count; i++, j++) sum[i] = sum[i]! + voice.table[j]!;
          voice.pos += count;
          if (voice.pos >= voice.table.length) voices.splice(v, 1);
        }
        for (let i = 0; i < end; i++) {
          const x = sum[i]!;
          pcm[2 * i] = mixed(pcm[2 * i]! + x);
          pcm[2 * i + 1] = mixed(pcm[2 * i + 1]! + x);
        }
      }
      position += n;
      return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    },
  };
}
