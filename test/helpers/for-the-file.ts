/**
 * Starts what `start` gives before the test file's tests and tears it down after them. What it returns
 * reads through to the started value, so a file declares it once, at the top, and its tests use it as is.
 */
export function forTheFile<T extends { teardown(): Promise<void> }>(start: () => Promise<T>): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(() => started?.teardown());
  return readThrough(() => {
    if (!started) throw new Error('not started yet: use it inside a test or hook, not as the file loads');
    return started;
  });
}

/** An object that reads through to what `value` returns when it is used, such as a part of `forTheFile`'s value. */
export function readThrough<T extends object>(value: () => T): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = value();
      const property: unknown = Reflect.get(target, key);
      return typeof property === 'function' ? (property as (...args: unknown[]) => unknown).bind(target) : property;
    },
    set: (_, key, property) => Reflect.set(value(), key, property),
  });
}
