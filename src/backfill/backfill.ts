import type { MarketplacesServed } from '../config/marketplaces';
import type { ReviewSolicitationInput, SolicitationPolicy } from '../domain/contract';
import type { StartOutcome } from '../orders/start';
import type { RatePlan } from '../orders/pacer';
import {
  noCounts,
  sweepSellerOrders,
  type SkippedOrder,
  type SweepCounts,
  type SweepWait,
} from '../orders/shipped-orders-sweep';
import type { SpApiRegion } from '../spapi/endpoints';
import { SpApiError } from '../spapi/errors';
import type { OrdersClient } from '../spapi/orders-client';

export type { SkippedOrder } from '../orders/shipped-orders-sweep';

export const DEFAULT_BACKFILL_DAYS = 40;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface BackfillOptions {
  orders: Pick<OrdersClient, 'searchOrders'>;
  /** The shared start path (`startOrder` of src/orders/start.ts) bound to a client and task queue. */
  start: (input: ReviewSolicitationInput) => Promise<StartOutcome>;
  /** Each seller's orders in turn. */
  sellerIds: readonly string[];
  region: SpApiRegion;
  /** None: every marketplace of `region`. */
  marketplaceIds?: readonly string[];
  days: number;
  policy: SolicitationPolicy;
  /** Orders of other marketplaces are skipped ('marketplace not served'); every one is served unless given. */
  marketplaces?: MarketplacesServed;
  /** 1 to 100 orders a page; Amazon's maximum by default, since pages are what the rate limit counts. */
  pageSize?: number;
  /** The pace of `searchOrders` calls per seller; Amazon's default plan unless the seller was granted more. */
  pace?: RatePlan;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (progress: BackfillProgress) => void;
  /** After each seller: its own counts, and Amazon's refusal if it ended the seller's sweep. */
  onSellerDone?: (seller: BackfillCounts & { sellerId: string; failed?: string }) => void;
}

export type BackfillCounts = SweepCounts;

export interface BackfillProgress extends BackfillCounts {
  sellerId: string;
  /** Set while backfill waits before its next `searchOrders` call, until `until` (epoch milliseconds). */
  waiting?: SweepWait;
}

export interface FailedSeller {
  sellerId: string;
  /** Amazon's refusal, after any retries; the seller's orders read before it were handled. */
  reason: string;
}

export interface BackfillSummary extends BackfillCounts {
  /** Orders updated at or after this instant were asked for. */
  since: string;
  skippedOrders: SkippedOrder[];
  failedSellers: FailedSeller[];
}

/**
 * Starts the workflow of every order shipped before ingest was running: pages through `searchOrders`
 * (Shipped orders updated in the last `days` days) and feeds each order through the same start path as
 * ingest, so a second run, or a run over orders ingest has seen, starts nothing new.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillSummary> {
  const now = options.now ?? Date.now;
  const since = new Date(now() - options.days * DAY_MS).toISOString();
  const counts = noCounts();
  const skippedOrders: SkippedOrder[] = [];
  const failedSellers: FailedSeller[] = [];

  for (const sellerId of options.sellerIds) {
    const before = { ...counts };
    let failed: string | undefined;
    try {
      await sweepSellerOrders({
        orders: options.orders,
        start: options.start,
        sellerId,
        region: options.region,
        ...(options.marketplaceIds !== undefined && { marketplaceIds: options.marketplaceIds }),
        since,
        policy: options.policy,
        marketplaces: options.marketplaces,
        pageSize: options.pageSize,
        pace: options.pace,
        now,
        sleep: options.sleep,
        counts,
        onSkipped: (order) => skippedOrders.push(order),
        onProgress: (waiting) => options.onProgress?.({ sellerId, ...counts, ...(waiting && { waiting }) }),
      });
    } catch (error) {
      // One seller's revoked authorization must not keep the others' orders from being started. A
      // failure of Temporal is no seller's: it ends the run.
      if (!(error instanceof SpApiError)) throw error;
      failedSellers.push({ sellerId, reason: error.message });
      failed = error.message;
    }
    const own = noCounts();
    for (const name of Object.keys(own) as (keyof BackfillCounts)[]) own[name] = counts[name] - before[name];
    options.onSellerDone?.({ sellerId, ...own, ...(failed !== undefined && { failed }) });
  }
  return { since, ...counts, skippedOrders, failedSellers };
}
