import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts } from '../../src/local/processes';
import type { DevServerOptions } from '../../src/local/temporal-dev-server';

/** Options of a test's own Temporal dev server, on a database file in a new directory, so it can be restarted on it. */
export async function restartableDevServerOptions(prefix: string): Promise<{ dir: string; options: DevServerOptions }> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const [port, uiPort] = (await freePorts(2)) as [number, number];
  return {
    dir,
    options: {
      port,
      uiPort,
      dbFile: path.join(dir, 'temporal.db'),
      logFile: path.join(dir, 'temporal.log'),
    },
  };
}
