/**
 * The stream's audio as FFmpeg takes it: each video frame's share of samples, in order. The frame count runs on
 * across FFmpeg sessions, so every frame ever queued, repeats included, gets exactly its share and the audio stays
 * locked to the video.
 */
import { createAudioMixer, samplesForFrame, type AudioMode } from './audio-mixer.ts';
import { SFX_KINDS, type Sfx } from './synth.ts';

export interface AudioFeed {
  /** Start the sounds named in `sfx` with the next frame's audio; anything that is not a known sound is ignored. */
  trigger(sfx: unknown): void;
  /** The next video frame's share of audio (s16le stereo). */
  next(): Buffer;
}

/** `loudnessLufs` is the program loudness (AUDIO_LOUDNESS_LUFS); unset, the mixer's default. */
export function createAudioFeed(mode: AudioMode, fps: number, loudnessLufs?: number): AudioFeed {
  const mixer = createAudioMixer(mode, loudnessLufs === undefined ? {} : { loudnessLufs });
  let frames = 0;
  return {
    trigger(sfx) {
      if (Array.isArray(sfx)) for (const kind of sfx) if (isSfx(kind)) mixer.trigger(kind);
    },
    next: () => mixer.render(samplesForFrame(frames++, fps)),
  };
}

const isSfx = (x: unknown): x is Sfx => SFX_KINDS.includes(x as Sfx);
