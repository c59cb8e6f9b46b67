/** What the measurement needs from a system under test: where viewers connect, and how one vote is cast. */
import type { ViewerKind } from './messages.ts';

export interface SystemUnderTest {
  /** The name in the table. */
  label: string;
  viewerKind: ViewerKind;
  viewerUrl: string;
  /** Why `viewers` viewers cannot be measured on this machine, or null when they can. */
  cannotHold(viewers: number): string | null;
  /** Before a viewer count's viewers connect: a fresh round if the system needs one. */
  newRound(): Promise<void>;
  /** Before its votes: whatever casting `count` votes needs and must not be timed (signed sessions, a page load). */
  prepare(count: number): Promise<void>;
  /** Cast vote number `n` (1-based) of the prepared ones, from a voter of its own; resolves when it was accepted. */
  vote(n: number): Promise<void>;
  /** CPU time the server's processes have used so far, ms (Linux /proc): what serving the viewers costs, whatever else runs. */
  serverCpuMs(): number;
  close(): Promise<void>;
}
