import { Client } from '@temporalio/client';
import { Runtime, type DefaultLogger } from '@temporalio/worker';
import { z } from 'zod';
import { logLevelSetting, parseEnv } from '../../config/env';
import { marketplacesServedFromEnv, servedMarketplacesFromEnv } from '../../config/marketplaces';
import { metricsAddressSetting } from '../../config/metrics';
import { policyFromEnv } from '../../config/policy';
import { searchOrdersPacingSettings, sellerIdSetting } from '../../reconcile/settings';
import { spApiPacingSettings } from '../../config/spapi-pacing';
import { connectWorker, temporalSettings } from '../../config/temporal';
import { maxCachedWorkflowsFromEnv } from '../../config/worker';
import { createReconcileActivities, createSearchOrdersActivities } from '../../reconcile/activities';
import { clientSweepLookup } from '../../reconcile/sweeps';
import { searchOrdersTaskQueue } from '../../reconcile/workflow/contract';
import { startOnly, startOrder } from '../../orders/start';
import { createLogger } from '../../logging';
import { countCredentialRefusals, countSpApiResponses } from '../../domain/metrics';
import { createSpApiClients } from '../../spapi/clients';
import { checkCredentialsAtStart } from '../../spapi/credential-check';
import { spApiConfigFromEnv } from '../../spapi/from-env';
import { sdkLogger } from '../../workers/sdk-logger';
import { configureSpApiTaskQueue } from '../../temporal/spapi-task-queue';
import { runSolicitationWorkers } from '../../workers/worker';
import { defineCommand } from '../command';
import {
  LOG_LEVEL,
  LWA_CLIENT,
  LWA_REFRESH_TOKEN,
  METRICS_ADDRESS,
  SPAPI_ENDPOINTS,
  TEMPORAL_CONNECTION,
  WORKFLOW_TASK_QUEUE,
} from '../environment';
import { EXIT_OK } from '../exit-codes';

const envSchema = z.object({
  LOG_LEVEL: logLevelSetting,
  ...spApiPacingSettings,
  ...searchOrdersPacingSettings,
  METRICS_ADDRESS: metricsAddressSetting,
  ...sellerIdSetting,
});

export const command = defineCommand(
  {
    name: 'worker',
    summary: 'runs a worker (workflows and activities)',
    description: `Runs the reviewSolicitation workflow worker and the SP-API activity worker until SIGINT or SIGTERM, which
let running activities finish first. Run as many as you like, on any host.`,
    options: {},
    environment: [
      TEMPORAL_CONNECTION,
      WORKFLOW_TASK_QUEUE,
      LWA_CLIENT,
      ['LWA_CLIENT_SECRET_FILE', 'file holding the client secret instead, re-read when it changes'],
      LWA_REFRESH_TOKEN,
      ['SPAPI_SELLERS_FILE', 'JSON object mapping seller IDs to refresh tokens (re-read when it changes)'],
      SPAPI_ENDPOINTS,
      ['SPAPI_SELLER_ID', 'with LWA_REFRESH_TOKEN: its seller, whose orders reconciliation searches'],
      ['SOLICIT_MARKETPLACES', 'with LWA_REFRESH_TOKEN: marketplace IDs served; reconciliation skips others'],
      ['SPAPI_MAX_RPS', 'SP-API requests/s for each seller and operation, 0.01 to 100 (default 1)'],
      ['SPAPI_MAX_TOTAL_RPS', 'optional cap on all SP-API requests/s, all sellers and workers'],
      ['SPAPI_SEARCH_ORDERS_RPS', 'searchOrders requests/s for each seller (default 0.0056, Amazon’s)'],
      ['WORKER_MAX_CACHED_WORKFLOWS', 'workflows kept in memory (default 250: a worker stays under 512 MiB)'],
      METRICS_ADDRESS,
      LOG_LEVEL,
    ],
  },
  async () => {
    const env = parseEnv(envSchema);
    const temporal = temporalSettings();
    const maxCachedWorkflows = maxCachedWorkflowsFromEnv();
    const logger = createLogger(env.LOG_LEVEL);
    const spApi = spApiConfigFromEnv(process.env, { logger });
    const marketplaces = marketplacesServedFromEnv(spApi.sellers);
    // The runtime's logger and telemetry are fixed when it is created, so it is installed before any connection.
    installRuntime(sdkLogger(logger, env.LOG_LEVEL), env.METRICS_ADDRESS);
    const { metricMeter } = Runtime.instance();
    const policy = policyFromEnv();
    const { solicitations, orders, lwa, sellers } = createSpApiClients(spApi, {
      logger,
      observeResponse: countSpApiResponses(metricMeter),
      observeRefusal: countCredentialRefusals(metricMeter),
    });
    await checkCredentialsAtStart(lwa, sellers, logger, env.SPAPI_SELLER_ID);

    const connection = await connectWorker(temporal);
    // Reconciliation starts orders through the same start path as ingest, over the worker's own connection.
    const client = new Client({ connection, namespace: temporal.namespace });
    try {
      const pacing = await configureSpApiTaskQueue(connection.workflowService, {
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        maxRps: env.SPAPI_MAX_RPS,
        maxTotalRps: env.SPAPI_MAX_TOTAL_RPS,
      });
      if (pacing.mode === 'queue-wide') logger.warn(pacing.message);
      else logger.info(pacing.message);
      const searchPacing = await configureSpApiTaskQueue(connection.workflowService, {
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        queue: searchOrdersTaskQueue(temporal.taskQueue),
        maxRps: env.SPAPI_SEARCH_ORDERS_RPS,
      });
      if (searchPacing.mode === 'queue-wide') logger.warn(searchPacing.message);
      else logger.info(searchPacing.message);
      const singleSellerMarketplaces = servedMarketplacesFromEnv();
      await runSolicitationWorkers({
        connection,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        solicitations,
        logger,
        maxSpApiRequestsPerSecond: pacing.mode === 'queue-wide' ? pacing.workerLimit : undefined,
        maxCachedWorkflows,
        workflowQueueActivities: createReconcileActivities({
          orders,
          start: (input) => startOrder(client, temporal.taskQueue, input),
          sellerIds: () => sellers.sellerIds ?? (env.SPAPI_SELLER_ID === undefined ? undefined : [env.SPAPI_SELLER_ID]),
          servedMarketplaces: (sellerId) =>
            sellers.sellerIds === undefined ? singleSellerMarketplaces : sellers.marketplacesFor(sellerId),
          sweeps: clientSweepLookup(client),
          policy,
          marketplaces,
          logger,
        }),
        searchOrdersActivities: createSearchOrdersActivities({
          orders,
          startOnly: (input) => startOnly(client, temporal.taskQueue, input),
          policy,
          marketplaces,
          logger,
        }),
        maxSearchOrdersPerSecond: searchPacing.mode === 'queue-wide' ? searchPacing.workerLimit : undefined,
      });
    } finally {
      await connection.close();
    }
    return EXIT_OK;
  },
);

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
