import { WorkflowFailedError } from '@temporalio/client';
import { z } from 'zod';
import { parseEnv } from '../../config/env';
import { DEFAULT_RECONCILE_DAYS, reconcileDays, reconcileScheduleSettings } from '../../reconcile/settings';
import { connectClient, temporalSettings } from '../../config/temporal';
import { MANUAL_RECONCILE_PREFIX, RECONCILE_WORKFLOW_TYPE, type ReconcileOrdersInput } from '../../reconcile/workflow/contract';
import { UsageError } from '../../errors';
import { reconcileText } from '../../reconcile/report';
import type { reconcileOrders } from '../../reconcile/workflow/reconcile-orders';
import { defineCommand } from '../command';
import { TEMPORAL_CONNECTION, WORKFLOW_TASK_QUEUE } from '../environment';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes';

const envSchema = z.object({ RECONCILE_DAYS: reconcileScheduleSettings.RECONCILE_DAYS });

export const command = defineCommand(
  {
    name: 'reconcile',
    summary: 'runs reconcileOrders now and prints its counts',
    description: `Runs the reconcileOrders workflow now, as the reconcile-orders schedule does, and waits for its counts:
for each seller the worker serves (SPAPI_SELLERS_FILE, or SPAPI_SELLER_ID with LWA_REFRESH_TOKEN), the
Shipped orders of the last N days Amazon's searchOrders returns: found, started (they had no workflow: a
notification never came), already known, skipped by reason. The run is a workflow of its own
(${MANUAL_RECONCILE_PREFIX}<time>), done by the workers, so a running 'solicit worker' is needed; this
command only waits for it, and stopping the command does not stop the run.`,
    options: {
      days: {
        type: 'string',
        value: 'N',
        description: `orders updated in the last N days (default RECONCILE_DAYS, else ${DEFAULT_RECONCILE_DAYS})`,
      },
      json: {
        type: 'boolean',
        description: `print the result as JSON: {workflowId, since, days, sellers: [{sellerId, found, started,
alreadyKnown, skipped, skippedByReason, pages, failed?}], totals}`,
      },
    },
    exitCodes: { 0: 'done', 1: 'Temporal unreachable, the run failed, or Amazon refused a seller', 2: 'bad usage' },
    environment: [TEMPORAL_CONNECTION, WORKFLOW_TASK_QUEUE, ['RECONCILE_DAYS', 'the default of --days']],
  },
  async ({ options }) => {
    const env = parseEnv(envSchema);
    const days = options.days === undefined ? env.RECONCILE_DAYS : daysOption(options.days);
    const temporal = temporalSettings();
    const client = await connectClient(temporal, { connectTimeout: '10 seconds' });
    try {
      // A workflow of its own rather than a trigger of the schedule: its result can be awaited, it runs
      // with RECONCILE_INTERVAL=off too, and a scheduled run in progress does not swallow it.
      const workflowId = `${MANUAL_RECONCILE_PREFIX}${new Date().toISOString()}`;
      const input: ReconcileOrdersInput = { days };
      const handle = await client.workflow.start<typeof reconcileOrders>(RECONCILE_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Reconciliation run by hand: Shipped orders of the last ${days} days`,
      });
      if (!options.json) process.stderr.write(`${workflowId} started; waiting for its counts...\n`);
      const result = await handle.result().catch((error: unknown) => {
        if (!(error instanceof WorkflowFailedError)) throw error;
        throw new Error(`${workflowId} failed: ${error.cause?.message ?? error.message}`, { cause: error });
      });
      process.stdout.write(
        `${options.json ? JSON.stringify({ workflowId, ...result }, null, 2) : reconcileText(result)}\n`,
      );
      return result.sellers.some((seller) => seller.failed !== undefined) ? EXIT_FAILURE : EXIT_OK;
    } finally {
      await client.connection.close();
    }
  },
);

function daysOption(value: string): number {
  const days = reconcileDays.safeParse(value);
  if (!days.success) throw new UsageError(`--days ${days.error.issues[0]?.message ?? 'is invalid'}, got '${value}'`);
  return days.data;
}
