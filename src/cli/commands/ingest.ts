import { parseEnv } from '../../config/env';
import { marketplacesServedFromEnv } from '../../config/marketplaces';
import { policyFromEnv } from '../../config/policy';
import { settingsSchema } from '../../config/settings';
import { sqsClientConfig } from '../../config/sqs';
import { connectClient, temporalSettings } from '../../config/temporal';
import { createIngest } from '../../ingest/consumer';
import { createIngestMetrics, serveIngestMetrics } from '../../ingest/metrics';
import { createLogger } from '../../logging';
import { defineCommand } from '../command';
import { AWS_SQS, environment, SERVICE, TEMPORAL_CONNECTION } from '../environment';
import { openSecrets, sellersFromEnv } from '../../spapi/from-env';
import { clientSecretRotationFromEnv } from '../../credentials/rotation-from-env';
import { EXIT_OK } from '../exit-codes';

const envSchema = settingsSchema(
  'SQS_QUEUE_URL',
  'AWS_ENDPOINT_URL_SQS',
  'SPAPI_SELLERS_FILE',
  'SPAPI_SELLERS_SECRET_ARN',
  'LOG_LEVEL',
  'METRICS_ADDRESS',
);

export const command = defineCommand(
  {
    name: 'ingest',
    summary: 'consumes the SQS queue and starts or signals workflows',
    description: `Receives ORDER_CHANGE notifications from SQS: a Shipped order starts its workflow (or updates the running
one), a Canceled order signals its running workflow. A message is deleted only once Temporal has accepted
it; one that cannot be read is logged and left for the queue's redrive policy (dead-letter queue). One
for a marketplace not served (SOLICIT_MARKETPLACES, or the seller's "marketplaces" in SPAPI_SELLERS_FILE)
is logged and deleted. The app's client secret notices are handled too: with LWA_CLIENT_ID and a writable
secret store, an expiry notice asks Amazon for a new secret and the new one is checked and stored.
SIGTERM or SIGINT: stop receiving, finish the messages in hand, exit 0.`,
    options: {},
    environment: [
      ...environment('SQS_QUEUE_URL'),
      ...AWS_SQS,
      ...TEMPORAL_CONNECTION,
      ...environment(
        'TASK_QUEUE',
        'SPAPI_SELLERS_FILE',
        'SPAPI_SELLERS_SECRET_ARN',
        'LWA_CLIENT_ID',
        'LWA_CLIENT_SECRET_FILE',
        'LWA_CLIENT_SECRET_ARN',
        'SOLICIT_ROTATE_SECRET',
        'SOLICIT_MARKETPLACES',
      ),
      ...SERVICE,
    ],
  },
  async () => {
    const env = parseEnv(envSchema);
    const policy = policyFromEnv();
    const temporal = temporalSettings();
    // With one LWA_REFRESH_TOKEN every seller on the queue is that seller, so only a sellers file filters.
    const logger = createLogger(env.LOG_LEVEL);
    // Re-read when the file changes: an added or removed seller needs no restart.
    const secrets = await openSecrets(process.env, { logger });
    const sellerIds =
      env.SPAPI_SELLERS_FILE === undefined && env.SPAPI_SELLERS_SECRET_ARN === undefined
        ? undefined
        : sellersFromEnv(process.env, { logger, secrets });
    const marketplaces = marketplacesServedFromEnv(sellerIds);
    const metrics = createIngestMetrics();
    const clientSecretRotation = await clientSecretRotationFromEnv(process.env, {
      logger,
      secrets,
      setClientSecretExpiry: (expiresAt) => metrics.setClientSecretExpiry(expiresAt),
    });

    const stopSignal = awaitStopSignal();
    const metricsServer =
      env.METRICS_ADDRESS === undefined
        ? undefined
        : await serveIngestMetrics(metrics, env.METRICS_ADDRESS).catch((error: unknown) => {
            throw new Error(`METRICS_ADDRESS ${env.METRICS_ADDRESS}: ${(error as Error).message}`, { cause: error });
          });
    const client = await connectClient(temporal);
    const ingest = createIngest({
      metrics,
      sqs: sqsClientConfig(env.AWS_ENDPOINT_URL_SQS),
      queueUrl: env.SQS_QUEUE_URL,
      client,
      taskQueue: temporal.taskQueue,
      policy,
      sellerIds,
      marketplaces,
      clientSecretRotation,
      logger,
    });
    try {
      await ingest.start();
      logger.info('ingest started', {
        queueUrl: env.SQS_QUEUE_URL,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        sellers: sellerIds ? 'those of the sellers store' : 'any',
        rotation: clientSecretRotation?.mode ?? 'off',
        marketplaces: marketplaces.summary,
      });
      const signal = await stopSignal.received;
      logger.info('stopping: finishing the messages in hand', { signal });
      await ingest.stop();
      logger.info('ingest stopped');
      return EXIT_OK;
    } finally {
      stopSignal.dispose();
      await ingest.stop();
      await client.connection.close();
      metricsServer?.close();
    }
  },
);

/** The first SIGTERM or SIGINT starts a drain; a second one ends the process the default way. */
function awaitStopSignal(): { received: Promise<NodeJS.Signals>; dispose(): void } {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      dispose();
      resolve(signal);
    };
  });
  const dispose = () => signals.forEach((signal) => process.off(signal, onSignal));
  signals.forEach((signal) => process.on(signal, onSignal));
  return { received, dispose };
}
