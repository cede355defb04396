import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { sellerFairnessKey } from '../../domain/fairness-key';
import type { createReconcileActivities, createSearchOrdersActivities } from '../activities';
import {
  REGION_REFUSED,
  SEARCH_ORDERS_OPERATION,
  SWEEP_REFUSED,
  searchOrdersTaskQueue,
  type ReconcileSellerInput,
  type SellerSweepResult,
} from './contract';
import { addTally, noTally, regionFailed } from './tally';

type SearchOrdersActivities = ReturnType<typeof createSearchOrdersActivities>;
type ReconcileActivities = ReturnType<typeof createReconcileActivities>;

/** Amazon wants `lastUpdatedBefore` at least 2 minutes before the call; fixed before the first page, it is. */
const SETTLED_MS = 2 * 60 * 1000;
/**
 * Pages read by one run before it continues as new: each page is an activity (about 6 events), so a run
 * stays near 3,000 events however many pages a big seller has.
 */
const PAGES_PER_RUN = 500;

const { recordSweep } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute', maximumAttempts: 10 },
});

/**
 * One seller's sweep over its regions (docs/spec.md "Reconciliation"): each region's Shipped orders updated
 * in its window, page by page, each page an activity on the `searchOrders` task queue, where the server
 * paces the seller to `SPAPI_SEARCH_ORDERS_RPS` (fairness key `<sellerId>:searchOrders`). A region Amazon
 * refuses is skipped with its reason; one that keeps failing is retried for about two hours, then reported,
 * and its cursor stays where it was; either way the other regions go on, and the sweep completes.
 */
export async function reconcileSeller(input: ReconcileSellerInput): Promise<SellerSweepResult> {
  const { sellerId } = input;
  const { searchOrdersPage } = proxyActivities<SearchOrdersActivities>({
    taskQueue: searchOrdersTaskQueue(workflowInfo().taskQueue),
    priority: { fairnessKey: sellerFairnessKey(sellerId, SEARCH_ORDERS_OPERATION) },
    // One page and the starts of its orders; a page waits its turn in the queue, not in the activity.
    startToCloseTimeout: '5 minutes',
    retry: {
      initialInterval: '1 minute',
      backoffCoefficient: 2,
      maximumInterval: '30 minutes',
      // About two hours of retries: a sweep that keeps failing is reported within the interval.
      maximumAttempts: 8,
      nonRetryableErrorTypes: [REGION_REFUSED, SWEEP_REFUSED],
    },
  });
  const done = [...(input.progress?.done ?? [])];
  let current = input.progress?.current;
  let nextToken = input.progress?.nextToken;
  let pages = 0;
  for (const sweep of input.regions.slice(done.length)) {
    current ??= {
      ...sweep,
      lastUpdatedBefore: new Date(Date.now() - SETTLED_MS).toISOString(),
      ...noTally(),
    };
    try {
      for (;;) {
        if (pages >= (input.pagesPerRun ?? PAGES_PER_RUN) || workflowInfo().continueAsNewSuggested) {
          await continueAsNew<typeof reconcileSeller>({ ...input, progress: { done, current, nextToken } });
        }
        const page = await searchOrdersPage({
          sellerId,
          region: sweep.region,
          marketplaceIds: sweep.marketplaceIds,
          lastUpdatedAfter: sweep.lastUpdatedAfter,
          lastUpdatedBefore: current.lastUpdatedBefore!,
          ...(nextToken !== undefined && { nextToken }),
        });
        pages += 1;
        addTally(current, page.tally);
        nextToken = page.nextToken;
        if (nextToken === undefined) break;
      }
    } catch (error) {
      // Continue-as-new is thrown too, and must go through.
      if (!(error instanceof ActivityFailure)) throw error;
      const failure = error.cause;
      const reason = failure?.message ?? error.message;
      if (failure instanceof ApplicationFailure && failure.type === REGION_REFUSED) current.refused = reason;
      else current.failed = reason;
      nextToken = undefined;
    }
    done.push(current);
    current = undefined;
  }
  const cursors = { ...input.cursors };
  for (const region of done) {
    // A refused region has no orders to go on from; a failed one goes on from where it was.
    if (region.refused === undefined && !regionFailed(region)) cursors[region.region] = region.lastUpdatedBefore;
  }
  await recordSweep({ sellerId, completed: !done.some(regionFailed) });
  return { sellerId, regions: done, cursors };
}
