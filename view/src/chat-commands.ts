/**
 * The chat commands of a round's options as the stream writes them: "!a / !b" for a fight, "!a–!d" for a poll of
 * 3–4 options (four commands in a row would not fit beside the QR code). Core's parseChatCommand reads them.
 */
import type { OptionId } from '@stream-fighter/core';

export function chatCommands(options: readonly OptionId[]): string {
  const cmds = options.map((id) => `!${id.toLowerCase()}`);
  return cmds.length <= 2 ? cmds.join(' / ') : `${cmds[0]}–${cmds.at(-1)}`;
}
