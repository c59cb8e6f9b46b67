/**
 * Where everything sits, in a 1280×720 logical space; the renderer scales it to the output size. Tests probe these
 * regions, so moving something here moves its test too.
 */
export const BASE_W = 1280;
export const BASE_H = 720;

export type Box = { x: number; y: number; w: number; h: number };

export const LAYOUT = {
  // Wide enough for the longest word the badge says ("EN DIRECTO").
  live: { x: 24, y: 14, w: 190, h: 34 },
  title: { x: 340, y: 14, w: 600, h: 34 },
  reconnecting: { x: 946, y: 14, w: 310, h: 34 },
  /**
   * The season's line ("Season 3 · Quarter-final 2 of 4", draw-season.ts), right-aligned in the top row's free
   * corner, clear of the HP bars and names. It shares the corner with the reconnecting badge, which covers it while
   * the room is away (the line would be as old as the last snapshot then anyway).
   */
  season: { x: 946, y: 14, w: 310, h: 34 },
  hp: [
    { x: 36, y: 58, w: 500, h: 38 },
    { x: 744, y: 58, w: 500, h: 38 },
  ],
  timer: { x: 566, y: 50, w: 148, h: 74 },
  names: [
    { x: 36, y: 102, w: 500, h: 64 },
    { x: 744, y: 102, w: 500, h: 64 },
  ],
  /** Fighter centres and the ground line; sprites are drawn at SPRITE_SCALE logical px per sprite pixel. */
  fighterX: [480, 800],
  groundY: 560,
  spriteScale: 6,
  card: { x: 190, y: 190, w: 900, h: 300 },
  /** The bracket card (draw-bracket.ts) in the results phase: over the fight, below the names, above the up-next band (card.y + card.h - 24). */
  bracket: { x: 190, y: 172, w: 900, h: 286 },
  /**
   * The QR panel with the chat commands under the code (the bottom `qrHintH` of it, chat-hint.ts); without them
   * (a screen without chat, no round yet) the panel keeps its bottom edge and is that much shorter: qrPanelBox.
   */
  qr: { x: 1092, y: 358, w: 172, h: 300 },
  qrHintH: 38,
  /**
   * The feed of chat voters (draw-chat.ts): rows of `chatRowH`, the newest at the bottom, above the QR panel and
   * below the right side's combo counter (y 190). Rows are right-aligned, so only the longest reach toward the
   * bars' counts.
   */
  chatFeed: { x: 978, y: 217, w: 286, h: 135 },
  chatRowH: 27,
  shoutout: { x: 24, y: 596, w: 660, h: 64 },
  /**
   * The odds strip while bets are taken (draw-odds.ts): below the fighters' feet and the lowest card (the up-next
   * band with two rows, card.y + card.h - 24 + 112), between the shout-out and the QR panel, above the ticker.
   */
  odds: { x: 696, y: 586, w: 384, h: 76 },
  ticker: { x: 0, y: 670, w: 1280, h: 50 },
  bars: { x: 60, y: 190, w: 1010, h: 380 },
} as const;

/** The QR panel's box, with or without the chat commands under the code. */
export function qrPanelBox(chatHint: boolean): Box {
  const b = LAYOUT.qr;
  return chatHint ? b : { ...b, y: b.y + LAYOUT.qrHintH, h: b.h - LAYOUT.qrHintH };
}

/** The box in output pixels for a given output width. */
export function toPixels(b: Box, width: number): Box {
  const s = width / BASE_W;
  return { x: Math.round(b.x * s), y: Math.round(b.y * s), w: Math.round(b.w * s), h: Math.round(b.h * s) };
}
