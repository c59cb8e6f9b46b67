/**
 * The room as a viewer page sees it: snapshots over the room's WebSocket, reconnecting a second after it closes.
 * What the local stack's simulated viewers (the demo crowd, the demo chatters) act on; no polling.
 */
import { Snapshot } from '@stream-fighter/core';

/** `room` is the Worker's one room (Stack.room): it refuses a socket to any other. */
export function watchRoom(api: string, room: string, onSnapshot: (s: Snapshot) => void): { stop(): void } {
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const watch = () => {
    socket = new WebSocket(`${api.replace(/^http/, 'ws')}/parties/arena/${encodeURIComponent(room)}`);
    socket.addEventListener('message', (e) => {
      let data: unknown;
      try {
        data = JSON.parse(String(e.data));
      } catch {
        return;
      }
      const snap = Snapshot.safeParse(data);
      if (snap.success) onSnapshot(snap.data);
    });
    socket.addEventListener('close', () => {
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
