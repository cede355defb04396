import { Client } from '@temporalio/client';
import { Runtime, type DefaultLogger } from '@temporalio/worker';
import { z } from 'zod';
import { logLevelSetting, parseEnv } from '../../config/env';
import { metricsAddressSetting } from '../../config/metrics';
import { policyFromEnv } from '../../config/policy';
import { sellerIdSetting } from '../../config/reconcile';
import { connectWorker, temporalSettings } from '../../config/temporal';
import { createReconcileActivities } from '../../activities/reconcile';
import { startOrder } from '../../orders/start';
import { createLogger } from '../../logging';
import { countSpApiResponses } from '../../domain/metrics';
import { createSpApiClients } from '../../spapi/clients';
import { spApiConfigFromEnv } from '../../spapi/from-env';
import { sdkLogger } from '../../workers/sdk-logger';
import { runSolicitationWorkers } from '../../workers/worker';
import type { Command } from '../command';
import { EXIT_OK } from '../exit-codes';
import { UsageError } from '../../errors';

const envSchema = z.object({
  LOG_LEVEL: logLevelSetting,
  SPAPI_MAX_RPS: z.coerce
    .number({ error: 'must be a number of requests per second' })
    .positive({ error: 'must be greater than 0' })
    .default(1),
  METRICS_ADDRESS: metricsAddressSetting,
  ...sellerIdSetting,
});

export const command: Command = {
  summary: 'runs a worker (workflows and activities)',
  usage: `usage: solicit worker

Runs the reviewSolicitation workflow worker and the SP-API activity worker until SIGINT or SIGTERM, which
let running activities finish first. Run as many as you like, on any host.

environment:
  TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE  Temporal connection (also TEMPORAL_API_KEY, TEMPORAL_TLS_*, profiles)
  TASK_QUEUE                            workflow task queue (default review-solicitations)
  LWA_CLIENT_ID, LWA_CLIENT_SECRET      the app's Login with Amazon credentials
  LWA_REFRESH_TOKEN                     one seller's refresh token, or:
  SPAPI_SELLERS_FILE                    JSON object mapping seller IDs to refresh tokens
  LWA_ENDPOINT, SPAPI_ENDPOINT          token URL and SP-API base URL overrides (sandbox, simulator)
  SPAPI_SELLER_ID                       with LWA_REFRESH_TOKEN: its seller, whose orders reconciliation searches
  SPAPI_MAX_RPS                         SP-API requests per second across all workers (default 1)
  METRICS_ADDRESS                       IP:port to serve Prometheus metrics on (/metrics), e.g. 0.0.0.0:9464
  LOG_LEVEL                             debug, info, warn, error (default info)`,

  async run(argv) {
    if (argv.length > 0) throw new UsageError(`unexpected argument '${argv[0]}' (see 'solicit worker --help')`);
    const env = parseEnv(envSchema);
    const temporal = temporalSettings();
    const spApi = spApiConfigFromEnv();
    const logger = createLogger(env.LOG_LEVEL);
    // The runtime's logger and telemetry are fixed when it is created, so it is installed before any connection.
    installRuntime(sdkLogger(logger, env.LOG_LEVEL), env.METRICS_ADDRESS);
    const policy = policyFromEnv();
    const { solicitations, orders, sellers } = createSpApiClients(spApi, {
      logger,
      observeResponse: countSpApiResponses(Runtime.instance().metricMeter),
    });

    const connection = await connectWorker(temporal);
    // Reconciliation starts orders through the same start path as ingest, over the worker's own connection.
    const client = new Client({ connection, namespace: temporal.namespace });
    try {
      await runSolicitationWorkers({
        connection,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        solicitations,
        logger,
        maxSpApiRequestsPerSecond: env.SPAPI_MAX_RPS,
        workflowQueueActivities: createReconcileActivities({
          orders,
          start: (input) => startOrder(client, temporal.taskQueue, input),
          sellerIds: () => sellers.sellerIds ?? (env.SPAPI_SELLER_ID === undefined ? undefined : [env.SPAPI_SELLER_ID]),
          policy,
          logger,
        }),
      });
    } finally {
      await connection.close();
    }
    return EXIT_OK;
  },
};

function installRuntime(logger: DefaultLogger, bindAddress: string | undefined): void {
  if (bindAddress === undefined) {
    Runtime.install({ logger });
    return;
  }
  try {
    Runtime.install({ logger, telemetryOptions: { metrics: { prometheus: { bindAddress } } } });
  } catch (error) {
    throw new Error(`METRICS_ADDRESS ${bindAddress}: ${(error as Error).message}`, { cause: error });
  }
}
