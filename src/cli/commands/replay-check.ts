import { Runtime } from '@temporalio/worker';
import { withOperatorClient } from '../../operator/connect';
import { table } from '../../operator/format';
import { sampledHistories, sampleWorkflows, type SampledWorkflow } from '../../operator/replay-sample';
import { listFilter } from '../../operator/visibility';
import { createLogger } from '../../logging';
import { replayHistories, type ReplayOutcome } from '../../workers/replay';
import { RECONCILE_WORKFLOW_TYPE } from '../../reconcile/workflow/contract';
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
do not deploy it. Runs of reconcileOrders are sampled as well: they move to a new version too.`,
    options: {
      sample: {
        type: 'string',
        value: 'N',
        default: String(DEFAULT_SAMPLE),
        description: 'at most N orders of each phase, and N reconciliation runs',
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
    environment: TEMPORAL_CONNECTION,
  },
  async ({ options }) => {
    const perPhase = parseSample(options.sample);
    const filter = listFilter(options.query);
    // A history that does not replay is reported below, once; the SDK and its core would log each failed task too.
    Runtime.install({
      logger: sdkLogger(createLogger('error'), 'error'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
    const { sample, outcome } = await withOperatorClient(async (client) => {
      const sample = await sampleWorkflows(client, perPhase, filter);
      return { sample, outcome: await replayHistories(sampledHistories(client, sample)) };
    });
    return report(sample, outcome);
  },
);

function report(sample: SampledWorkflow[], { replayed, failures }: ReplayOutcome): number {
  const running = sample.filter((workflow) => workflow.running).length;
  const reconciliations = sample.filter((workflow) => workflow.group === RECONCILE_WORKFLOW_TYPE).length;
  const orders = sample.length - reconciliations;
  const what = [
    `${orders} order${orders === 1 ? '' : 's'}`,
    ...(reconciliations === 0 ? [] : [`${reconciliations} reconciliation${reconciliations === 1 ? '' : 's'}`]),
  ].join(' and ');
  const described = `${what} (${running} running, ${replayed - running} closed)`;
  if (failures.length === 0) {
    process.stdout.write(
      replayed === 0 ? 'no orders to replay\n' : `${described} replay with this build's workflow code\n`,
    );
    return EXIT_OK;
  }
  const groups = new Map(sample.map((workflow) => [workflow.workflowId, workflow.group]));
  const rows = failures.map(({ workflowId, reason }) => [workflowId, groups.get(workflowId) ?? '-', reason]);
  process.stdout.write(`${table(['ORDER', 'PHASE', 'WHY'], rows)}\n`);
  process.stderr.write(
    `solicit replay-check: ${failures.length} of ${described} do not replay with this build's workflow code: do not deploy it\n`,
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
