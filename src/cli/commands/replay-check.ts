import { Runtime } from '@temporalio/worker';
import { withOperatorClient } from '../../operator/connect';
import { table } from '../../operator/format';
import { sampledHistories, sampleOrders, type SampledOrder } from '../../operator/replay-sample';
import { listFilter } from '../../operator/visibility';
import { createLogger } from '../../logging';
import { replayHistories, type ReplayOutcome } from '../../workers/replay';
import { sdkLogger } from '../../workers/sdk-logger';
import { UsageError } from '../../errors';
import { defineCommand } from '../command';
import { TEMPORAL_CONNECTION } from '../environment';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes';

const DEFAULT_SAMPLE = 20;

export const command = defineCommand(
  {
    name: 'replay-check',
    summary: "replays orders' histories from the namespace with this build's workflow code: the check before a deploy",
    description: `Downloads the histories of up to N orders per phase from the namespace (running orders, and orders closed
within retention, the most recent first) and replays them with this build's workflow code, the code its
worker would run. An order that does not replay would stall at its next workflow task under this build:
do not deploy it.`,
    options: {
      sample: {
        type: 'string',
        value: 'N',
        default: String(DEFAULT_SAMPLE),
        description: 'at most N orders of each phase',
      },
      query: {
        type: 'string',
        value: 'FILTER',
        description: `only orders a Temporal list filter matches, e.g. "AmazonSellerId = 'A2EXAMPLE'"`,
      },
    },
    exitCodes: {
      0: 'every sampled order replays',
      1: 'an order does not replay (each is listed), or Temporal unreachable',
      2: 'bad filter or usage',
    },
    environment: [TEMPORAL_CONNECTION],
  },
  async ({ options }) => {
    const perPhase = parseSample(options.sample);
    const filter = listFilter(options.query);
    // A history that does not replay is reported below, once; the SDK and its core would log each failed task too.
    Runtime.install({
      logger: sdkLogger(createLogger('error'), 'error'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
    const { orders, outcome } = await withOperatorClient(async (client) => {
      const orders = await sampleOrders(client, perPhase, filter);
      return { orders, outcome: await replayHistories(sampledHistories(client, orders)) };
    });
    return report(orders, outcome);
  },
);

function report(orders: SampledOrder[], { replayed, failures }: ReplayOutcome): number {
  const running = orders.filter((order) => order.running).length;
  const sample = `${replayed} order${replayed === 1 ? '' : 's'} (${running} running, ${replayed - running} closed)`;
  if (failures.length === 0) {
    process.stdout.write(
      replayed === 0 ? 'no orders to replay\n' : `${sample} replay with this build's workflow code\n`,
    );
    return EXIT_OK;
  }
  const phases = new Map(orders.map((order) => [order.amazonOrderId, order.phase]));
  const rows = failures.map(({ workflowId, reason }) => [workflowId, phases.get(workflowId) ?? '-', reason]);
  process.stdout.write(`${table(['ORDER', 'PHASE', 'WHY'], rows)}\n`);
  process.stderr.write(
    `solicit replay-check: ${failures.length} of ${sample} do not replay with this build's workflow code: do not deploy it\n`,
  );
  return EXIT_FAILURE;
}

function parseSample(value: string): number {
  const sample = Number(value);
  if (!Number.isInteger(sample) || sample < 1 || sample > 1000) {
    throw new UsageError('--sample must be a whole number of orders from 1 to 1000');
  }
  return sample;
}
