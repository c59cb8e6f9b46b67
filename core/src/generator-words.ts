/**
 * The built-in generator's words in each language the stream speaks: the ticker lines it writes, the title of a
 * crowded poll, and the Spanish taglines and move names of the stock roster (the English ones are the roster's own,
 * roster.ts). Content rather than interface words, so they live with the generator, not in view/'s tables.
 */
import type { ArchetypeId } from './ids.ts';
import type { Fighter } from './matchup.ts';
import type { Localized } from './roster.ts';

/** A language the generator writes in: the keys of a Localized text. */
export type GenLang = keyof Localized;
export const GEN_LANGS: readonly GenLang[] = ['en', 'es'];

export type HeadlineParts = { stage: string; a: Fighter; b: Fighter };

export const HEADLINES: Record<GenLang, ReadonlyArray<(p: HeadlineParts) => string>> = {
  en: [
    ({ stage, a, b }) => `Live from ${stage}: ${a.name} takes on ${b.name}.`,
    ({ a, b }) => `Bookmakers cannot split ${a.name} and ${b.name}.`,
    ({ a, b }) => `${a.name}'s ${a.moves.special} vs ${b.name}'s ${b.moves.special}: who lands first?`,
    ({ stage }) => `${stage} is sold out and the crowd wants a knockout.`,
    ({ a }) => `${a.name}: "${a.tagline}"`,
    ({ b }) => `${b.name}: "${b.tagline}"`,
  ],
  es: [
    ({ stage, a, b }) => `En directo desde ${stage}: ${a.name} contra ${b.name}.`,
    ({ a, b }) => `Las apuestas no se deciden entre ${a.name} y ${b.name}.`,
    ({ a, b }) => `${a.moves.special} de ${a.name} contra ${b.moves.special} de ${b.name}: ¿quién acierta antes?`,
    ({ stage }) => `${stage}: entradas agotadas y el público quiere un K.O.`,
    ({ a }) => `${a.name}: «${a.tagline}»`,
    ({ b }) => `${b.name}: «${b.tagline}»`,
  ],
};

/** The title of a poll whose names do not fit the title: "4-way brawl: Retro Arcade". */
export const CROWD_TITLE: Record<GenLang, (n: number, stage: string) => string> = {
  en: (n, stage) => `${n}-way brawl: ${stage}`,
  es: (n, stage) => `Pelea de ${n}: ${stage}`,
};

/** Spanish taglines, one for each of the roster's English ones, in the same order. */
export const TAGLINES_ES: Record<ArchetypeId, readonly string[]> = {
  brawler: ['Nunca conoció una mandíbula que le cayera bien.', 'Primero pega; preguntar, nunca.'],
  ninja: ['No lo viste venir.', 'Parpadea y ya terminó.'],
  wizard: ['Lee grimorios, escribe epitafios.', 'Proyectil mágico. Otra vez.'],
  robot: ['Bip bup. Perdiste.', 'Ejecutando victoria.exe'],
  beast: ['Criado por lobos. Les ganó a los lobos.', 'Todo mordisco, y aún más ladrido.'],
  luchador: ['La máscara no se quita.', 'Desde la tercera cuerda, con cariño.'],
  samurai: ['Un corte basta.', 'Primero el honor, luego tus dientes.'],
  alien: ['Vino en son de paz. Cambió de idea.', 'Llévame ante tu perdedor.'],
};

export const MOVES_ES: Record<ArchetypeId, Fighter['moves']> = {
  brawler: { punch: 'Gancho Salvaje', kick: 'Pisotón', special: 'Tormenta de Nudillos' },
  ninja: { punch: 'Golpe de Palma', kick: 'Patada Sombra', special: 'Bomba de Humo' },
  wizard: { punch: 'Bastonazo', kick: 'Barrido de Túnica', special: 'Lluvia de Meteoros' },
  robot: { punch: 'Jab de Pistón', kick: 'Barrido Servo', special: 'Red Láser' },
  beast: { punch: 'Zarpazo', kick: 'Latigazo de Cola', special: 'Rugido Primitivo' },
  luchador: { punch: 'Chop de Fuego', kick: 'Patada Voladora', special: 'Plancha Suprema' },
  samurai: { punch: 'Golpe de Empuñadura', kick: 'Rompeguardia', special: 'Mil Cortes' },
  alien: { punch: 'Jab de Tentáculo', kick: 'Patada Gravedad Cero', special: 'Rayo Abductor' },
};
