import type { Client } from '@temporalio/client';
import { PHASES, TERMINAL_PHASES, type Outcome, type Phase } from '../domain/contract';
import { instant, table } from './format';
import { endedSinceCondition, type GroupBy } from './period-stats';
import { forEachOrder, ordersQuery, type OrderRow } from './visibility';

/**
 * `solicit stats --by marketplace|seller`: counts per phase (or, with `--since`, per outcome of the orders
 * that ended in the period) for each marketplace or seller. Temporal's visibility groups a count by
 * ExecutionStatus only (SQL and Elasticsearch stores alike refuse a custom search attribute in GROUP
 * BY), and the marketplaces or sellers to count are not known beforehand, so the matching orders are
 * listed, page by page, and added up as they come: the memory held is one page and a count per group,
 * however many orders are read.
 */

/** The group of an order whose workflow has no such search attribute (started before it was kept). */
export const NO_GROUP = '(none)';

export interface GroupCounts<K extends string> {
  counts: Record<K, number>;
  total: number;
}

export interface GroupedTally<K extends string> extends GroupCounts<K> {
  /** Orders read from visibility, counted or not (an order in none of the keys is read, not counted). */
  ordersRead: number;
  /** By marketplace or seller ID, most orders first (then by ID). */
  groups: [string, GroupCounts<K>][];
}

const GROUP_FIELDS: Record<GroupBy, 'marketplaceId' | 'sellerId'> = {
  marketplace: 'marketplaceId',
  seller: 'sellerId',
};

/** Adds orders up per group and per key (phase or outcome); an order in none of `keys` is not counted. */
export function tallyGroups<K extends Phase>(
  by: GroupBy,
  keys: readonly K[],
): { add(order: Pick<OrderRow, 'phase' | 'marketplaceId' | 'sellerId'>): void; result(): GroupedTally<K> } {
  const empty = (): GroupCounts<K> => ({
    counts: Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>,
    total: 0,
  });
  const totals = empty();
  const groups = new Map<string, GroupCounts<K>>();
  let ordersRead = 0;
  return {
    add(order) {
      ordersRead += 1;
      const key = keys.find((known) => known === order.phase);
      if (key === undefined) return;
      const id = order[GROUP_FIELDS[by]] ?? NO_GROUP;
      const group = groups.get(id) ?? empty();
      groups.set(id, group);
      for (const counts of [group, totals]) {
        counts.counts[key] += 1;
        counts.total += 1;
      }
    },
    result: () => ({
      ...totals,
      ordersRead,
      groups: [...groups].sort(([a, x], [b, y]) => y.total - x.total || (a < b ? -1 : a > b ? 1 : 0)),
    }),
  };
}

/** The `--json` shape: `{ [label]: counts, total, ordersRead, groups: { id: { [label]: counts, total } } }`. */
export function groupedJson<K extends string>(label: 'phases' | 'outcomes', tally: GroupedTally<K>) {
  return {
    [label]: tally.counts,
    total: tally.total,
    ordersRead: tally.ordersRead,
    groups: Object.fromEntries(tally.groups.map(([id, group]) => [id, { [label]: group.counts, total: group.total }])),
  };
}

/** One row per group and a total row, a column per key. */
export function groupedTable<K extends string>(by: GroupBy, keys: readonly K[], tally: GroupedTally<K>): string {
  const row = (id: string, group: GroupCounts<K>) => [
    id,
    ...keys.map((key) => String(group.counts[key])),
    String(group.total),
  ];
  return table(
    [by.toUpperCase(), ...keys.map((key) => key.toUpperCase()), 'TOTAL'],
    [...tally.groups.map(([id, group]) => row(id, group)), row('total', tally)],
  );
}

/** Every order (running or closed) the filter matches, per phase and group. */
export async function phasesByGroup(client: Client, by: GroupBy, filter?: string): Promise<GroupedTally<Phase>> {
  const tally = tallyGroups(by, PHASES);
  await forEachOrder(client, ordersQuery(filter), (order) => tally.add(order));
  return tally.result();
}

/** The orders that ended at or after `since`, per outcome and group. */
export async function outcomesByGroup(
  client: Client,
  by: GroupBy,
  since: Date,
  filter?: string,
): Promise<GroupedTally<Outcome>> {
  const tally = tallyGroups(by, TERMINAL_PHASES);
  await forEachOrder(client, ordersQuery(endedSinceCondition(since), filter), (order) => tally.add(order));
  return tally.result();
}

/** `solicit stats --by`, with or without `--since`: the JSON and the text of the same counts. */
export async function statsByGroup(
  client: Client,
  options: { by: GroupBy; since?: Date; filter?: string },
): Promise<{ json: object; text: string; ordersRead: number }> {
  const { by, since, filter } = options;
  if (since === undefined) {
    const tally = await phasesByGroup(client, by, filter);
    const { ordersRead } = tally;
    return { json: { by, ...groupedJson('phases', tally) }, text: groupedTable(by, PHASES, tally), ordersRead };
  }
  const tally = await outcomesByGroup(client, by, since, filter);
  return {
    ordersRead: tally.ordersRead,
    json: { since: since.toISOString(), by, ...groupedJson('outcomes', tally) },
    text: `ended since ${instant(since)}\n${groupedTable(by, TERMINAL_PHASES, tally)}`,
  };
}
