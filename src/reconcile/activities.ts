import { Context, heartbeat, metricMeter } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ReviewSolicitationInput } from '../domain/contract';
import type { SpApiRegion } from '../domain/marketplaces';
import { METRICS } from '../domain/metrics';
import { planOrder } from '../orders/order-input';
import type { StartOnlyOutcome } from '../orders/start';
import { SpApiError } from '../spapi/errors';
import {
  createLegacyReconcileActivities,
  servedSellerIds,
  type LegacyReconcileDependencies,
} from './legacy-activities';
import { regionSweeps } from './plan';
import type { SweepLookup } from './sweeps';
import {
  REGION_REFUSED,
  SWEEP_REFUSED,
  type ReconcileSellerInput,
  type SellerNotSwept,
  type SellerSweepResult,
  type SweepTally,
} from './workflow/contract';
import { noTally } from './workflow/tally';

export interface ReconcileDependencies extends LegacyReconcileDependencies {
  /** Each seller's latest sweep, where its cursors are read from. */
  sweeps: SweepLookup;
  /** The marketplaces served for a seller (its `marketplaces`, or SOLICIT_MARKETPLACES); undefined: all. */
  servedMarketplaces: (sellerId: string) => readonly string[] | undefined;
  now?: () => number;
}

/** Which sellers, from where in the order of their IDs. */
interface SellerPage {
  after?: string;
  limit: number;
  sellerIds?: string[];
}

/** Heartbeats go out this often while sweeps are awaited. */
const HEARTBEAT_EVERY_MS = 10_000;

/**
 * The activities of `reconcileOrders` and `reconcileSeller` that run on the workflows' task queue: which
 * sellers and regions to sweep and from when, the counts of finished sweeps, and the metric of a completed
 * one. The `searchOrders` pages themselves run on a queue of their own (createSearchOrdersActivities).
 */
export function createReconcileActivities(deps: ReconcileDependencies) {
  const now = deps.now ?? Date.now;

  /** The sellers of the page, in the order of their IDs; `last` undefined when the page is the last. */
  const sellersOf = ({ after, limit, sellerIds: only }: SellerPage) => {
    const served = servedSellerIds(deps);
    const all = [...new Set(only ?? served)].sort();
    const rest = after === undefined ? all : all.filter((sellerId) => sellerId > after);
    const page = rest.slice(0, limit);
    return { page, served, last: rest.length > limit ? page.at(-1) : undefined };
  };

  return {
    ...createLegacyReconcileActivities(deps),

    /** The next page of sellers to sweep, each with its regions and windows, or why it is not swept. */
    async planSweeps(
      request: SellerPage & { regions?: SpApiRegion[]; days: number; force: boolean },
    ): Promise<{ sellers: (ReconcileSellerInput | SellerNotSwept)[]; last?: string }> {
      const { page, served, last } = sellersOf(request);
      const sellers = await Promise.all(
        page.map(async (sellerId): Promise<ReconcileSellerInput | SellerNotSwept> => {
          if (!served.includes(sellerId)) {
            return { sellerId, reason: 'not a seller this worker serves', failure: true };
          }
          const latest = await deps.sweeps.latest(sellerId);
          if (latest.status === 'running') {
            return { sellerId, reason: 'its previous sweep is still running', failure: false };
          }
          const cursors = latest.status === 'completed' ? latest.result.cursors : {};
          const regions = regionSweeps({
            served: deps.servedMarketplaces(sellerId),
            ...(request.regions !== undefined && { only: request.regions }),
            cursors,
            nowMs: now(),
            days: request.days,
            force: request.force,
          });
          if (regions.length === 0)
            return { sellerId, reason: 'no marketplace served in the regions asked', failure: false };
          return { sellerId, regions, cursors };
        }),
      );
      return { sellers, ...(last !== undefined && { last }) };
    },

    /**
     * The results of the page's sellers whose sweep `run` started, once each has finished; a seller whose
     * latest sweep belongs to another run (its previous one still running) was reported when planned.
     */
    async collectSweeps(
      request: SellerPage & { run: string },
    ): Promise<{ results: SellerSweepResult[]; last?: string }> {
      const { page, last } = sellersOf(request);
      const beat = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        const results = await Promise.all(
          page.map(async (sellerId) => {
            const latest = await deps.sweeps.latest(sellerId);
            if (latest.run !== request.run) return undefined;
            if (latest.status === 'completed') return latest.result;
            return deps.sweeps.result(sellerId);
          }),
        );
        Context.current().cancellationSignal.throwIfAborted();
        return {
          results: results.filter((result): result is SellerSweepResult => result !== undefined),
          ...(last !== undefined && { last }),
        };
      } finally {
        clearInterval(beat);
      }
    },

    /** `reconcile_last_success_timestamp_seconds{seller}`: set when all the seller's regions completed. */
    recordSweep({ sellerId, completed }: { sellerId: string; completed: boolean }): Promise<void> {
      if (!completed) return Promise.resolve();
      // The activity's meter exists only within an activity.
      metricMeter
        .createGauge(METRICS.reconcileLastSuccess.name, 'int', undefined, METRICS.reconcileLastSuccess.description)
        .set(Math.floor(now() / 1000), { seller: sellerId });
      return Promise.resolve();
    },
  };
}

export interface SearchOrdersDependencies {
  orders: LegacyReconcileDependencies['orders'];
  /** Starts an order's workflow and never signals a running one (`startOnly`), bound to a client and task queue. */
  startOnly: (input: ReviewSolicitationInput) => Promise<StartOnlyOutcome>;
  policy: LegacyReconcileDependencies['policy'];
  marketplaces?: LegacyReconcileDependencies['marketplaces'];
  logger: LegacyReconcileDependencies['logger'];
  pageSize?: number;
  now?: () => number;
}

export interface SearchOrdersPageRequest {
  sellerId: string;
  region: SpApiRegion;
  marketplaceIds: string[];
  lastUpdatedAfter: string;
  lastUpdatedBefore: string;
  nextToken?: string;
}

/**
 * The activity of the `searchOrders` task queue: one page of a seller-region's Shipped orders, each missing
 * one started. The server dispatches these at `SPAPI_SEARCH_ORDERS_RPS` per seller (docs/spec.md "SP-API
 * pacing"), so a page never waits inside an activity, and a retry (a 429, a 5xx) is paced like a page.
 */
export function createSearchOrdersActivities(deps: SearchOrdersDependencies) {
  const now = deps.now ?? Date.now;
  return {
    async searchOrdersPage(request: SearchOrdersPageRequest): Promise<{ tally: SweepTally; nextToken?: string }> {
      const { sellerId } = request;
      let page;
      try {
        page = await deps.orders.searchOrders(
          {
            sellerId,
            region: request.region,
            marketplaceIds: request.marketplaceIds,
            lastUpdatedAfter: request.lastUpdatedAfter,
            lastUpdatedBefore: request.lastUpdatedBefore,
            fulfillmentStatuses: ['SHIPPED'],
            maxResultsPerPage: deps.pageSize ?? 100,
          },
          request.nextToken,
        );
      } catch (error) {
        throw searchFailure(error);
      }
      const started = metricMeter.createCounter(
        METRICS.reconcileStarted.name,
        undefined,
        METRICS.reconcileStarted.description,
      );
      const tally = noTally();
      tally.pages = 1;
      for (const order of page.orders) {
        tally.found += 1;
        const plan = planOrder(order, sellerId, deps.policy, now(), deps.marketplaces);
        if (plan.action === 'skip') {
          tally.skipped += 1;
          tally.skippedByReason[plan.reason] = (tally.skippedByReason[plan.reason] ?? 0) + 1;
          continue;
        }
        const outcome = await deps.startOnly(plan.input);
        tally[outcome] += 1;
        if (outcome === 'started') started.add(1, { seller: sellerId });
        if (outcome === 'conflict') {
          deps.logger.warn('reconciliation: a workflow of another type holds the order ID; left alone', {
            sellerId,
            amazonOrderId: plan.input.amazonOrderId,
          });
        }
      }
      return { tally, ...(page.nextToken !== undefined && { nextToken: page.nextToken }) };
    },
  };
}

/** Amazon's refusal as the sweep reads it: a region skipped, a seller that cannot be searched, or a retry. */
function searchFailure(error: unknown): unknown {
  if (!(error instanceof SpApiError)) return error;
  if (error.kind === 'region-refused') {
    return ApplicationFailure.create({ type: REGION_REFUSED, message: error.message, nonRetryable: true });
  }
  if (['credential-refused', 'seller-not-configured', 'invalid-input'].includes(error.kind)) {
    return ApplicationFailure.create({ type: SWEEP_REFUSED, message: error.message, nonRetryable: true });
  }
  return ApplicationFailure.create({
    type: error.kind,
    message: error.message,
    ...(error.kind === 'throttled' && { nextRetryDelay: error.details.retryAfterMs }),
  });
}
