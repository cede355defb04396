import { PHASES } from '../../domain/contract';
import { withOperatorClient } from '../../operator/connect';
import { instant, table } from '../../operator/format';
import { listFilter, listOrders, ordersQuery, parsePhase, phaseCondition } from '../../operator/visibility';
import { defineCommand } from '../command';
import { TEMPORAL_CONNECTION } from '../environment';
import { EXIT_OK } from '../exit-codes';
import { UsageError } from '../../errors';

const DEFAULT_LIMIT = 100;

export const command = defineCommand(
  {
    name: 'list',
    summary: 'orders by phase, from visibility',
    description: "Lists orders from Temporal's visibility store: order, phase, Amazon's window, marketplace, seller.",
    options: {
      phase: { type: 'string', value: 'P', description: `only orders in phase P: ${PHASES.join(', ')}` },
      query: {
        type: 'string',
        value: 'FILTER',
        description: `only orders a Temporal list filter matches, e.g. "AmazonSellerId = 'A2EXAMPLE'"
(search attributes: SolicitationPhase, SolicitAfter, SolicitBefore, AmazonMarketplaceId,
AmazonSellerId, and Temporal's own such as ExecutionStatus or StartTime)`,
      },
      limit: { type: 'string', value: 'N', default: String(DEFAULT_LIMIT), description: 'at most N orders' },
      json: {
        type: 'boolean',
        description: `a JSON array of {amazonOrderId, phase, solicitAfter, solicitBefore, marketplaceId,
sellerId, workflowStatus}`,
      },
    },
    exitCodes: { 0: 'listed', 1: 'Temporal unreachable', 2: 'bad phase, filter or usage' },
    environment: TEMPORAL_CONNECTION,
  },
  async ({ options: values }) => {
    const phase = values.phase === undefined ? undefined : phaseCondition(parsePhase(values.phase));
    const query = ordersQuery(phase, listFilter(values.query));
    const limit = parseLimit(values.limit);

    const { orders, more } = await withOperatorClient((client) => listOrders(client, query, limit));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(orders, null, 2)}\n`);
    } else if (orders.length === 0) {
      process.stdout.write('no orders\n');
    } else {
      const rows = orders.map((order) => [
        order.amazonOrderId,
        order.phase ?? '-',
        instant(order.solicitAfter) ?? '-',
        instant(order.solicitBefore) ?? '-',
        order.marketplaceId ?? '-',
        order.sellerId ?? '-',
      ]);
      process.stdout.write(
        `${table(['ORDER', 'PHASE', 'WINDOW OPENS', 'WINDOW CLOSES', 'MARKETPLACE', 'SELLER'], rows)}\n`,
      );
    }
    if (more) process.stderr.write(`solicit list: more orders match than the ${limit} shown (see --limit)\n`);
    return EXIT_OK;
  },
);

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a whole number of at least 1');
  return limit;
}
