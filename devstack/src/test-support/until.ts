/**
 * The tests' one way to wait for a condition: vitest's `vi.waitFor`, asking `probe` every `intervalMs` until it
 * answers with something truthy, which it returns. Always bounded: after `timeoutMs` the wait fails and says what
 * it waited for. A probe that throws fails the wait at once (a broken probe is a bug, not a condition to wait out);
 * only a falsy answer is retried.
 */
import { vi } from 'vitest';

export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

export async function until<T>(what: string, probe: Probe<T>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const answer = await vi.waitFor(
    async (): Promise<{ value: T } | { error: unknown }> => {
      let value: T | undefined | null | false;
      try {
        value = await probe();
      } catch (error) {
        return { error };
      }
      if (!value) throw new Error(`still waiting for ${what}`);
      return { value };
    },
    { timeout: timeoutMs, interval: intervalMs, message: `timed out after ${timeoutMs} ms waiting for ${what}` },
  );
  if ('error' in answer) throw answer.error;
  return answer.value;
}
