import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { parseEnv } from '../../config/env';
import { DEFAULT_RECONCILE_DAYS, reconcileDays } from '../../config/reconcile';
import { settingsSchema } from '../../config/settings';
import { connectClient, temporalSettings } from '../../config/temporal';
import type { SpApiRegion } from '../../domain/marketplaces';
import { UsageError } from '../../errors';
import { progressLine, reconcileText, sellerLine } from '../../reconcile/report';
import {
  MANUAL_RECONCILE_PREFIX,
  RECONCILE_WORKFLOW_TYPE,
  type ReconcileOrdersInput,
  type ReconcileRunResult,
} from '../../reconcile/workflow/contract';
import { progressQuery, type reconcileOrders } from '../../reconcile/workflow/reconcile-orders';
import { defineCommand } from '../command';
import { environment, TEMPORAL_CONNECTION } from '../environment';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes';
import { terminalLine } from '../terminal-line';

const envSchema = settingsSchema('RECONCILE_DAYS');
const REGIONS: readonly SpApiRegion[] = ['na', 'eu', 'fe'];
/** How often the run's progress is asked while the command waits. */
const POLL_MS = 1000;

export const command = defineCommand(
  {
    name: 'reconcile',
    summary: 'runs reconcileOrders now and prints its counts',
    description: `Runs the reconcileOrders workflow now, as the reconcile-orders schedule does, and waits for its counts:
for each seller the worker serves (SPAPI_SELLERS_FILE, or SPAPI_SELLER_ID with LWA_REFRESH_TOKEN), in each
region where it sells, the Shipped orders Amazon's searchOrders returns since that seller-region's last
sweep: found, started (they had no workflow: a notification never came), known (running), closed,
conflict (the ID is another workflow's), skipped by reason. The run is a workflow of its own
(${MANUAL_RECONCILE_PREFIX}<time>), done by the workers, so a running 'solicit worker' is needed; this
command only waits for it, showing its progress (a live line on a terminal, else a line per seller on
stderr), and stopping the command does not stop the run.`,
    options: {
      days: {
        type: 'string',
        value: 'N',
        description: `look back N days in every region, whatever the last sweep (default: from each one's last
sweep; RECONCILE_DAYS, else ${DEFAULT_RECONCILE_DAYS}, for a first one)`,
      },
      seller: { type: 'string', multiple: true, value: 'ID', description: 'only this seller; repeat for several' },
      region: { type: 'string', value: 'na|eu|fe', description: 'only this selling region' },
      json: {
        type: 'boolean',
        description: `print the result as JSON: {workflowId, days, force, sweepsStarted, sellers, regions, totals: {pages, found,
started, known, closed, conflict, skipped, skippedByReason}, notable: [{sellerId, regions: [...],
cursors} or {sellerId, reason}], notableOmitted, failures}; no progress lines`,
      },
    },
    exitCodes: {
      0: 'done',
      1: 'Temporal unreachable, the run failed, or a seller or region could not be swept',
      2: 'bad usage',
    },
    environment: [...TEMPORAL_CONNECTION, ...environment('TASK_QUEUE', 'RECONCILE_DAYS')],
  },
  async ({ options }) => {
    const env = parseEnv(envSchema);
    const force = options.days !== undefined;
    const days = options.days === undefined ? env.RECONCILE_DAYS : daysOption(options.days);
    const region = regionOption(options.region);
    const temporal = temporalSettings();
    const client = await connectClient(temporal, { connectTimeout: '10 seconds' });
    try {
      // A workflow of its own rather than a trigger of the schedule: its result can be awaited, it runs
      // with RECONCILE_INTERVAL=off too, and a scheduled run in progress does not swallow it.
      const workflowId = `${MANUAL_RECONCILE_PREFIX}${new Date().toISOString()}`;
      const input: ReconcileOrdersInput = {
        days,
        ...(force && { force }),
        // Without --seller the parser gives no list or an empty one: every seller.
        ...(options.seller !== undefined && options.seller.length > 0 && { sellerIds: options.seller }),
        ...(region !== undefined && { regions: [region] }),
      };
      const handle = await client.workflow.start<typeof reconcileOrders>(RECONCILE_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Reconciliation run by hand${force ? `: Shipped orders of the last ${days} days` : ''}`,
      });
      if (!options.json) process.stderr.write(`${workflowId} started; waiting for its counts...\n`);
      const result = (await awaitShowingProgress(handle, !options.json).catch((error: unknown) => {
        if (!(error instanceof WorkflowFailedError)) throw error;
        throw new Error(`${workflowId} failed: ${error.cause?.message ?? error.message}`, { cause: error });
      })) as ReconcileRunResult;
      process.stdout.write(
        `${options.json ? JSON.stringify({ workflowId, ...result }, null, 2) : reconcileText(result)}\n`,
      );
      return result.failures > 0 ? EXIT_FAILURE : EXIT_OK;
    } finally {
      await client.connection.close();
    }
  },
);

/** The run's result; meanwhile its progress on stderr: a live line on a terminal, else a line per seller done. */
async function awaitShowingProgress(
  handle: WorkflowHandle<typeof reconcileOrders>,
  show: boolean,
): Promise<Awaited<ReturnType<typeof reconcileOrders>>> {
  const result = handle.result();
  if (!show) return result;
  const live = process.stderr.isTTY ? terminalLine(process.stderr) : undefined;
  let printed = 0;
  let done = false;
  const look = async () => {
    const view = await handle.query(progressQuery).catch(() => undefined);
    if (view === undefined) return;
    if (live) {
      live.show(progressLine(view));
      return;
    }
    // `finished` ends with the `sellersDone`th seller: print those not printed yet.
    const fresh = view.finished.slice(Math.max(0, view.finished.length - (view.sellersDone - printed)));
    for (const seller of fresh) process.stderr.write(`${sellerLine(seller)}\n`);
    printed = view.sellersDone;
  };
  const poll = async () => {
    while (!done) {
      await look();
      await Promise.race([delay(POLL_MS), result.catch(() => undefined)]);
    }
    // The sellers finished since the last look: the run's last state answers the query once it has ended.
    if (!live) await look();
  };
  const polling = poll();
  try {
    return await result;
  } finally {
    done = true;
    await polling;
    live?.clear();
  }
}

function daysOption(value: string): number {
  const days = reconcileDays.safeParse(value);
  if (!days.success) throw new UsageError(`--days ${days.error.issues[0]?.message ?? 'is invalid'}, got '${value}'`);
  return days.data;
}

function regionOption(value: string | undefined): SpApiRegion | undefined {
  if (value === undefined) return undefined;
  const region = REGIONS.find((candidate) => candidate === value.toLowerCase());
  if (region === undefined) throw new UsageError(`--region must be na, eu or fe, got '${value}'`);
  return region;
}
