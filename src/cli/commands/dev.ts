import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { PROJECT_ROOT } from '../../local/processes';
import { ensureQueueWithDeadLetterQueue, localSqsClient, startLocalSqsServer } from '../../local/sqs';
import { startTemporalDevServer } from '../../local/temporal-dev-server';

const usage = `usage: solicit dev [--port N] [--ui-port N] [--sqs-port N]

Runs the product's local stack on this machine with embedded defaults, no cloud account needed:
the Temporal dev server with its Web UI (orders kept in .data/temporal.db across restarts) and an
SQS-compatible server with the ORDER_CHANGE queue and its dead-letter queue. Ctrl-C stops everything.

  --port N      Temporal gRPC port (default 7233)
  --ui-port N   Temporal Web UI port (default 8233)
  --sqs-port N  SQS port (default 9324)`;

export const command: Command = {
  summary: 'the whole stack on this machine, embedded defaults, no cloud account needed',
  usage,
  async run(argv) {
    const options = parseOptions(argv);
    const dataDir = path.join(PROJECT_ROOT, '.data');
    mkdirSync(dataDir, { recursive: true });

    const temporal = await startTemporalDevServer({
      port: options.port,
      uiPort: options.uiPort,
      dbFile: path.join(dataDir, 'temporal.db'),
      logFile: path.join(dataDir, 'temporal.log'),
    });
    const sqsServer = await startLocalSqsServer(options.sqsPort, path.join(dataDir, 'sqs-server.log')).catch(
      async (error: unknown) => {
        await temporal.process.stop();
        throw error;
      },
    );
    const sqs = localSqsClient(sqsServer.endpoint);
    const queues = await ensureQueueWithDeadLetterQueue(sqs, 'order-change');
    sqs.destroy();

    process.stdout.write(
      [
        `Temporal Web UI   ${temporal.uiUrl}/namespaces/default/workflows`,
        `Temporal address  ${temporal.address}`,
        `SQS queue         ${queues.queueUrl}`,
        `Dead-letter queue ${queues.deadLetterQueueUrl}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );

    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await Promise.all([temporal.process.stop(), sqsServer.process.stop()]);
    return 0;
  },
};

function parseOptions(argv: string[]): { port: number; uiPort: number; sqsPort: number } {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'ui-port': { type: 'string' }, 'sqs-port': { type: 'string' } },
    strict: true,
  });
  return {
    port: portOption('--port', values.port, 7233),
    uiPort: portOption('--ui-port', values['ui-port'], 8233),
    sqsPort: portOption('--sqs-port', values['sqs-port'], 9324),
  };
}

function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${name} must be a port number`);
  return port;
}
