import { UsageError } from '../errors';
import { searchAttributes, TERMINAL_PHASES, type Outcome } from '../domain/contract';
import { ordersQuery, phaseCondition } from './visibility';

/**
 * `solicit stats --since 30d [--by marketplace|seller]`: the orders that ended in a period, per outcome
 * ("solicited in the last 30 days"), from visibility counts. One count per outcome (and group), since the
 * dev server's SQL visibility does not group by a custom search attribute.
 */

const HOUR_MS = 3_600_000;
const UNITS: Record<string, number> = { h: HOUR_MS, d: 24 * HOUR_MS, w: 7 * 24 * HOUR_MS };
// Beyond what a namespace retains closed workflows for; a longer period would count the same.
const MAX_PERIOD_MS = 3650 * UNITS.d!;

/** `--since`: a whole number of hours, days or weeks (`12h`, `30d`, `2w`), in milliseconds. */
export function parsePeriod(value: string): number {
  const match = /^(\d{1,5})([hdw])$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : 0;
  if (ms <= 0 || ms > MAX_PERIOD_MS) {
    throw new UsageError(`--since must be a period such as 12h, 30d or 2w (at most 3650d), got '${value}'`);
  }
  return ms;
}

export type GroupBy = 'marketplace' | 'seller';

export function parseGroupBy(value: string | undefined): GroupBy | undefined {
  if (value === undefined || value === 'marketplace' || value === 'seller') return value;
  throw new UsageError(`--by must be marketplace or seller, got '${value}'`);
}

const GROUP_ATTRIBUTES: Record<GroupBy, string> = {
  marketplace: searchAttributes.marketplaceId.name,
  seller: searchAttributes.sellerId.name,
};

export interface PeriodCount {
  outcome: Outcome;
  /** The marketplace or seller ID counted, with `--by`. */
  group?: string;
  query: string;
}

/**
 * The count queries: for each outcome (and each group given), the product's closed workflows that ended at
 * or after `since` in that outcome. `filter` is an operator's `--query`, already guarded.
 */
export function periodCountQueries(options: {
  since: Date;
  filter?: string;
  by?: { groupBy: GroupBy; ids: readonly string[] };
}): PeriodCount[] {
  const ended = `ExecutionStatus != 'Running' AND CloseTime >= '${options.since.toISOString()}'`;
  const groups: (string | undefined)[] = options.by ? [...options.by.ids] : [undefined];
  return groups.flatMap((group) =>
    TERMINAL_PHASES.map((outcome) => {
      const inGroup =
        group === undefined || options.by === undefined
          ? undefined
          : `${GROUP_ATTRIBUTES[options.by.groupBy]} = ${JSON.stringify(group)}`;
      return {
        outcome,
        ...(group !== undefined && { group }),
        query: ordersQuery(ended, phaseCondition(outcome), inGroup, options.filter),
      };
    }),
  );
}

export interface PeriodStats {
  since: string;
  outcomes: Record<Outcome, number>;
  total: number;
  /** With `--by`: the same per marketplace or seller, leaving out those with no order in the period. */
  groups?: Record<string, { outcomes: Record<Outcome, number>; total: number }>;
}

/** The `--json` shape, from the queries and their counts, in the same order. */
export function periodStats(since: Date, counts: readonly (PeriodCount & { count: number })[]): PeriodStats {
  const tally = (of: readonly { outcome: Outcome; count: number }[]) => {
    const outcomes = Object.fromEntries(TERMINAL_PHASES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
    for (const { outcome, count } of of) outcomes[outcome] += count;
    return { outcomes, total: of.reduce((sum, { count }) => sum + count, 0) };
  };
  const stats: PeriodStats = { since: since.toISOString(), ...tally(counts) };
  const grouped = counts.filter((count) => count.group !== undefined);
  if (grouped.length > 0) {
    const ids = [...new Set(grouped.map((count) => count.group!))];
    stats.groups = Object.fromEntries(
      ids
        .map((id) => [id, tally(grouped.filter((count) => count.group === id))] as const)
        .filter(([, group]) => group.total > 0),
    );
  }
  return stats;
}
