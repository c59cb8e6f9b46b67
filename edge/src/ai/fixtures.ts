/** Test fixtures: what a well-behaved model answers. */
export const KEY = 'sk-or-v1-TESTKEY-0123456789abcdefdeadbeef';

export function aiMatchup(n: number) {
  return {
    title: `Beach Brawl ${n}: Captain Kelp vs Professor Volt`,
    stage: 'beach',
    options: [
      {
        id: 'A',
        fighter: {
          name: `Captain Kelp ${n}`,
          archetype: 'beast',
          color: '#1e9e6a',
          tagline: 'Smells like low tide, hits like a tsunami.',
          moves: { punch: 'Seaweed Slap', kick: 'Riptide Kick', special: 'Tidal Tantrum' },
        },
      },
      {
        id: 'B',
        fighter: {
          name: `Professor Volt ${n}`,
          archetype: 'robot',
          color: '#f5d90a',
          tagline: 'Fully charged and over-caffeinated.',
          moves: { punch: 'Static Jab', kick: 'Ohm My Kick', special: 'Thunder Lecture' },
        },
      },
    ],
    headlines: ['Sand flies as Kelp and Volt square off!', 'Lifeguards on standby.'],
  };
}

export const matchupsContent = (count: number) =>
  JSON.stringify({ matchups: Array.from({ length: count }, (_, i) => aiMatchup(i + 1)) });
