import { parseArgs } from 'node:util';
import { withOperatorClient } from '../../operator/connect';
import { fields, instant } from '../../operator/format';
import { orderState, type OrderState } from '../../operator/order';
import { currentDetails } from '../../domain/web-ui';
import { statusJson } from '../../operator/status-json';
import type { Command } from '../command';
import { EXIT_OK } from '../exit-codes';
import { UsageError } from '../../errors';

export const command: Command = {
  summary: "the order's status query, or its result if closed",
  usage: `usage: solicit status <orderId> [--json]

Shows one order. While its workflow runs: the answer to its status query (phase, Amazon's window, checks
made, next check). Once it has closed: its result (outcome, when it was solicited, why it ended).

  --json  one JSON object: the status query's fields (amazonOrderId, phase, solicitAfter, solicitBefore,
          checks, nextCheckAt, ...) with workflowStatus, and result once closed; e.g. | jq -r .phase

exit codes: 0 shown; 1 Temporal unreachable or no worker answered; 2 unknown order or bad usage.
environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (also TEMPORAL_API_KEY, TEMPORAL_TLS_*, profiles)`,

  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    const [orderId, extra] = positionals;
    if (orderId === undefined) throw new UsageError('which order? (solicit status <orderId>)');
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);

    const state = await withOperatorClient((client) => orderState(client, orderId));
    process.stdout.write(`${values.json ? JSON.stringify(statusJson(state), null, 2) : describe(state)}\n`);
    return EXIT_OK;
  },
};

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
