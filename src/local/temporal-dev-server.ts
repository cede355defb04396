import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../domain/contract';
import { guardedToolPath, startLocalProcess, waitUntil, type LocalProcess } from './processes';

export interface DevServerOptions {
  port: number;
  uiPort: number;
  /** SQLite file: orders survive a restart of the local stack. */
  dbFile: string;
  logFile: string;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  process: LocalProcess;
}

/**
 * Dynamic config of every dev server the project starts (docs/spec.md, "SP-API pacing"): fairness on, so that the
 * per-seller rate limit of the SP-API task queue applies key by key, and one partition per task queue,
 * since the server applies rate limits per partition.
 */
export const FAIRNESS_DEV_SERVER_ARGS: readonly string[] = [
  'matching.enableFairness=true',
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
].flatMap((setting) => ['--dynamic-config-value', setting]);

/** The Temporal CLI's dev server with the Web UI and the product's search attributes registered. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const address = `127.0.0.1:${options.port}`;
  const searchAttributeArgs = ALL_SEARCH_ATTRIBUTES.flatMap(({ name, type }) => [
    '--search-attribute',
    `${name}=${type === 'DATETIME' ? 'Datetime' : 'Keyword'}`,
  ]);
  const server = startLocalProcess(
    guardedToolPath('temporal'),
    [
      ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port)],
      ...['--ui-port', String(options.uiPort), '--db-filename', options.dbFile, '--log-level', 'warn'],
      ...searchAttributeArgs,
      ...FAIRNESS_DEV_SERVER_ARGS,
    ],
    options.logFile,
  );
  try {
    await waitUntil(`Temporal dev server on ${address} (log: ${options.logFile})`, async () => {
      if (server.child.exitCode !== null) throw new Error(`exited with ${server.child.exitCode}`);
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.healthService.check({});
      } finally {
        await connection.close();
      }
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, uiUrl: `http://localhost:${options.uiPort}`, process: server };
}
