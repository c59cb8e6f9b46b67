/**
 * Linux's view of the machine's IPv4 TCP sockets (/proc/net/tcp): the state of each connection and the bytes its
 * kernel queues hold. bench:stalled reads both ends of its stalled viewers here, because a client that does not
 * read its socket never sees the server's FIN through Node, and the bytes a paused client has not taken (its
 * receive queue) or workerd could not yet send (its send queue) are the kernel's, not workerd's heap.
 */
import { readFileSync } from 'node:fs';

/** The kernel's TCP states by their /proc number (include/net/tcp_states.h). */
const STATES: Record<number, string> = {
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
};

export interface TcpRow {
  localPort: number;
  remotePort: number;
  state: string;
  /** Bytes written and not yet acknowledged by the peer (sent or still waiting for the peer's window). */
  sendQueue: number;
  /** Bytes received and not yet read by the process. */
  receiveQueue: number;
  /** 0 for a socket no process holds any more (an orphan the kernel is still closing). */
  inode: number;
}

/** Every IPv4 TCP socket of this network namespace; empty where /proc does not say (not Linux). */
export function tcpTable(): TcpRow[] {
  let text: string;
  try {
    text = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return [];
  }
  const rows: TcpRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [tx, rx] = f[4]!.split(':');
    rows.push({
      localPort: parseInt(f[1]!.split(':')[1]!, 16),
      remotePort: parseInt(f[2]!.split(':')[1]!, 16),
      state: STATES[parseInt(f[3]!, 16)] ?? f[3]!,
      sendQueue: parseInt(tx!, 16),
      receiveQueue: parseInt(rx!, 16),
      inode: Number(f[9]),
    });
  }
  return rows;
}

/** The memory all TCP sockets' buffers hold in the kernel (/proc/net/sockstat, counted in pages), or null. */
export function kernelTcpBytes(): number | null {
  try {
    const m = /^TCP:.* mem (\d+)/m.exec(readFileSync('/proc/net/sockstat', 'utf8'));
    return m ? Number(m[1]) * 4096 : null;
  } catch {
    return null;
  }
}
