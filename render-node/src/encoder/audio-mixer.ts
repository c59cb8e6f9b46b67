/**
 * The stream's audio: a generated bed (music loop or plain pad) with hit effects on top, rendered a video
 * frame's worth at a time as s16le stereo. The caller asks for exactly the samples that belong to each frame,
 * so audio stays locked to video by construction.
 */
import { AUDIO_CHANNELS, AUDIO_SAMPLE_RATE } from './ffmpeg-args.ts';
import { musicBed, padBed, sfxTables, type Bed, type Sfx } from './synth.ts';

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

export function createAudioMixer(mode: AudioMode, sampleRate = AUDIO_SAMPLE_RATE): AudioMixer {
  const bed: Bed = mode === 'music' ? musicBed(sampleRate) : padBed(sampleRate);
  const tables = sfxTables(sampleRate);
  const voices: Array<{ table: Float32Array; pos: number; gain: number }> = [];
  let position = 0;
  let mix = new Float32Array(0);

  return {
    get position() {
      return position;
    },
    trigger(kind) {
      if (voices.length >= MAX_VOICES) voices.shift();
      voices.push({ table: tables[kind], pos: 0, gain: SFX_GAIN[kind] });
    },
    render(n) {
      if (mix.length < n * AUDIO_CHANNELS) mix = new Float32Array(n * AUDIO_CHANNELS);
      mix.fill(0, 0, n * AUDIO_CHANNELS);
      bed(mix, position, n);
      for (let v = voices.length - 1; v >= 0; v--) {
        const voice = voices[v]!;
        const count = Math.min(n, voice.table.length - voice.pos);
        for (let i = 0; i < count; i++) {
          const x = voice.table[voice.pos + i]! * voice.gain;
          mix[2 * i] = mix[2 * i]! + x;
          mix[2 * i + 1] = mix[2 * i + 1]! + x;
        }
        voice.pos += count;
        if (voice.pos >= voice.table.length) voices.splice(v, 1);
      }
      const out = Buffer.allocUnsafe(n * AUDIO_CHANNELS * 2);
      for (let i = 0; i < n * AUDIO_CHANNELS; i++) {
        // tanh is transparent at bed levels and rounds off stacked hits instead of clipping them.
        out.writeInt16LE(Math.round(Math.tanh(mix[i]!) * 32767), i * 2);
      }
      position += n;
      return out;
    },
  };
}
