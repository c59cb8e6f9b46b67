// Dev/test only: a promise-chain lock. PGlite is one connection, so a batch transaction must not interleave
// with any other query; every PGlite access goes through one of these.
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // The chain must survive a failed task, otherwise one error would wedge every later caller.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
