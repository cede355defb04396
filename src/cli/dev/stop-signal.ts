/** How often `solicit dev` looks whether the process that started it is still there. */
const PARENT_CHECK_MS = 1000;

/**
 * The first stop signal (SIGINT, SIGTERM, SIGHUP), or the end of the process that started this one: an
 * `npm start` killed outright, a supervisor gone. Later signals are ignored while everything stops: a Ctrl-C
 * under `npm start` arrives twice (from the terminal and forwarded by npm), and must not cut the stop short.
 */
export function stopSignal(): Promise<string> {
  const parent = process.ppid;
  return new Promise((resolve) => {
    // An orphan is handed to init or a subreaper: its parent pid changes.
    const watch = setInterval(() => {
      if (process.ppid !== parent) stop('the end of its parent process');
    }, PARENT_CHECK_MS);
    watch.unref();
    const stop = (why: string) => {
      clearInterval(watch);
      resolve(why);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  });
}
