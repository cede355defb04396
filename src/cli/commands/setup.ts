import { parseEnv } from '../../config/env';
import { namespaceSetupEnvSchema } from '../../config/setup';
import { connectClient, temporalSettings } from '../../config/temporal';
import { SetupIncompleteError } from '../../errors';
import { setUpNamespace } from '../../temporal/namespace-setup';
import { defineCommand } from '../command';
import { environment, TEMPORAL_CONNECTION } from '../environment';
import { EXIT_OK } from '../exit-codes';

export const command = defineCommand(
  {
    name: 'setup',
    summary: 'sets up a namespace: search attributes, SP-API task queue, the reconcile-orders schedule',
    description: `Brings the Temporal namespace to what the product needs, and says for each step what it found or changed.
Idempotent: run it at every deployment; a second run changes nothing.`,
    synopsis: ['[--force]'],
    options: {
      force: {
        type: 'boolean',
        description: `point an existing reconcile-orders schedule at this TASK_QUEUE although it runs on
another (without it, setup refuses: another deployment may share the namespace)`,
      },
    },
    notes: [
      `  retention           warns when the namespace keeps closed workflows less than 45 days: a late
                      notification for a solicited order whose workflow is gone would start it again
  search attributes   SolicitationPhase, AmazonMarketplaceId, AmazonSellerId (Keyword), SolicitAfter,
                      SolicitBefore (Datetime): registered where the server allows it (a self-hosted cluster,
                      the dev server); on Temporal Cloud, where it does not, the exact commands to create them
                      are printed and the exit code is 1
  SP-API task queues  the pace of <TASK_QUEUE>-spapi (SPAPI_MAX_RPS) and of <TASK_QUEUE>-spapi-orders
                      (SPAPI_SEARCH_ORDERS_RPS), per seller
  reconcile-orders    the Temporal Schedule that runs reconcileOrders every RECONCILE_INTERVAL over the last
                      RECONCILE_DAYS days: created, updated to the settings, or removed with 'off'; one
                      on another task queue is left alone (exit 2) unless --force`,
    ],
    exitCodes: {
      0: 'set up',
      1: 'Temporal unreachable or a step left to do by hand',
      2: 'bad setting or usage, or the schedule runs on another task queue (see --force)',
    },
    environment: [
      ...TEMPORAL_CONNECTION,
      ...environment(
        'TASK_QUEUE',
        'SPAPI_MAX_RPS',
        'SPAPI_MAX_TOTAL_RPS',
        'SPAPI_SEARCH_ORDERS_RPS',
        'RECONCILE_INTERVAL',
        'RECONCILE_DAYS',
      ),
    ],
  },
  async ({ options }) => {
    const env = parseEnv(namespaceSetupEnvSchema);
    const temporal = temporalSettings();
    const client = await connectClient(temporal, { connectTimeout: '10 seconds' });
    try {
      const setup = await setUpNamespace(
        client,
        {
          namespace: temporal.namespace,
          taskQueue: temporal.taskQueue,
          spApiPacing: { maxRps: env.SPAPI_MAX_RPS, maxTotalRps: env.SPAPI_MAX_TOTAL_RPS },
          reconcile: { interval: env.RECONCILE_INTERVAL, days: env.RECONCILE_DAYS, force: options.force },
          searchOrdersRps: env.SPAPI_SEARCH_ORDERS_RPS,
        },
        (line) => process.stdout.write(`${line}\n`),
      );
      if (!setup.complete) throw new SetupIncompleteError('namespace not fully set up: see the steps above');
      return EXIT_OK;
    } finally {
      await client.connection.close();
    }
  },
);
