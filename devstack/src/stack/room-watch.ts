/**
 * The room as a viewer page sees it: its state over the room's WebSocket (a snapshot, then deltas, a resync when one
 * went missing), reconnecting a second after it closes.
 * What the local stack's simulated viewers (the demo crowd, the demo chatters) act on; no polling.
 */
import { RESYNC_MESSAGE, RoomFeed, VIEWER_PING_MS, feedRoomMessage, pingMessage, type Snapshot } from '@stream-fighter/core';

/** `room` is the Worker's one room (Stack.room): it refuses a socket to any other. */
export function watchRoom(api: string, room: string, onSnapshot: (s: Snapshot) => void): { stop(): void } {
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const watch = () => {
    const ws = new WebSocket(`${api.replace(/^http/, 'ws')}/parties/arena/${encodeURIComponent(room)}`);
    // A feed per connection: the room starts each one with a whole snapshot.
    const feed = new RoomFeed();
    socket = ws;
    ws.addEventListener('message', (e) => {
      let data: unknown;
      try {
        data = JSON.parse(String(e.data));
      } catch {
        return;
      }
      const result = feedRoomMessage(feed, data);
      if (result === 'applied') onSnapshot(feed.state!);
      if (result === 'gap') ws.send(RESYNC_MESSAGE);
    });
    // The room closes a viewer it hears nothing from (README "A viewer that cannot keep up").
    const ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(pingMessage(feed.state?.seq)), VIEWER_PING_MS);
    ws.addEventListener('close', () => {
      clearInterval(ping);
      if (!stopped) retry = setTimeout(watch, 1_000);
    });
  };
  watch();
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    },
  };
}
