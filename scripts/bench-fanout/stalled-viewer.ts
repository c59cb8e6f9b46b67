/**
 * A viewer that stops reading (bench:stalled): a plain TCP socket that does the WebSocket upgrade by hand, reads
 * the room's welcome and first snapshot (so it knows the seq it holds), then stops taking bytes from its socket at
 * all: Node's `onread` callback returns false, which stops the read at once, with nothing buffered past that chunk.
 * It can still write (a ping with its stale seq, as the vote page does every 20 s), and at the end it reads what
 * piled up, to count what the room sent it and how the room closed it. No permessage-deflate is offered, so the
 * bytes on the wire are the messages' own.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { PROTOCOL_VERSION } from '@stream-fighter/core/constants';
import type { Ping } from '@stream-fighter/core/protocol';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const READ_BUFFER_BYTES = 64 * 1024;

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** The whole frame's bytes on the wire, header included. */
  size: number;
}

/** The first whole frame at the start of `buf`, or null while it has not all arrived. */
function readFrame(buf: Buffer): Frame | null {
  if (buf.length < 2) return null;
  let len = buf[1]! & 0x7f;
  let at = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    at = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    at = 10;
  }
  const masked = (buf[1]! & 0x80) !== 0;
  const maskAt = at;
  if (masked) at += 4;
  if (buf.length < at + len) return null;
  const payload = Buffer.from(buf.subarray(at, at + len));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buf[maskAt + (i & 3)]!;
  return { fin: (buf[0]! & 0x80) !== 0, opcode: buf[0]! & 0x0f, payload, size: at + len };
}

/** A client's text frame: masked, as RFC 6455 requires of every frame a client sends. */
function clientTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length >= 126) throw new Error('clientTextFrame: only short messages (pings) are sent');
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x81;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

export interface Drained {
  /** Bytes (frames with their headers) read after the first snapshot. */
  bytes: number;
  messages: number;
  /** The code of the room's close frame, when one came. */
  closeCode: number | null;
  /** Why reading stopped: the close frame, the connection's end, quiet, or the time limit. */
  stop: 'close-frame' | 'ended' | 'quiet' | 'time-limit';
}

export class StalledViewer {
  /** This end's port: its row, and workerd's row for it, in /proc/net/tcp. */
  readonly localPort: number;
  /** The seq of the snapshot it holds: the one it pings with. */
  readonly seq: number;
  /** When Node saw the socket fail or close (a ping's write hitting a reset, say), and why; null while it has not. */
  ended: { at: number; why: string } | null = null;
  private readonly socket: Socket;
  /** Bytes read but not parsed: during the handshake, then whatever came in the chunk that held the snapshot. */
  private pending: Buffer;
  private onBytes: (chunk: Buffer) => boolean;

  private constructor(socket: Socket, seq: number, pending: Buffer, setOnBytes: (f: (chunk: Buffer) => boolean) => void) {
    this.socket = socket;
    this.localPort = socket.localPort!;
    this.seq = seq;
    this.pending = pending;
    this.onBytes = () => false;
    setOnBytes((chunk) => this.onBytes(chunk));
    const end = (why: string) => (this.ended ??= { at: Date.now(), why });
    socket.on('error', (e: NodeJS.ErrnoException) => end(e.code ?? e.message));
    socket.on('close', () => end('closed'));
  }

  /** Bytes of the room's that this process holds unread (the kernel's receive queue is counted apart). */
  get heldBytes(): number {
    return this.pending.length;
  }

  /**
   * Connects, upgrades and reads up to the first snapshot; then reads nothing more, or (`keepReading`, the same
   * client as a control that does keep up) goes on reading and throws the bytes away.
   */
  static open(url: URL, timeoutMs: number, keepReading = false): Promise<StalledViewer> {
    return new Promise((resolve, reject) => {
      const key = randomBytes(16).toString('base64');
      const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
      let handler: (chunk: Buffer) => boolean = () => true;
      const socket = connect({
        host: url.hostname,
        port: Number(url.port),
        onread: { buffer: Buffer.alloc(READ_BUFFER_BYTES), callback: (n, buf) => handler(Buffer.from(buf.subarray(0, n))) },
      });
      const fail = (why: string) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`stalled viewer: ${why}`));
      };
      const timer = setTimeout(() => fail(`no snapshot within ${timeoutMs} ms`), timeoutMs);
      socket.once('error', (e) => fail(e.message));
      socket.once('connect', () =>
        socket.write([`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', '', ''].join('\r\n')),
      );
      let buf = Buffer.alloc(0);
      let upgraded = false;
      handler = (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        if (!upgraded) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return true;
          const head = buf.subarray(0, end).toString('latin1');
          const refusal = !/^HTTP\/1\.1 101 /.test(head) ? `upgrade refused: ${head.split('\r\n')[0]}` : !head.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`) ? 'wrong Sec-WebSocket-Accept' : null;
          if (refusal) {
            fail(refusal);
            return false;
          }
          upgraded = true;
          buf = buf.subarray(end + 4);
        }
        for (let f = readFrame(buf); f; f = readFrame(buf)) {
          buf = buf.subarray(f.size);
          if (f.opcode === 8) {
            fail(`closed by the room before its snapshot: ${f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 'no code'}`);
            return false;
          }
          if (f.opcode !== 1) continue;
          const msg = JSON.parse(f.payload.toString()) as { type?: string; seq?: number };
          if (msg.type !== 'snapshot') continue;
          clearTimeout(timer);
          socket.removeAllListeners('error');
          const viewer = new StalledViewer(socket, msg.seq ?? 0, keepReading ? Buffer.alloc(0) : buf, (h) => (handler = h));
          if (keepReading) viewer.onBytes = () => true;
          resolve(viewer);
          // false: Node stops reading this socket here and now (net.Socket's onread contract).
          return keepReading;
        }
        return true;
      };
    });
  }

  /** A viewer's ping with the seq it holds (what the vote page sends every VIEWER_PING_MS). */
  ping(): void {
    if (this.ended || this.socket.destroyed) return;
    this.socket.write(clientTextFrame(JSON.stringify({ type: 'ping', v: PROTOCOL_VERSION, seq: this.seq } satisfies Ping)));
  }

  /**
   * Reads again and counts what had piled up for it, until the room's close frame, the connection's end, `quietMs`
   * without a byte, or `maxMs` in all.
   */
  drain(quietMs: number, maxMs: number): Promise<Drained> {
    return new Promise((resolve) => {
      const out: Drained = { bytes: 0, messages: 0, closeCode: null, stop: 'quiet' };
      let buf = this.pending;
      this.pending = Buffer.alloc(0);
      let quiet: NodeJS.Timeout | undefined;
      const finish = (stop: Drained['stop']) => {
        clearTimeout(quiet);
        clearTimeout(limit);
        this.onBytes = () => false;
        this.socket.off('close', onClose);
        resolve({ ...out, stop });
      };
      const limit = setTimeout(() => finish('time-limit'), maxMs);
      const onClose = () => finish('ended');
      const take = (chunk: Buffer): boolean => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (let f = readFrame(buf); f; f = readFrame(buf)) {
          buf = buf.subarray(f.size);
          out.bytes += f.size;
          if (f.opcode === 8) {
            out.closeCode = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
            finish('close-frame');
            return false;
          }
          if (f.fin) out.messages++;
        }
        clearTimeout(quiet);
        quiet = setTimeout(() => finish('quiet'), quietMs);
        return true;
      };
      if (this.socket.destroyed) return finish('ended');
      this.socket.once('close', onClose);
      this.onBytes = take;
      if (!take(Buffer.alloc(0))) return;
      this.socket.resume();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
