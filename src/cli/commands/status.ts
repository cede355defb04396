import { withOperatorClient } from '../../operator/connect';
import { fields, instant } from '../../operator/format';
import { orderState, type OrderState } from '../../operator/order';
import { currentDetails } from '../../domain/web-ui';
import { statusJson } from '../../operator/status-json';
import { defineCommand } from '../command';
import { TEMPORAL_CONNECTION } from '../environment';
import { EXIT_OK } from '../exit-codes';

export const command = defineCommand(
  {
    name: 'status',
    summary: "the order's status query, or its result if closed",
    description: `Shows one order. While its workflow runs: the answer to its status query (phase, Amazon's window, checks
made, next check). Once it has closed: its result (outcome, when it was solicited, why it ended).`,
    positionals: { names: ['orderId'], required: 1, missing: 'which order? (solicit status <orderId>)' },
    options: {
      json: {
        type: 'boolean',
        description: `one JSON object: the status query's fields (amazonOrderId, phase, solicitAfter, solicitBefore,
checks, nextCheckAt, ...) with workflowStatus, and result once closed; e.g. | jq -r .phase`,
      },
    },
    exitCodes: { 0: 'shown', 1: 'Temporal unreachable or no worker answered', 2: 'unknown order or bad usage' },
    environment: TEMPORAL_CONNECTION,
  },
  async ({ options, positionals: [orderId] }) => {
    const state = await withOperatorClient((client) => orderState(client, orderId!));
    process.stdout.write(`${options.json ? JSON.stringify(statusJson(state), null, 2) : describe(state)}\n`);
    return EXIT_OK;
  },
);

function describe({ order, status, result }: OrderState): string {
  const where: [string, string | undefined][] = [
    ['marketplace', order.marketplaceId ?? undefined],
    ['seller', order.sellerId ?? undefined],
  ];
  if (status) {
    const estimated = status.windowEstimated ? ' (estimated from the ship time)' : '';
    return fields([
      ['order', order.amazonOrderId],
      ['phase', status.phase],
      ['window opens', instant(status.solicitAfter)],
      ['window closes', `${instant(status.solicitBefore)}${estimated}`],
      ['checks', String(status.checks)],
      ['next check', instant(status.nextCheckAt)],
      ...where,
      ['details', currentDetails(status)],
    ]);
  }
  if (result) {
    return fields([
      ['order', order.amazonOrderId],
      ['outcome', result.outcome],
      ['solicited at', instant(result.solicitedAt)],
      ['checks', String(result.checks)],
      ['reason', result.reason],
      ['window opens', instant(order.solicitAfter)],
      ['window closes', instant(order.solicitBefore)],
      ...where,
    ]);
  }
  return fields([
    ['order', order.amazonOrderId],
    ['workflow', `${order.workflowStatus} in Temporal, without a result`],
    ['phase', order.phase ?? undefined],
    ...where,
  ]);
}
