/**
 * Display defaults for fighters and stages: what the built-in generator picks from and what the renderer falls
 * back on when an AI-made fighter leaves something out. Pure data; colours are #rrggbb.
 */
import type { ArchetypeId, StageId } from './ids.ts';
import type { Fighter } from './matchup.ts';

export type Localized = { en: string; es: string };

export type Archetype = {
  id: ArchetypeId;
  label: Localized;
  /** Sprite colours, main first. */
  palette: readonly string[];
  moves: Fighter['moves'];
  /** Name parts for generated fighters: a first part and a last part, e.g. "Iron" + "Knuckles". */
  names: { first: readonly string[]; last: readonly string[] };
  taglines: readonly string[];
};

export type Stage = {
  id: StageId;
  name: Localized;
  sky: string;
  ground: string;
};

export const ARCHETYPES: Readonly<Record<ArchetypeId, Archetype>> = {
  brawler: {
    id: 'brawler',
    label: { en: 'Brawler', es: 'Peleador' },
    palette: ['#d94a38', '#f2c14e', '#4a3b36'],
    moves: { punch: 'Haymaker', kick: 'Boot Stomp', special: 'Knuckle Storm' },
    names: { first: ['Iron', 'Big', 'Rusty', 'Mad'], last: ['Knuckles', 'Mack', 'Brick', 'Dozer'] },
    taglines: ['Never met a jaw he liked.', 'Throws hands first, asks questions never.'],
  },
  ninja: {
    id: 'ninja',
    label: { en: 'Ninja', es: 'Ninja' },
    palette: ['#2b2d42', '#8d99ae', '#ef233c'],
    moves: { punch: 'Palm Strike', kick: 'Shadow Kick', special: 'Smoke Bomb' },
    names: { first: ['Silent', 'Night', 'Quick', 'Ghost'], last: ['Kage', 'Shuriken', 'Fox', 'Whisper'] },
    taglines: ['You never saw this coming.', 'Blink and it is over.'],
  },
  wizard: {
    id: 'wizard',
    label: { en: 'Wizard', es: 'Mago' },
    palette: ['#5e3fbe', '#b8a1ff', '#ffd166'],
    moves: { punch: 'Staff Bonk', kick: 'Robe Swipe', special: 'Meteor Call' },
    names: { first: ['Grand', 'Old', 'Arch', 'Mystic'], last: ['Merlo', 'Zabbath', 'Quill', 'Hex'] },
    taglines: ['Reads spellbooks, writes eulogies.', 'Magic missile. Again.'],
  },
  robot: {
    id: 'robot',
    label: { en: 'Robot', es: 'Robot' },
    palette: ['#9aa5b1', '#00b4d8', '#3d5a80'],
    moves: { punch: 'Piston Jab', kick: 'Servo Sweep', special: 'Laser Grid' },
    names: { first: ['Unit', 'Mega', 'Turbo', 'Robo'], last: ['X-9', 'Bolt', 'Gearhead', 'Tron'] },
    taglines: ['Beep boop. You lose.', 'Running victory.exe'],
  },
  beast: {
    id: 'beast',
    label: { en: 'Beast', es: 'Bestia' },
    palette: ['#7f5539', '#ddb892', '#386641'],
    moves: { punch: 'Claw Swipe', kick: 'Tail Whip', special: 'Primal Roar' },
    names: { first: ['Wild', 'Savage', 'Feral', 'King'], last: ['Fang', 'Grizzle', 'Maw', 'Howl'] },
    taglines: ['Raised by wolves. Beat the wolves.', 'All bite, more bark.'],
  },
  luchador: {
    id: 'luchador',
    label: { en: 'Luchador', es: 'Luchador' },
    palette: ['#e63946', '#06d6a0', '#ffd60a'],
    moves: { punch: 'Chop de Fuego', kick: 'Dropkick', special: 'Plancha Suprema' },
    names: { first: ['El', 'Señor', 'Gran', 'Súper'], last: ['Tornado', 'Relámpago', 'Místico', 'Cóndor'] },
    taglines: ['The mask stays on.', 'From the top rope, with love.'],
  },
  samurai: {
    id: 'samurai',
    label: { en: 'Samurai', es: 'Samurái' },
    palette: ['#9d0208', '#e9d8a6', '#1b263b'],
    moves: { punch: 'Hilt Strike', kick: 'Stance Break', special: 'Thousand Cuts' },
    names: { first: ['Lone', 'Red', 'Iron', 'Wandering'], last: ['Ronin', 'Blade', 'Katana', 'Crane'] },
    taglines: ['One cut is enough.', 'Honour first, then your teeth.'],
  },
  alien: {
    id: 'alien',
    label: { en: 'Alien', es: 'Alienígena' },
    palette: ['#70e000', '#9b5de5', '#00f5d4'],
    moves: { punch: 'Tentacle Jab', kick: 'Zero-G Kick', special: 'Abduction Beam' },
    names: { first: ['Zorg', 'Xyl', 'Blip', 'Quasar'], last: ['Prime', 'Nebula', 'Glorp', 'Nova'] },
    taglines: ['Came in peace. Changed its mind.', 'Take me to your loser.'],
  },
};

export const STAGES: Readonly<Record<StageId, Stage>> = {
  dojo: { id: 'dojo', name: { en: 'The Dojo', es: 'El Dojo' }, sky: '#f4e1c1', ground: '#8b5e34' },
  rooftop: { id: 'rooftop', name: { en: 'Neon Rooftop', es: 'Azotea de Neón' }, sky: '#1a1440', ground: '#3a3a4a' },
  volcano: { id: 'volcano', name: { en: 'Volcano Rim', es: 'Borde del Volcán' }, sky: '#5c1a1b', ground: '#2b1d1a' },
  beach: { id: 'beach', name: { en: 'Sunset Beach', es: 'Playa al Atardecer' }, sky: '#ff9e64', ground: '#f2d492' },
  space: { id: 'space', name: { en: 'Orbital Station', es: 'Estación Orbital' }, sky: '#05051a', ground: '#4b5563' },
  arcade: { id: 'arcade', name: { en: 'Retro Arcade', es: 'Arcade Retro' }, sky: '#2d0a4e', ground: '#14213d' },
};
