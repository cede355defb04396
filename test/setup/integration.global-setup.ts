import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/domain/contract';
import { FAIRNESS_DEV_SERVER_ARGS } from '../../src/local/temporal-dev-server';
import { freePort, guardedToolPath, PROJECT_ROOT, startLocalServer, type LocalServer } from '../../src/local/processes';
import { LOCAL_SECRETS_MANAGER } from '../../src/local/secrets-manager';
import { ensureQueueWithDeadLetterQueue, LOCAL_SQS_SERVER, localSqsClient } from '../../src/local/sqs';
import { startProductionTemporal, type RunningTemporal } from './production-temporal';
import { publishRunServers, runsOnProductionTemporal } from './servers';

/**
 * Starts the real Temporal server, the real SQS-compatible server and a Secrets Manager-compatible one
 * (moto's) once per run, each on a free port,
 * behind scripts/guarded so that a killed run leaves none. The Temporal server is the CLI's dev server,
 * or with TEST_TEMPORAL_SERVER=production (`npm run test:production-temporal`) Temporal's own server as a
 * self-hosted cluster runs it (test/setup/production-temporal.ts).
 */
export default async function globalSetup(): Promise<void> {
  const logs = path.join(PROJECT_ROOT, 'test-results', 'logs');
  mkdirSync(logs, { recursive: true });
  // The task queue whose SP-API queue the server paces per seller: any on the dev server, which paces every
  // queue so; on the production-shaped server, the one its dynamic config names.
  const pacedTaskQueue = `paced-${process.pid}`;

  const temporal = runsOnProductionTemporal()
    ? await startProductionTemporal({
        dataDir: path.join(PROJECT_ROOT, 'test-results', 'production-temporal'),
        logFile: path.join(logs, 'production-temporal.log'),
        pacedTaskQueues: [pacedTaskQueue],
      })
    : await startDevServer();
  const [sqsServer, secretsManager] = await Promise.all([
    startLocalServer(LOCAL_SQS_SERVER, await freePort(), path.join(logs, 'sqs-server.log')),
    startLocalServer(LOCAL_SECRETS_MANAGER, await freePort(), path.join(logs, 'secretsmanager-server.log')),
  ]);
  const sqs = localSqsClient(sqsServer.endpoint);
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `order-change-${process.pid}`);
  sqs.destroy();

  globalThis.__integrationServers = { temporal, sqsServer, secretsManager };
  publishRunServers({
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace,
    pacedTaskQueue,
    sqsEndpoint: sqsServer.endpoint,
    queueUrl: queues.queueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    secretsManagerEndpoint: secretsManager.endpoint,
  });
}

/** The Temporal CLI's dev server, with the product's search attributes. */
async function startDevServer(): Promise<RunningTemporal> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: guardedToolPath('temporal') },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      // The dev server's own rate limits are far below what the ingest and fault tests push through.
      extraArgs: ['--dynamic-config-value', 'frontend.namespaceRPS=10000', ...FAIRNESS_DEV_SERVER_ARGS],
    },
  });
  return { address: env.address, namespace: env.namespace ?? 'default', stop: () => env.teardown() };
}

declare global {
  var __integrationServers:
    | {
        temporal: RunningTemporal;
        sqsServer: LocalServer;
        secretsManager: LocalServer;
      }
    | undefined;
}
