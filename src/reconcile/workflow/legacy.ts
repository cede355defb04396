import { proxyActivities } from '@temporalio/workflow';
import type { createReconcileActivities } from '../activities';
import {
  planActivityOptions,
  reconcileSince,
  reconcileTotals,
  type ReconcileOrdersInput,
  type ReconcileOrdersResult,
  type SellerReconciliation,
} from './contract';

type ReconcileActivities = ReturnType<typeof createReconcileActivities>;

const { reconcileSellers } = proxyActivities<ReconcileActivities>(planActivityOptions('1 minute'));

// A seller with many orders takes a page every three minutes after the first 20 (Amazon's plan): hours for
// a big one. The heartbeat carries the page token, so an attempt cut short (a worker restart) goes on from
// the last page it finished, and only a worker that stops answering for a minute costs a retry.
const { reconcileSeller } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Sellers swept at once: each has its own Amazon allowance, and a big one must not hold up the rest. */
const SELLERS_AT_ONCE = 8;

/**
 * `reconcileOrders` as runs recorded before per-seller sweeps did it, kept so that they replay (a run in
 * flight across the deploy ends this way): one activity per seller, the North American host unless told.
 * Not a workflow of its own: `reconcileOrders` calls it for those runs.
 */
export async function legacyReconcileOrders(input: ReconcileOrdersInput): Promise<ReconcileOrdersResult> {
  const since = reconcileSince(Date.now(), input.days);
  const sellerIds = await reconcileSellers();
  const sellers: SellerReconciliation[] = new Array<SellerReconciliation>(sellerIds.length);
  let next = 0;
  const sweep = async (): Promise<void> => {
    while (next < sellerIds.length) {
      const index = next++;
      sellers[index] = await reconcileSeller({
        sellerId: sellerIds[index]!,
        since,
        region: input.region ?? 'na',
        ...(input.marketplaceIds !== undefined && { marketplaceIds: input.marketplaceIds }),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(SELLERS_AT_ONCE, sellerIds.length) }, sweep));
  return { since, days: input.days, sellers, totals: reconcileTotals(sellers) };
}
