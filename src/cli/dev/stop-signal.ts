/**
 * The first SIGINT or SIGTERM. Later ones are ignored while everything stops: a Ctrl-C under `npm start`
 * arrives twice (from the terminal and forwarded by npm), and must not cut the stop short.
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, resolve);
  });
}
