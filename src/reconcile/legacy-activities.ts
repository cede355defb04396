import { activityInfo, heartbeat, metricMeter, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { MarketplacesServed } from '../config/marketplaces';
import type { ReviewSolicitationInput, SolicitationPolicy } from '../domain/contract';
import { METRICS } from '../domain/metrics';
import { RECONCILE_NOT_CONFIGURED, type ReconcileSellerRequest, type SellerReconciliation } from './workflow/contract';
import type { Logger } from '../logging';
import type { RatePlan } from '../orders/pacer';
import { alreadyKnown, noCounts, sweepSellerOrders, type SweepCounts } from '../orders/shipped-orders-sweep';
import type { StartOutcome } from '../orders/start';
import { SpApiError } from '../spapi/errors';
import type { OrdersClient } from '../spapi/orders-client';

export interface LegacyReconcileDependencies {
  orders: Pick<OrdersClient, 'searchOrders'>;
  /** The one start path (`startOrder`) bound to a client and the workflows' task queue. */
  start: (input: ReviewSolicitationInput) => Promise<StartOutcome>;
  /**
   * The sellers to reconcile, asked at each run (the sellers file may have changed); undefined when the
   * worker cannot tell (a single LWA_REFRESH_TOKEN without SPAPI_SELLER_ID).
   */
  sellerIds: () => readonly string[] | undefined;
  /** The policy new orders are started with. */
  policy: SolicitationPolicy;
  /** Orders of other marketplaces are skipped ('marketplace not served'); every one is served unless given. */
  marketplaces?: MarketplacesServed;
  logger: Logger;
  /** `searchOrders` pace per seller; Amazon's default plan unless given. */
  pace?: RatePlan;
  pageSize?: number;
}

/** Where a seller's sweep stands, heartbeated after every page so that a retried attempt goes on from there. */
interface Checkpoint {
  nextToken: string;
  counts: SweepCounts;
  skippedByReason: Record<string, number>;
}

/** Heartbeats go out at least this often while a sweep waits for Amazon's pace (a page every three minutes). */
const HEARTBEAT_EVERY_MS = 10_000;

/**
 * The activities of `reconcileOrders` runs from before per-seller sweeps (src/reconcile/workflow/legacy.ts),
 * kept registered so that a run in flight across the deploy completes. Each seller's sweep pages
 * `searchOrders` within one activity, pacing itself to Amazon's plan.
 */
export function createLegacyReconcileActivities(deps: LegacyReconcileDependencies) {
  return {
    reconcileSellers(): Promise<string[]> {
      return Promise.resolve([...servedSellerIds(deps)]);
    },

    async reconcileSeller(request: ReconcileSellerRequest): Promise<SellerReconciliation> {
      const { sellerId } = request;
      const resumed = activityInfo().heartbeatDetails as Checkpoint | undefined;
      // A checkpoint heartbeated by an older worker may lack counts added since.
      const counts = { ...noCounts(), ...resumed?.counts };
      const skippedByReason = { ...resumed?.skippedByReason };
      let checkpoint = resumed;
      const started = metricMeter.createCounter(
        METRICS.reconcileStarted.name,
        undefined,
        METRICS.reconcileStarted.description,
      );
      let failed: string | undefined;
      try {
        await sweepSellerOrders({
          orders: deps.orders,
          start: async (input) => {
            const outcome = await deps.start(input);
            if (outcome === 'started') started.add(1, { seller: sellerId });
            return outcome;
          },
          sellerId,
          region: request.region,
          ...(request.marketplaceIds !== undefined && { marketplaceIds: request.marketplaceIds }),
          since: request.since,
          policy: deps.policy,
          marketplaces: deps.marketplaces,
          pageSize: deps.pageSize,
          pace: deps.pace,
          nextToken: resumed?.nextToken,
          counts,
          sleep: (ms) => waitHeartbeating(ms, () => checkpoint),
          onSkipped: ({ reason }) => {
            skippedByReason[reason] = (skippedByReason[reason] ?? 0) + 1;
          },
          onProgress: () => heartbeat(checkpoint),
          onPageDone: (nextToken) => {
            if (nextToken === undefined) return;
            checkpoint = { nextToken, counts: { ...counts }, skippedByReason: { ...skippedByReason } };
            heartbeat(checkpoint);
          },
        });
      } catch (error) {
        // Amazon refusing one seller (a revoked authorization, a region the seller does not sell in) ends
        // that seller's sweep, not the others'. Anything else (Temporal unreachable) is retried, from the
        // last page heartbeated.
        if (!(error instanceof SpApiError)) throw error;
        failed = error.message;
        deps.logger.error('reconciliation: Amazon refused the order search', { sellerId, error: error.message });
      }
      const result: SellerReconciliation = {
        sellerId,
        pages: counts.pages,
        found: counts.found,
        started: counts.started,
        alreadyKnown: alreadyKnown(counts),
        skipped: counts.skipped,
        skippedByReason,
        ...(failed !== undefined && { failed }),
      };
      if (result.started > 0) {
        deps.logger.warn('reconciliation started orders whose notification never came: check the subscription', {
          sellerId,
          started: result.started,
          found: result.found,
          since: request.since,
        });
      } else {
        deps.logger.info('reconciliation found no missing order', { sellerId, found: result.found });
      }
      return result;
    },
  };
}

/**
 * The sellers the worker reconciles; a non-retryable failure when it cannot tell (a single
 * LWA_REFRESH_TOKEN without SPAPI_SELLER_ID).
 */
export function servedSellerIds(deps: Pick<LegacyReconcileDependencies, 'sellerIds'>): readonly string[] {
  const sellerIds = deps.sellerIds();
  if (sellerIds === undefined) {
    throw ApplicationFailure.create({
      type: RECONCILE_NOT_CONFIGURED,
      nonRetryable: true,
      message:
        "SPAPI_SELLER_ID is not set on the worker: with a single LWA_REFRESH_TOKEN it names the token's seller, " +
        "whose orders reconciliation searches (Amazon's order data does not name the seller)",
    });
  }
  return sellerIds;
}

/** Sleeps `ms` in slices, heartbeating between them so the server sees the attempt alive; cancellable. */
async function waitHeartbeating(ms: number, checkpoint: () => Checkpoint | undefined): Promise<void> {
  for (let left = ms; left > 0; left -= HEARTBEAT_EVERY_MS) {
    heartbeat(checkpoint());
    await sleep(Math.min(left, HEARTBEAT_EVERY_MS));
  }
}
