/**
 * What the bench must stop, stopped in reverse order of starting, on success, failure or Ctrl-C. Servers
 * and CLI processes also run behind scripts/guarded, so that even a kill -9 of the bench leaves none behind.
 */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch (error) {
        process.stderr.write(`bench: cleanup step failed: ${(error as Error).message}\n`);
      }
    }
  }
}
