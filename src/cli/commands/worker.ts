import { Client } from '@temporalio/client';
import { Runtime, type DefaultLogger } from '@temporalio/worker';
import { parseEnv } from '../../config/env';
import { marketplacesServedFromEnv, servedMarketplacesFromEnv } from '../../config/marketplaces';
import { policyFromEnv } from '../../config/policy';
import { settingsSchema } from '../../config/settings';
import { connectWorker, temporalSettings } from '../../config/temporal';
import { maxCachedWorkflowsFromEnv, WORKER_DEPLOYMENT_SETTINGS, workerDeploymentFromEnv } from '../../config/worker';
import { createReconcileActivities, createSearchOrdersActivities } from '../../reconcile/activities';
import { clientSweepLookup } from '../../reconcile/sweeps';
import { searchOrdersTaskQueue } from '../../reconcile/workflow/contract';
import { startOnly, startOrder } from '../../orders/start';
import { createLogger } from '../../logging';
import { countCredentialRefusals, countSpApiResponses } from '../../domain/metrics';
import { createSpApiClients } from '../../spapi/clients';
import { checkCredentialsAtStart } from '../../spapi/credential-check';
import { openSecrets, spApiConfigFromEnv } from '../../spapi/from-env';
import { exportAuthorizationExpiry } from '../../credentials/authorization-expiry';
import { sdkLogger } from '../../workers/sdk-logger';
import { acceptSpApiPacing, configureSpApiTaskQueue } from '../../temporal/spapi-task-queue';
import { runSolicitationWorkers } from '../../workers/worker';
import { defineCommand } from '../command';
import { environment, SERVICE, SP_API_CREDENTIALS, TEMPORAL_CONNECTION } from '../environment';
import { EXIT_OK } from '../exit-codes';

const envSchema = settingsSchema(
  'LOG_LEVEL',
  'SPAPI_MAX_RPS',
  'SPAPI_MAX_TOTAL_RPS',
  'SPAPI_SEARCH_ORDERS_RPS',
  'SPAPI_PACING',
  'METRICS_ADDRESS',
  'SPAPI_SELLER_ID',
);

export const command = defineCommand(
  {
    name: 'worker',
    summary: 'runs a worker (workflows and activities)',
    description: `Runs the reviewSolicitation workflow worker and the SP-API activity worker until SIGINT or SIGTERM, which
let running activities finish first. Run as many as you like, on any host.`,
    options: {},
    environment: [
      ...TEMPORAL_CONNECTION,
      ...environment('TASK_QUEUE'),
      ...SP_API_CREDENTIALS,
      ...environment(
        'SPAPI_SELLER_ID',
        'SOLICIT_MARKETPLACES',
        'SPAPI_MAX_RPS',
        'SPAPI_MAX_TOTAL_RPS',
        'SPAPI_SEARCH_ORDERS_RPS',
        'SPAPI_PACING',
        'WORKER_MAX_CACHED_WORKFLOWS',
        ...WORKER_DEPLOYMENT_SETTINGS,
      ),
      ...SERVICE,
    ],
  },
  async () => {
    const env = parseEnv(envSchema);
    const temporal = temporalSettings();
    const maxCachedWorkflows = maxCachedWorkflowsFromEnv();
    const deployment = workerDeploymentFromEnv();
    const logger = createLogger(env.LOG_LEVEL);
    const secrets = await openSecrets(process.env, { logger });
    const spApi = spApiConfigFromEnv(process.env, { logger, secrets });
    const marketplaces = marketplacesServedFromEnv(spApi.sellers);
    // The runtime's logger and telemetry are fixed when it is created, so it is installed before any connection.
    installRuntime(sdkLogger(logger, env.LOG_LEVEL), env.METRICS_ADDRESS);
    const { metricMeter } = Runtime.instance();
    const stopAuthorizationGauge = exportAuthorizationExpiry(metricMeter, () => spApi.sellers.entries());
    const policy = policyFromEnv();
    const { solicitations, orders, lwa, sellers } = createSpApiClients(spApi, {
      logger,
      observeResponse: countSpApiResponses(metricMeter),
      observeRefusal: countCredentialRefusals(metricMeter),
    });
    const connection = await connectWorker(temporal);
    // Reconciliation starts orders through the same start path as ingest, over the worker's own connection.
    const client = new Client({ connection, namespace: temporal.namespace });
    // The check runs beside the start-up rather than before it: with thousands of sellers, 16 requests at
    // a time take longer than a worker may take to start polling. An order's first call that needs a token
    // being fetched waits for that same request.
    const stopCheck = new AbortController();
    const checked = checkCredentialsAtStart(lwa, sellers, logger, {
      singleSellerId: env.SPAPI_SELLER_ID,
      signal: stopCheck.signal,
    });
    try {
      // Both paced queues, the Solicitations calls' and searchOrders' (docs/spec.md "SP-API pacing"), follow
      // one rule on a server that refuses per-seller limits, and each says once how it is paced.
      const paceQueue = async (limits: { queue?: string; maxRps: number; maxTotalRps?: number }) => {
        const configured = await configureSpApiTaskQueue(connection.workflowService, {
          namespace: temporal.namespace,
          taskQueue: temporal.taskQueue,
          ...limits,
        });
        const accepted = acceptSpApiPacing(configured, {
          sellers: sellers.sellerIds?.length ?? 1,
          pacing: env.SPAPI_PACING,
        });
        if (accepted.mode === 'queue-wide') logger.warn(accepted.message);
        else logger.info(accepted.message);
        return accepted;
      };
      const pacing = await paceQueue({ maxRps: env.SPAPI_MAX_RPS, maxTotalRps: env.SPAPI_MAX_TOTAL_RPS });
      const searchPacing = await paceQueue({
        queue: searchOrdersTaskQueue(temporal.taskQueue),
        maxRps: env.SPAPI_SEARCH_ORDERS_RPS,
      });
      const singleSellerMarketplaces = servedMarketplacesFromEnv();
      await runSolicitationWorkers({
        connection,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        solicitations,
        logger,
        maxSpApiRequestsPerSecond: pacing.mode === 'queue-wide' ? pacing.workerLimit : undefined,
        maxCachedWorkflows,
        deployment,
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
      stopCheck.abort();
      await checked;
      stopAuthorizationGauge();
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
