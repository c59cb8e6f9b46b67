/**
 * Procedural audio, all our own and therefore free to stream: a quiet music loop, a plainer pad, and hit
 * effects. Everything is a deterministic function of the sample index (or a fixed seed), so the same stream
 * sounds the same every time and tests can compare numbers.
 */

/**
 * Every sound the stream can play: the hits and the KO, and the round's cues (a beep for each of the intro's last
 * three seconds, a double bell when the round goes live, a fanfare when the results come up).
 */
export type Sfx = 'punch' | 'kick' | 'special' | 'ko' | 'countdown' | 'round-start' | 'result';
export const SFX_KINDS: readonly Sfx[] = ['punch', 'kick', 'special', 'ko', 'countdown', 'round-start', 'result'];

const TAU = Math.PI * 2;
const midiHz = (m: number) => 440 * 2 ** ((m - 69) / 12);

/**
 * A looping stereo bed: `render` writes frames [start, start + n) into out (interleaved L R), adding; frame
 * `s + period` is the same as frame `s`, so the mixer renders one period once and plays it from memory.
 */
export type Bed = { period: number; render: (out: Float32Array, start: number, n: number) => void };

/**
 * A 4-bar loop in A minor (Am F C G) at 112 bpm: a plucked bass on a syncopated pattern, a triangle arpeggio
 * on every sixteenth panned left and right, and a faint off-beat hat. Stateless: sample s is computed from s.
 */
export function musicBed(sampleRate: number, level = 0.16): Bed {
  const step = Math.round((sampleRate * 60) / 112 / 4);
  const roots = [45, 41, 48, 43];
  const chords = [
    [0, 3, 7, 12],
    [0, 4, 7, 12],
    [0, 4, 7, 12],
    [0, 4, 7, 12],
  ];
  const bassSteps = [0, 3, 6, 8, 10, 14];
  const bassOctave = [0, 0, 12, 0, 7, 0];
  const hat = noiseTable(sampleRate >> 4, 7);

  const render: Bed['render'] = (out, start, n) => {
    for (let i = 0; i < n; i++) {
      const s = start + i;
      const stepIdx = Math.floor(s / step);
      const inStep = s - stepIdx * step;
      const bar = Math.floor(stepIdx / 16) % 4;
      const sixteenth = stepIdx % 16;
      const root = roots[bar]!;
      const chord = chords[bar]!;

      // Bass: the latest trigger at or before this sixteenth.
      let k = bassSteps.length - 1;
      while (k > 0 && bassSteps[k]! > sixteenth) k--;
      const bt = ((sixteenth - bassSteps[k]!) * step + inStep) / sampleRate;
      const bf = midiHz(root + bassOctave[k]!);
      const bPhase = (bf * bt) % 1;
      const bass = (bPhase < 0.5 ? 0.6 : -0.6) * 0.5 + (2 * bPhase - 1) * 0.5;
      const bassEnv = Math.exp(-bt * 6) * Math.min(1, bt * 400);

      // Arpeggio: one chord tone per sixteenth, two octaves up, a short triangle pluck.
      const at = inStep / sampleRate;
      const af = midiHz(root + 24 + chord[sixteenth % 4]!);
      const aPhase = (af * at) % 1;
      const arp = (aPhase < 0.5 ? 4 * aPhase - 1 : 3 - 4 * aPhase) * Math.exp(-at * 14) * Math.min(1, at * 500);
      const pan = sixteenth % 2 === 0 ? 0.35 : 0.65;

      const h = sixteenth % 4 === 2 && inStep < hat.length ? hat[inStep]! * Math.exp(-at * 90) * 0.25 : 0;

      const mid = bass * bassEnv * 0.55 + h;
      out[2 * i] = out[2 * i]! + level * (mid + arp * 0.35 * (1 - pan));
      out[2 * i + 1] = out[2 * i + 1]! + level * (mid + arp * 0.35 * pan);
    }
  };
  // 4 bars of 16 sixteenths: every sample is a function of its step modulo 64 and its offset in the step.
  return { period: 64 * step, render };
}

/**
 * A soft A-minor pad that breathes slowly: never silent, never busy. Every frequency is a whole number of cycles in
 * 10 s (E3 is 164.8 Hz rather than 164.81), so the pad loops every 10 s without a seam.
 */
export function padBed(sampleRate: number, level = 0.05): Bed {
  const freqs = [110, 164.8, 220.5];
  const render: Bed['render'] = (out, start, n) => {
    for (let i = 0; i < n; i++) {
      const t = (start + i) / sampleRate;
      let v = 0;
      for (const f of freqs) v += Math.sin(TAU * f * t);
      const swell = 0.75 + 0.25 * Math.sin(TAU * 0.1 * t);
      const x = (level / freqs.length) * v * swell;
      out[2 * i] = out[2 * i]! + x;
      out[2 * i + 1] = out[2 * i + 1]! + x;
    }
  };
  return { period: 10 * sampleRate, render };
}

/**
 * The sounds, rendered once (mono) at start; playing one is adding a table. Their scale here is arbitrary: the
 * mixer sets each one's level from its measured loudness (audio-mixer.ts). The two short hits are saturated
 * (tanh) so they carry weight for their length rather than one sharp peak a limiter would only shave off.
 */
export function sfxTables(sampleRate: number): Record<Sfx, Float32Array> {
  return {
    punch: render(sampleRate, 0.28, 11, (t, noise) => {
      const thump = Math.sin(TAU * sweep(240, 65, 0.09, t)) * Math.exp(-t / 0.1);
      const smack = noise * (Math.exp(-t / 0.018) + 0.25 * Math.exp(-t / 0.07));
      return attack(t) * Math.tanh(2.2 * (0.5 * smack + 0.8 * thump));
    }),
    kick: render(sampleRate, 0.32, 23, (t, noise) => {
      const body = Math.sin(TAU * sweep(170, 45, 0.14, t)) * Math.exp(-t / 0.12);
      const snap = noise * (0.5 * Math.exp(-t / 0.008) + 0.2 * Math.exp(-t / 0.06));
      return attack(t) * Math.tanh(2 * (0.9 * body + snap));
    }),
    special: render(sampleRate, 0.6, 37, (t, noise) => {
      const f = 180 + (1400 - 180) * (t / 0.6) ** 1.5 + 25 * Math.sin(TAU * 9 * t);
      const saw = 2 * ((f * t) % 1) - 1;
      const env = Math.min(1, t / 0.02) * Math.exp(-t / 0.35);
      return env * (0.45 * saw + 0.2 * noise * Math.sin(TAU * 3 * t));
    }),
    ko: render(sampleRate, 1.4, 53, (t, noise) => {
      const boom = Math.sin(TAU * sweep(300, 35, 1.2, t)) * Math.exp(-t / 0.5);
      const crash = noise * Math.exp(-t / 0.25);
      const wahPhase = (sweep(440, 110, 1.0, t) % 1) < 0.5 ? 1 : -1;
      return attack(t) * (0.8 * boom + 0.45 * crash + 0.15 * wahPhase * Math.exp(-t / 0.4));
    }),
    // One short beep per second of the intro's last three: a square-ish A5 with its octave.
    countdown: render(sampleRate, 0.2, 61, (t) => {
      const env = attack(t) * Math.exp(-t / 0.07);
      return env * (0.6 * Math.tanh(4 * Math.sin(TAU * 880 * t)) + 0.3 * Math.sin(TAU * 1760 * t));
    }),
    // The boxing bell, struck twice: a bell's inharmonic partials, each dying at its own rate, over a low thud.
    'round-start': render(sampleRate, 1.5, 67, (t, noise) => {
      const strike = (u: number) => {
        if (u < 0) return 0;
        const attack = Math.min(1, u / 0.002);
        let v = 0;
        for (const [ratio, amp, decay] of BELL_PARTIALS) v += amp * Math.sin(TAU * 620 * ratio * u) * Math.exp(-u / decay);
        return attack * (v + 0.3 * noise * Math.exp(-u / 0.01));
      };
      const thud = Math.sin(TAU * sweep(150, 50, 0.15, t)) * Math.exp(-t / 0.15);
      return 0.5 * strike(t) + 0.5 * strike(t - 0.28) + 0.5 * thud;
    }),
    // A fanfare in A major over the bed's A minor: A4 C#5 E5, then a held A5 with vibrato.
    result: render(sampleRate, 1.3, 71, (t) => {
      const notes = [69, 73, 76, 81];
      const k = Math.min(notes.length - 1, Math.floor(t / 0.11));
      const u = t - k * 0.11;
      const held = k === notes.length - 1;
      const f = midiHz(notes[k]!) * (held ? 1 + 0.006 * Math.sin(TAU * 5.5 * u) : 1);
      const phase = (f * u) % 1;
      const tone = 0.55 * (phase < 0.5 ? 1 : -1) * 0.5 + 0.5 * Math.sin(TAU * f * u);
      const env = Math.min(1, u / 0.005) * (held ? Math.exp(-u / 0.5) : Math.exp(-u / 0.09));
      return tone * env;
    }),
  };
}

/** [frequency ratio, amplitude, decay s] of a struck bell (hum, prime, tierce, quint, nominal and above). */
const BELL_PARTIALS: ReadonlyArray<readonly [number, number, number]> = [
  [0.5, 0.35, 0.9],
  [1, 0.5, 0.6],
  [1.19, 0.3, 0.45],
  [1.5, 0.2, 0.35],
  [2, 0.35, 0.3],
  [2.74, 0.2, 0.18],
  [3.76, 0.12, 0.1],
];

/**
 * A 3 ms fade-in. A hit that starts at full level in one sample is a click AAC cannot code cleanly: its
 * pre-echo rose 3 dB over the PCM's peak (measured with ebur128's true peak); 3 ms is still a hit.
 */
const attack = (t: number) => Math.min(1, t / 0.003);

/** Phase (in cycles) of an exponential sweep from f0 to f1 over `dur` seconds, holding f1 after. */
function sweep(f0: number, f1: number, dur: number, t: number): number {
  const k = Math.log(f1 / f0) / dur;
  if (t <= dur) return (f0 * (Math.exp(k * t) - 1)) / k;
  return (f0 * (Math.exp(k * dur) - 1)) / k + f1 * (t - dur);
}

function render(sampleRate: number, seconds: number, seed: number, fn: (t: number, noise: number) => number): Float32Array {
  const n = Math.round(sampleRate * seconds);
  const noise = noiseTable(n, seed);
  const out = new Float32Array(n);
  const fadeOut = Math.round(sampleRate * 0.01);
  for (let i = 0; i < n; i++) {
    const fade = i > n - fadeOut ? (n - i) / fadeOut : 1;
    out[i] = fn(i / sampleRate, noise[i]!) * fade;
  }
  return out;
}

/** Deterministic white noise in [-1, 1) (xorshift32). */
export function noiseTable(n: number, seed: number): Float32Array {
  let x = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x / 2 ** 31 - 1;
  }
  return out;
}
