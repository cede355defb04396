import { createInterface } from 'node:readline/promises';
import type { SignalDefinition } from '@temporalio/common';
import { signalBatch } from '../operator/batch';
import { withOperatorClient } from '../operator/connect';
import { signalRunningOrder } from '../operator/order';
import { RUNNING, countOrders, listFilter, ordersQuery } from '../operator/visibility';
import { EXIT_FAILURE, EXIT_OK } from './exit-codes';
import { UsageError } from '../errors';
import type { OptionSpec } from './arguments';
import { TEMPORAL_CONNECTION } from './environment';

export interface OrderSignal<A> {
  /** The command's name, which is also the signal's. */
  command: string;
  signal: SignalDefinition<[A]>;
  arg: A;
  /** Why, as the batch job records it for `temporal batch list` and the Web UI. */
  batchReason: string;
}

export interface SignalTarget {
  positionals: string[];
  query: string | undefined;
  /** Skips the confirmation a batch asks for at a terminal. */
  yes: boolean;
}

/** What `cancel` and `expedite` share in their tables. */
export const SIGNAL_ORDERS_LINE = {
  positionals: { names: ['orderId'] },
  yes: { type: 'boolean', description: 'do not ask for confirmation at a terminal' },
  notes: [
    `Prints how many orders the batch signalled. Interrupting the command does not stop a batch job already
started (see 'temporal batch list').`,
  ],
  exitCodes: {
    0: 'sent',
    1: 'Temporal unreachable or some orders not signalled',
    2: 'unknown or ended order, bad filter or usage',
  },
  environment: TEMPORAL_CONNECTION,
} as const;

/** `--query FILTER` of `cancel` and `expedite`, with an example filter. */
export function queryOption(example: string): OptionSpec {
  return {
    type: 'string',
    value: 'FILTER',
    description: `every running order a Temporal list filter matches, through a Temporal batch job,
e.g. "${example}";
only running reviewSolicitation workflows are touched, whatever the filter says`,
  };
}

/**
 * `solicit cancel` and `solicit expedite`: one order by ID, or a batch of running orders by list filter.
 * A batch is restricted to running reviewSolicitation workflows whatever the filter says, and asks for
 * confirmation when run at a terminal.
 */
export async function signalOrders<A>(target: SignalTarget, request: OrderSignal<A>): Promise<number> {
  const [orderId] = target.positionals;
  const filter = listFilter(target.query);
  if (orderId !== undefined && filter !== undefined) throw new UsageError('give an order ID or --query, not both');
  if (orderId === undefined && filter === undefined) {
    throw new UsageError(`which orders? (solicit ${request.command} <orderId>, or --query FILTER)`);
  }

  if (orderId !== undefined) {
    await withOperatorClient((client) => signalRunningOrder(client, orderId, request.signal, request.arg));
    process.stdout.write(`${request.command} sent to order ${orderId}\n`);
    return EXIT_OK;
  }

  const query = ordersQuery(RUNNING, filter);
  return withOperatorClient(async (client) => {
    const matching = await countOrders(client, query);
    if (matching === 0) {
      process.stdout.write(`no running order matches ${filter}\n`);
      return EXIT_OK;
    }
    const question = `${request.command} ${orders(matching)} (running, matching ${filter})?`;
    if (!target.yes && process.stdin.isTTY && !(await confirmed(question))) {
      process.stderr.write('nothing sent\n');
      return EXIT_OK;
    }
    const batch = await signalBatch(client, {
      query,
      signal: request.signal,
      arg: request.arg,
      reason: request.batchReason,
    });
    process.stdout.write(`${request.command} sent to ${orders(batch.signalled)} (batch job ${batch.jobId})\n`);
    if (batch.failed === 0) return EXIT_OK;
    process.stderr.write(
      `solicit ${request.command}: ${batch.failed} of ${orders(batch.total)} not signalled ` +
        `(temporal batch describe --job-id ${batch.jobId})\n`,
    );
    return EXIT_FAILURE;
  });
}

export function orders(count: number): string {
  return count === 1 ? '1 order' : `${count} orders`;
}

export async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}
