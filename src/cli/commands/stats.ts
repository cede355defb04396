import { PHASES } from '../../domain/contract';
import { withOperatorClient } from '../../operator/connect';
import { instant, table } from '../../operator/format';
import { parsePeriod, periodCountQueries, periodStats } from '../../operator/period-stats';
import { countOrders, countOrdersByPhase, listFilter } from '../../operator/visibility';
import { defineCommand } from '../command';
import { TEMPORAL_CONNECTION } from '../environment';
import { EXIT_OK } from '../exit-codes';

export const command = defineCommand(
  {
    name: 'stats',
    summary: 'count of orders per phase',
    description: `Counts orders per phase from Temporal's visibility store, running and closed (closed ones for as long as
the namespace retains them).`,
    options: {
      since: {
        type: 'string',
        value: 'D',
        description: `instead, the orders that ended in the last D (12h, 30d, 2w), per outcome: with 30d, how
many were solicited in the last 30 days`,
      },
      query: {
        type: 'string',
        value: 'FILTER',
        description: `only orders a Temporal list filter matches, e.g. "AmazonMarketplaceId = 'ATVPDKIKX0DER'"`,
      },
      json: {
        type: 'boolean',
        description: `{"phases": {"waiting": N, ...}, "total": N}; with --since
{"since": ISO-8601, "outcomes": {"solicited": N, ...}, "total": N}`,
      },
    },
    exitCodes: { 0: 'counted', 1: 'Temporal unreachable', 2: 'bad filter or usage' },
    environment: [TEMPORAL_CONNECTION],
  },
  async ({ options: values }) => {
    const filter = listFilter(values.query);
    if (values.since !== undefined) return endedSince(parsePeriod(values.since), filter, values.json);

    const phases = await withOperatorClient((client) => countOrdersByPhase(client, filter));
    const total = PHASES.reduce((sum, phase) => sum + phases[phase], 0);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ phases, total }, null, 2)}\n`);
    } else {
      const rows = [...PHASES.map((phase) => [phase, String(phases[phase])]), ['total', String(total)]];
      process.stdout.write(`${table(['PHASE', 'ORDERS'], rows)}\n`);
    }
    return EXIT_OK;
  },
);

async function endedSince(periodMs: number, filter: string | undefined, json: boolean): Promise<number> {
  const since = new Date(Date.now() - periodMs);
  const queries = periodCountQueries({ since, filter });
  const counts = await withOperatorClient((client) =>
    Promise.all(queries.map(async (query) => ({ ...query, count: await countOrders(client, query.query) }))),
  );
  const stats = periodStats(since, counts);
  if (json) {
    process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
  } else {
    const rows = [...Object.entries(stats.outcomes).map(([outcome, count]) => [outcome, String(count)])];
    rows.push(['total', String(stats.total)]);
    process.stdout.write(`ended since ${instant(stats.since)}\n${table(['OUTCOME', 'ORDERS'], rows)}\n`);
  }
  return EXIT_OK;
}
