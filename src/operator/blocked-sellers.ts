import type { Client } from '@temporalio/client';
import { statusQuery } from '../domain/contract';
import { forEachOrder, ordersQuery, phaseCondition, RUNNING, type OrderRow } from './visibility';

/**
 * `solicit stats`: the blocked orders per seller, each seller with the reason one of its orders gives, so
 * that an operator sees whose credential to fix without opening every order.
 */

/** A blocked order answers from a worker; one that does not answer within this leaves its reason out. */
const QUERY_TIMEOUT_MS = 5_000;

export interface BlockedSeller {
  sellerId: string;
  orders: number;
  /** The reason the status query of one of its blocked orders gives; null when no worker answered. */
  reason: string | null;
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

export async function blockedSellers(client: Client, filter?: string): Promise<BlockedSeller[]> {
  const query = ordersQuery(RUNNING, phaseCondition('blocked'), filter);
  const rows: OrderRow[] = [];
  await forEachOrder(client, query, (order) => rows.push(order));
  return Promise.all(
    groupBySeller(rows).map(async ({ sellerId, orders, sample }) => ({
      sellerId,
      orders,
      reason: await client
        .withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => client.workflow.getHandle(sample).query(statusQuery))
        .then(
          (status) => status.reason ?? null,
          () => null,
        ),
    })),
  );
}
