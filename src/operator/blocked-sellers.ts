import type { Client } from '@temporalio/client';
import { statusQuery } from '../domain/contract';
import { firstOrders, ordersQuery, phaseCondition, RUNNING, type OrderRow } from './visibility';

/**
 * `solicit stats`: the blocked orders per seller, so that an operator sees whose credential to fix without
 * opening every order. When the app's secret lapses every running order is blocked, so the list is made
 * from a bounded read (docs/spec.md "CLI": at most the first 1,000 blocked orders) and the reasons from a
 * few status queries, never one per seller: as fast with millions of orders as with ten.
 */

/** Blocked orders read for the list. */
export const BLOCKED_ORDERS_READ = 1000;
/** Sellers, those with the most blocked orders, whose reason is asked of a worker. */
export const REASONS_ASKED = 5;
/** A blocked order answers from a worker; one that does not answer within this leaves its reason out. */
const QUERY_TIMEOUT_MS = 5_000;

export interface BlockedSeller {
  sellerId: string;
  /** Among the orders read: all of the seller's when the list is complete, else at least this many. */
  orders: number;
  /**
   * The reason the status query of one of its blocked orders gives; null when no worker answered or when
   * the seller was not among those asked (`asked`).
   */
  reason: string | null;
  asked: boolean;
  /** One of its blocked orders: `solicit status` on it gives the reason. */
  sampleOrderId: string;
}

export interface BlockedList {
  sellers: BlockedSeller[];
  /** Blocked orders read; fewer than the blocked count when the list stops at its bound. */
  ordersRead: number;
  /** The read stopped at its bound: more blocked orders may match, and the counts may be "at least". */
  bounded: boolean;
}

interface SellerGroup {
  sellerId: string;
  orders: number;
  /** The order whose status query gives the seller's reason. */
  sample: string;
}

/** Blocked orders per seller, most orders first (then by seller ID); an order without a seller counts under ''. */
export function groupBySeller(rows: readonly Pick<OrderRow, 'amazonOrderId' | 'sellerId'>[]): SellerGroup[] {
  const groups = new Map<string, SellerGroup>();
  for (const { amazonOrderId, sellerId } of rows) {
    const key = sellerId ?? '';
    const group = groups.get(key) ?? { sellerId: key, orders: 0, sample: amazonOrderId };
    group.orders += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.orders - a.orders || a.sellerId.localeCompare(b.sellerId));
}

/**
 * The blocked orders per seller, from the first `read` blocked orders the filter matches: one list call for
 * up to 1,000 orders, and at most `reasonsAsked` status queries, run at once.
 */
export async function blockedSellers(
  client: Client,
  options: { filter?: string; read?: number; reasonsAsked?: number },
): Promise<BlockedList> {
  const { filter, read = BLOCKED_ORDERS_READ, reasonsAsked = REASONS_ASKED } = options;
  const rows = await firstOrders(client, ordersQuery(RUNNING, phaseCondition('blocked'), filter), read);
  const sellers = await Promise.all(
    groupBySeller(rows).map(async ({ sellerId, orders, sample }, rank) => {
      const asked = rank < reasonsAsked;
      return { sellerId, orders, reason: asked ? await reasonOf(client, sample) : null, asked, sampleOrderId: sample };
    }),
  );
  return { sellers, ordersRead: rows.length, bounded: rows.length === read };
}

function reasonOf(client: Client, amazonOrderId: string): Promise<string | null> {
  return client
    .withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => client.workflow.getHandle(amazonOrderId).query(statusQuery))
    .then(
      (status) => status.reason ?? null,
      () => null,
    );
}
