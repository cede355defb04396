import type { Client } from '@temporalio/client';
import { PHASES, type Phase } from '../domain/contract';
import { blockedSellers, type BlockedList } from './blocked-sellers';
import { table } from './format';
import { countOrdersByPhase } from './visibility';

/**
 * `solicit stats` without `--by` or `--since`: one count query per phase and, at the same time, the blocked
 * list from a bounded read (blocked-sellers.ts).
 */

export interface PhaseStats {
  phases: Record<Phase, number>;
  total: number;
  blocked: BlockedList['sellers'];
  /**
   * With a blocked list: false when it was made from the first blocked orders only, so that its counts
   * are "at least" these.
   */
  blockedComplete?: boolean;
}

export async function phaseStats(
  client: Client,
  options: { filter?: string; blockedRead?: number; reasonsAsked?: number } = {},
): Promise<PhaseStats> {
  // The blocked list is read beside the counts rather than after them: one round trip less, and a list
  // that finds no blocked order costs one empty page.
  const [phases, list] = await Promise.all([
    countOrdersByPhase(client, options.filter),
    blockedSellers(client, { filter: options.filter, read: options.blockedRead, reasonsAsked: options.reasonsAsked }),
  ]);
  const total = PHASES.reduce((sum, phase) => sum + phases[phase], 0);
  if (list.sellers.length === 0) return { phases, total, blocked: [] };
  // Visibility's counts and lists may lag each other by a moment: a list stopped at its bound is complete
  // only if the count says there is no more.
  const blockedComplete = !list.bounded || list.ordersRead >= phases.blocked;
  return { phases, total, blocked: list.sellers, blockedComplete };
}

/** The phase table and, when orders are blocked, whose, how many, and why. */
export function phaseStatsText(stats: PhaseStats): string {
  const rows = [...PHASES.map((phase) => [phase, String(stats.phases[phase])]), ['total', String(stats.total)]];
  return `${table(['PHASE', 'ORDERS'], rows)}\n${blockedTable(stats)}`;
}

function blockedTable({ blocked, blockedComplete, phases }: PhaseStats): string {
  if (blocked.length === 0) return '';
  const read = blocked.reduce((sum, seller) => sum + seller.orders, 0);
  const rows = blocked.map(({ sellerId, orders, reason, asked, sampleOrderId }) => [
    sellerId,
    blockedComplete !== false ? String(orders) : `at least ${orders}`,
    reason ??
      (asked
        ? 'unknown: no worker answered the status query'
        : `not asked (only the ${blocked.filter((seller) => seller.asked).length} sellers with the most are): ` +
          `solicit status ${sampleOrderId}`),
  ]);
  const heading =
    blockedComplete !== false
      ? 'blocked orders per seller:'
      : `blocked orders per seller, from the first ${read} of ${phases.blocked} blocked orders ` +
        `(other sellers may have blocked orders too):`;
  return `\n${heading}\n${table(['SELLER', 'BLOCKED', 'REASON'], rows)}\n`;
}
