import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { expediteSignal, type SolicitationStatus } from '../../domain/contract';
import { currentDetails, formatInstant } from '../../domain/web-ui';
import { withOperatorClient } from '../../operator/connect';
import { GrpcStatus, grpcError } from '../../grpc';
import { orderState, signalRunningOrder, type OrderState } from '../../operator/order';
import { defineCommand } from '../command';
import { EXIT_OK } from '../exit-codes';
import { queryOption, SIGNAL_ORDERS_LINE, signalOrders } from '../signal-orders';

/** How long `solicit expedite <orderId>` waits for the check it asked for: Amazon can be slow, or the order paced. */
const CHECK_WAIT_MS = 30_000;
const POLL_MS = 500;

export const command = defineCommand(
  {
    name: 'expedite',
    summary: 'checks one order now, or every running order a list filter matches',
    synopsis: ['<orderId>', '--query FILTER [--yes]'],
    description: `Sends the expedite signal: the order checks eligibility now, even before Amazon's window opens. If Amazon
offers the review request it is sent; if not, the order keeps waiting on its schedule. For one order, it
then waits up to ${CHECK_WAIT_MS / 1000} s for that check and prints what it found (the order's phase and current details,
or how it ended).`,
    positionals: SIGNAL_ORDERS_LINE.positionals,
    options: {
      query: queryOption("SolicitationPhase = 'waiting' AND SolicitAfter < '2026-05-01T00:00:00Z'"),
      yes: SIGNAL_ORDERS_LINE.yes,
    },
    notes: SIGNAL_ORDERS_LINE.notes,
    exitCodes: SIGNAL_ORDERS_LINE.exitCodes,
    environment: SIGNAL_ORDERS_LINE.environment,
  },
  ({ options, positionals }) => {
    const [orderId] = positionals;
    if (orderId === undefined || options.query !== undefined) {
      return signalOrders(
        { positionals, query: options.query, yes: options.yes },
        {
          command: 'expedite',
          signal: expediteSignal,
          arg: {},
          batchReason: 'solicit expedite: check eligibility now',
        },
      );
    }
    return withOperatorClient(async (client) => {
      const before = await stateOrUndefined(client, orderId);
      await signalRunningOrder(client, orderId, expediteSignal, {});
      process.stdout.write(`expedite sent to order ${orderId}\n`);
      process.stdout.write(`${await checkFound(client, orderId, before?.status ?? undefined)}\n`);
      return EXIT_OK;
    });
  },
);

/** The order as its status query answers; undefined when no worker answers, since the signal waits for one. */
async function stateOrUndefined(client: Client, orderId: string): Promise<OrderState | undefined> {
  try {
    return await orderState(client, orderId);
  } catch (error) {
    const code = grpcError(error)?.code;
    if (code === GrpcStatus.DeadlineExceeded || code === GrpcStatus.FailedPrecondition) return undefined;
    throw error;
  }
}

/** One line: what the check found once the order has moved on from `before`, or where it stands after the wait. */
async function checkFound(client: Client, orderId: string, before: SolicitationStatus | undefined): Promise<string> {
  if (before === undefined) return `no worker answered the order's status query: the check runs once a worker polls`;
  const deadline = Date.now() + CHECK_WAIT_MS;
  for (;;) {
    const now = await stateOrUndefined(client, orderId);
    if (now?.result) {
      const { outcome, solicitedAt, reason } = now.result;
      return `ended: ${outcome}${solicitedAt ? ` at ${formatInstant(solicitedAt)}` : ''}${reason ? `: ${reason}` : ''}`;
    }
    if (now?.status && now.status.phase !== 'checking' && moved(before, now.status)) {
      return `checked: ${now.status.phase}: ${currentDetails(now.status)}`;
    }
    if (Date.now() > deadline) {
      const where = now?.status ? `${now.status.phase}: ${currentDetails(now.status)}` : 'no answer from a worker';
      return `the check has not finished within ${CHECK_WAIT_MS / 1000} s; the order is ${where} (see 'solicit status ${orderId}')`;
    }
    await delay(POLL_MS);
  }
}

function moved(before: SolicitationStatus, now: SolicitationStatus): boolean {
  return (
    now.checks !== before.checks ||
    now.phase !== before.phase ||
    now.reason !== before.reason ||
    now.nextCheckAt !== before.nextCheckAt
  );
}
