/**
 * Polls `probe` until it returns a value that `done` accepts, and returns that value; fails after
 * `timeoutMs` with the last value seen. For conditions on servers that settle asynchronously (visibility,
 * queue attributes), instead of sleeping a fixed time.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
