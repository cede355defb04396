import type { Client } from '@temporalio/client';
import { withOperatorClient } from '../../operator/connect';
import { retryCandidates, retryOrder, retryRuns } from '../../operator/retry';
import { listFilter } from '../../operator/visibility';
import { defineCommand } from '../command';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes';
import { TEMPORAL_CONNECTION } from '../environment';
import { SIGNAL_ORDERS_LINE, confirmed, orders } from '../signal-orders';
import { UsageError } from '../../errors';

export const command = defineCommand(
  {
    name: 'retry',
    summary: 'reopens a failed order, or every failed order a list filter matches',
    synopsis: ['<orderId>', '--query FILTER [--yes]'],
    description: `Reopens an order that ended failed, or expired while its window is in fact still open: its workflow is
reset to its first workflow task and runs again from the start of its history, with the same input and
the signals it had received, so it is checked and solicited as if new.`,
    positionals: SIGNAL_ORDERS_LINE.positionals,
    options: {
      query: {
        type: 'string',
        value: 'FILTER',
        description: `every closed order a Temporal list filter matches that can be retried, e.g.
"AmazonSellerId = 'A2EXAMPLE' AND CloseTime > '2026-05-01T00:00:00Z'"; only failed
orders and expired ones whose window is open are touched, whatever the filter says`,
      },
      yes: SIGNAL_ORDERS_LINE.yes,
    },
    exitCodes: {
      0: 'reopened',
      1: 'Temporal unreachable or some orders not reopened',
      2: 'unknown or running order, an outcome that cannot be retried, a closed window, bad filter or usage',
    },
    environment: TEMPORAL_CONNECTION,
  },
  async ({ options, positionals }) => {
    const [orderId] = positionals;
    const filter = listFilter(options.query);
    if (orderId !== undefined && filter !== undefined) throw new UsageError('give an order ID or --query, not both');
    if (orderId !== undefined) {
      await withOperatorClient((client) => retryOrder(client, orderId));
      process.stdout.write(`order ${orderId} reopened\n`);
      return EXIT_OK;
    }
    if (filter === undefined) throw new UsageError('which orders? (solicit retry <orderId>, or --query FILTER)');
    return withOperatorClient((client) => retryMatching(client, filter, options.yes));
  },
);

async function retryMatching(client: Client, filter: string, yes: boolean): Promise<number> {
  const runs = await retryCandidates(client, filter, new Date());
  if (runs.length === 0) {
    process.stdout.write(`no order to retry matches ${filter}\n`);
    return EXIT_OK;
  }
  const question = `retry ${orders(runs.length)} (failed, or expired with the window open, matching ${filter})?`;
  if (!yes && process.stdin.isTTY && !(await confirmed(question))) {
    process.stderr.write('nothing reopened\n');
    return EXIT_OK;
  }
  const outcome = await retryRuns(client, runs);
  process.stdout.write(`${orders(outcome.reopened)} reopened\n`);
  for (const { amazonOrderId, message } of outcome.failed) {
    process.stderr.write(`solicit retry: order ${amazonOrderId} not reopened: ${message}\n`);
  }
  return outcome.failed.length === 0 ? EXIT_OK : EXIT_FAILURE;
}
