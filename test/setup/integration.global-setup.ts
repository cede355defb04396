import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/domain/contract';
import { FAIRNESS_DEV_SERVER_ARGS } from '../../src/local/temporal-dev-server';
import { freePort, guardedToolPath, PROJECT_ROOT } from '../../src/local/processes';
import { startLocalSecretsManager } from '../../src/local/secrets-manager';
import { ensureQueueWithDeadLetterQueue, localSqsClient, startLocalSqsServer } from '../../src/local/sqs';
import { publishRunServers } from './servers';

/**
 * Starts the real Temporal dev server (with the product's search attributes), the real SQS-compatible
 * server and a Secrets Manager-compatible one (moto's) once per run, each on a free port, behind scripts/guarded so that a killed run leaves neither.
 */
export default async function globalSetup(): Promise<void> {
  const logs = path.join(PROJECT_ROOT, 'test-results', 'logs');
  mkdirSync(logs, { recursive: true });

  const temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: guardedToolPath('temporal') },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      // The dev server's own rate limits are far below what the ingest and fault tests push through.
      extraArgs: ['--dynamic-config-value', 'frontend.namespaceRPS=10000', ...FAIRNESS_DEV_SERVER_ARGS],
    },
  });
  const [sqsServer, secretsManager] = await Promise.all([
    startLocalSqsServer(await freePort(), path.join(logs, 'sqs-server.log')),
    startLocalSecretsManager(await freePort(), path.join(logs, 'secretsmanager-server.log')),
  ]);
  const sqs = localSqsClient(sqsServer.endpoint);
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `order-change-${process.pid}`);
  sqs.destroy();

  globalThis.__integrationServers = { temporal, sqsServer, secretsManager };
  publishRunServers({
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace ?? 'default',
    sqsEndpoint: sqsServer.endpoint,
    queueUrl: queues.queueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    secretsManagerEndpoint: secretsManager.endpoint,
  });
}

declare global {
  var __integrationServers:
    | {
        temporal: TestWorkflowEnvironment;
        sqsServer: Awaited<ReturnType<typeof startLocalSqsServer>>;
        secretsManager: Awaited<ReturnType<typeof startLocalSecretsManager>>;
      }
    | undefined;
}
