import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { searchAttributes } from '../../src/domain/contract';
import { GUARDED, PROJECT_ROOT, freePort, startLocalProcess, waitUntil } from '../../src/local/processes';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes';

export interface RunningTemporal {
  address: string;
  namespace: string;
  stop(): Promise<void>;
}

const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'production-temporal.sh');

/**
 * Temporal as a self-hosted cluster runs it (scripts/production-temporal.sh: PostgreSQL persistence and SQL
 * visibility, four partitions per task queue, fairness and one partition only for the SP-API queue of each
 * of `pacedTaskQueues`), with the product's search attributes registered the way `solicit setup` does it.
 */
export async function startProductionTemporal(options: {
  dataDir: string;
  logFile: string;
  pacedTaskQueues: readonly string[];
}): Promise<RunningTemporal> {
  const address = `127.0.0.1:${await freePort()}`;
  const port = address.split(':')[1]!;
  const server = startLocalProcess(
    GUARDED,
    [SCRIPT, options.dataDir, port, ...options.pacedTaskQueues],
    options.logFile,
    {
      stopGraceMs: 20_000,
    },
  );
  try {
    await waitUntil(
      `production-shaped Temporal on ${address} (log: ${options.logFile})`,
      () => {
        if (server.child.exitCode !== null) throw new Error(`exited with ${server.child.exitCode}`);
        if (!readFileSync(options.logFile, 'utf8').includes(`ready ${address}\n`)) throw new Error('not ready yet');
        return Promise.resolve();
      },
      120_000,
    );
    const connection = await Connection.connect({ address });
    try {
      const setup = await ensureSearchAttributes(connection, 'default');
      if (!setup.ok) throw new Error(setup.message);
      // Every frontend reads them from its cache, refreshed a moment later.
      const client = new Client({ connection, namespace: 'default' });
      await waitUntil(`search attributes on ${address}`, () =>
        client.workflow.count(`${searchAttributes.phase.name} = 'waiting'`),
      );
    } finally {
      await connection.close();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, namespace: 'default', stop: () => server.stop() };
}
