/**
 * One viewer of the seed's tier: a socket.io-client with the options of the seed's browser client (stream-screen
 * lib/socketClient.js: WebSocket first, then polling; reconnect up to 5 times). Its state is the last `heartbeat`,
 * the whole fight state the tier broadcasts every 200 ms; the votes it counts are the two fighters' `prevVotes`.
 * The byte count is the Engine.IO packet as it came off the socket (`4` + the Socket.IO packet).
 */
import { io } from 'socket.io-client';
import type { OpenViewer } from './messages.ts';
import type { Heartbeat } from './seed/wire.ts';

export const openSeedViewer: OpenViewer = (url, i, sink, timeoutMs) =>
  new Promise((resolve, reject) => {
    // forceNew: socket.io-client shares one connection per URL within a process; here every viewer is a browser.
    const socket = io(url, { transports: ['websocket', 'polling'], reconnection: true, reconnectionDelay: 1000, reconnectionAttempts: 5, timeout: timeoutMs, forceNew: true });
    let connected = false;
    let closing = false;
    socket.io.on('open', () => {
      socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
        if (p.type !== 'message' || typeof p.data !== 'string') return;
        sink.received(p.data.startsWith('2["heartbeat"') ? 'full' : 'other', Buffer.byteLength(p.data) + 1);
      });
    });
    socket.on('heartbeat', (h: Heartbeat) => {
      sink.state(i, (h.combatState.fighterA.prevVotes ?? 0) + (h.combatState.fighterB.prevVotes ?? 0));
    });
    socket.on('connect_error', (e) => {
      if (connected) return;
      socket.disconnect();
      reject(e);
    });
    socket.on('disconnect', (reason) => {
      if (connected && !closing) sink.dropped(i, `the seed's tier dropped a viewer: ${reason}`);
    });
    socket.once('connect', () => {
      connected = true;
      resolve({
        close: async () => {
          closing = true;
          socket.disconnect();
        },
      });
    });
  });
