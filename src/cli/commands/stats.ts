import { sellersDueSoon } from '../../credentials/authorization-expiry';
import { withOperatorClient } from '../../operator/connect';
import { instant, table } from '../../operator/format';
import { statsByGroup } from '../../operator/grouped-stats';
import { parseGroupBy, parsePeriod, periodCountQueries, periodStats } from '../../operator/period-stats';
import { phaseStats, phaseStatsText } from '../../operator/phase-stats';
import { countOrders, listFilter } from '../../operator/visibility';
import { parseSellers, sellersStoreFromEnv } from '../../spapi/from-env';
import { ConfigError } from '../../errors';
import { defineCommand } from '../command';
import { environment, TEMPORAL_CONNECTION } from '../environment';
import { EXIT_OK } from '../exit-codes';

export const command = defineCommand(
  {
    name: 'stats',
    summary: 'count of orders per phase',
    description: `Counts orders per phase from Temporal's visibility store, running and closed (closed ones for as long as
the namespace retains them), one count query per phase. Blocked orders are then listed per seller from the
first 1,000 of them ("at least" when there are more), with the reason of the sellers with the most, and, with a
sellers store, the sellers that must re-authorize the app within 30 days.`,
    options: {
      since: {
        type: 'string',
        value: 'D',
        description: `instead, the orders that ended in the last D (12h, 30d, 2w), per outcome: with 30d, how
many were solicited in the last 30 days`,
      },
      by: {
        type: 'string',
        value: 'marketplace|seller',
        description: `the same per marketplace or per seller, one row each; the orders are listed from
visibility and added up as they come (it says how many it read), which takes a while for many orders`,
      },
      query: {
        type: 'string',
        value: 'FILTER',
        description: `only orders a Temporal list filter matches, e.g. "AmazonMarketplaceId = 'ATVPDKIKX0DER'"`,
      },
      json: {
        type: 'boolean',
        description: `{"phases": {"waiting": N, ...}, "total": N, "blocked": [{"sellerId", "orders", "reason",
"asked", "sampleOrderId"}] and, with blocked orders, "blockedComplete": B}; with --since {"since": ISO-8601, "outcomes":
{"solicited": N, ...}, "total": N}; with --by also "by", "ordersRead": N and "groups": {"<ID>": {"phases" or
"outcomes": {...}, "total": N}, ...}; with a sellers store also "reauthorizationDue": [{"sellerId", "due"}]`,
      },
    },
    exitCodes: { 0: 'counted', 1: 'Temporal unreachable', 2: 'bad filter or usage' },
    environment: [...TEMPORAL_CONNECTION, ...environment('SPAPI_SELLERS_FILE', 'SPAPI_SELLERS_SECRET_ARN')],
  },
  async ({ options: values }) => {
    const filter = listFilter(values.query);
    const by = parseGroupBy(values.by);
    const since = values.since === undefined ? undefined : new Date(Date.now() - parsePeriod(values.since));
    if (by !== undefined) {
      const stats = await withOperatorClient((client) => statsByGroup(client, { by, since, filter }));
      process.stdout.write(`${values.json ? JSON.stringify(stats.json, null, 2) : stats.text}\n`);
      // Beside the table rather than in it, so that the table stays one row per group for scripts.
      if (!values.json) process.stderr.write(`${stats.ordersRead} orders read from visibility\n`);
      return EXIT_OK;
    }
    if (since !== undefined) return endedSince(since, filter, values.json);

    const due = await reauthorizationDue();
    const stats = await withOperatorClient((client) => phaseStats(client, { filter }));
    if (values.json) {
      const json = { ...stats, ...(due !== undefined && { reauthorizationDue: due }) };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      process.stdout.write(phaseStatsText(stats) + dueTable(due));
    }
    return EXIT_OK;
  },
);

/** Sellers due to re-authorize within 30 days, from the sellers store; undefined without one. */
async function reauthorizationDue(): Promise<{ sellerId: string; due: string }[] | undefined> {
  const store = sellersStoreFromEnv();
  if (store === undefined) return undefined;
  let sellers;
  try {
    sellers = parseSellers(await store.read());
  } catch (error) {
    throw new ConfigError(`${store.variable}: ${error instanceof Error ? error.message : 'cannot be read'}`);
  }
  return sellersDueSoon(sellers, new Date()).map(({ sellerId, due }) => ({ sellerId, due: due.toISOString() }));
}

function dueTable(due: readonly { sellerId: string; due: string }[] | undefined): string {
  if (due === undefined || due.length === 0) return '';
  const rows = due.map(({ sellerId, due: at }) => [sellerId, at.slice(0, 10)]);
  return `\nre-authorization due within 30 days (connect the seller again on the Sellers page):\n${table(['SELLER', 'DUE'], rows)}\n`;
}

async function endedSince(since: Date, filter: string | undefined, json: boolean): Promise<number> {
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
