import { UsageError } from '../errors';
import { TERMINAL_PHASES, type Outcome } from '../domain/contract';
import { ordersQuery, phaseCondition } from './visibility';

/**
 * `solicit stats --since 30d`: the orders that ended in a period, per outcome
 * ("solicited in the last 30 days"), from visibility counts: one count per outcome.
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

export interface PeriodCount {
  outcome: Outcome;
  query: string;
}

/**
 * The count queries: for each outcome, the product's closed workflows that ended at or after `since` in
 * that outcome. `filter` is an operator's `--query`, already guarded.
 */
export function periodCountQueries(options: { since: Date; filter?: string }): PeriodCount[] {
  const ended = `ExecutionStatus != 'Running' AND CloseTime >= '${options.since.toISOString()}'`;
  return TERMINAL_PHASES.map((outcome) => ({
    outcome,
    query: ordersQuery(ended, phaseCondition(outcome), options.filter),
  }));
}

export interface PeriodStats {
  since: string;
  outcomes: Record<Outcome, number>;
  total: number;
}

/** The `--json` shape, from the queries and their counts. */
export function periodStats(since: Date, counts: readonly (PeriodCount & { count: number })[]): PeriodStats {
  const outcomes = Object.fromEntries(TERMINAL_PHASES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  for (const { outcome, count } of counts) outcomes[outcome] += count;
  return { since: since.toISOString(), outcomes, total: counts.reduce((sum, { count }) => sum + count, 0) };
}
