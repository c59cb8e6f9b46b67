/** Lets a polling loop sleep until something new arrives (`wake`) or its time runs out, whichever comes first. */
export class Wakeups {
  private readonly sleepers = new Set<() => void>();

  wake(): void {
    for (const s of [...this.sleepers]) s();
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.sleepers.delete(done);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
