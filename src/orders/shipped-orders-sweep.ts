import { setTimeout as delay } from 'node:timers/promises';
import type { MarketplacesServed } from '../config/marketplaces';
import type { ReviewSolicitationInput, SolicitationPolicy } from '../domain/contract';
import type { SpApiRegion } from '../spapi/endpoints';
import { SpApiError } from '../spapi/errors';
import type { OrdersClient, OrdersPage, SearchOrdersQuery } from '../spapi/orders-client';
import { DEFAULT_BURST, DEFAULT_RATE_PER_SECOND, retryAfterMs } from '../spapi/usage-plans';
import { planOrder, type SkipReason } from './order-input';
import { Pacer, type RatePlan } from './pacer';
import type { StartOutcome } from './start';

/**
 * The one implementation of "page `searchOrders`, start what is missing", shared by `solicit backfill`
 * and the `reconcileOrders` activities: one seller's Shipped orders updated since an instant, each fed
 * through the one start path (src/orders/start.ts), so that an order that has a workflow gets no second one.
 */

/** Amazon's default plan for `searchOrders`: 20 pages at once, then one every three minutes. */
export const SEARCH_ORDERS_PLAN: RatePlan = {
  ratePerSecond: DEFAULT_RATE_PER_SECOND.searchOrders!,
  burst: DEFAULT_BURST.searchOrders!,
};

/** A 5xx or a network failure is retried this many times, after 1, 2, 4 ... seconds, before the sweep gives up. */
const TRANSIENT_RETRIES = 4;

export interface SweepCounts {
  /** `searchOrders` pages read. */
  pages: number;
  /** Distinct orders Amazon returned. */
  found: number;
  /** Orders whose workflow this sweep started. */
  started: number;
  /** Orders whose workflow was running already (it got the same `orderUpdated` as a repeated notification). */
  signalled: number;
  /** Orders whose workflow was running already with the same window: nothing sent to it. */
  unchanged: number;
  /** Orders whose workflow had already ended. */
  closed: number;
  skipped: number;
}

export function noCounts(): SweepCounts {
  return { pages: 0, found: 0, started: 0, signalled: 0, unchanged: 0, closed: 0, skipped: 0 };
}

/** Orders that had a workflow before the sweep, running or closed: what backfill and reconciliation call "already known". */
export function alreadyKnown(counts: Pick<SweepCounts, 'signalled' | 'unchanged' | 'closed'>): number {
  return counts.signalled + counts.unchanged + counts.closed;
}

export interface SkippedOrder {
  amazonOrderId: string;
  sellerId: string;
  reason: SkipReason;
  detail: string;
}

/** Set while the sweep waits before its next `searchOrders` call, until `until` (epoch milliseconds). */
export interface SweepWait {
  reason: 'rate limit' | 'retry';
  ms: number;
  until: number;
}

export interface SellerSweepOptions {
  orders: Pick<OrdersClient, 'searchOrders'>;
  /** The shared start path (`startOrder`) bound to a client and task queue. */
  start: (input: ReviewSolicitationInput) => Promise<StartOutcome>;
  sellerId: string;
  region: SpApiRegion;
  /** None: every marketplace of `region`. */
  marketplaceIds?: readonly string[];
  /** Orders updated at or after this instant (ISO-8601). Fixed for the sweep: Amazon's page token holds it. */
  since: string;
  policy: SolicitationPolicy;
  /** Orders of other marketplaces are skipped ('marketplace not served'); every one is served unless given. */
  marketplaces?: MarketplacesServed;
  /** 1 to 100 orders a page; Amazon's maximum by default, since pages are what the rate limit counts. */
  pageSize?: number;
  /** The pace of `searchOrders` calls for the seller; Amazon's default plan unless the seller was granted more. */
  pace?: RatePlan;
  /** The page token to go on from, when an interrupted sweep resumes. */
  nextToken?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Counted in place, so a caller sees what was done before a failure, and can carry totals across sellers. */
  counts: SweepCounts;
  onSkipped?: (order: SkippedOrder) => void;
  /** After each order, and while waiting for the pace or a retry. */
  onProgress?: (wait?: SweepWait) => void;
  /** After each page has been handled: the token of the next page, none at the end. */
  onPageDone?: (nextToken: string | undefined) => void;
}

/** Throws the `SpApiError` Amazon ended the sweep with (after any retries); a Temporal failure as it came. */
export async function sweepSellerOrders(options: SellerSweepOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const { counts, sellerId } = options;
  const query: SearchOrdersQuery = {
    sellerId,
    region: options.region,
    ...(options.marketplaceIds !== undefined && { marketplaceIds: options.marketplaceIds }),
    lastUpdatedAfter: options.since,
    fulfillmentStatuses: ['SHIPPED'],
    maxResultsPerPage: options.pageSize ?? 100,
  };
  const pages = new PageReader(
    options.orders,
    query,
    new Pacer(options.pace ?? SEARCH_ORDERS_PLAN, now),
    { now, sleep: options.sleep ?? ((ms: number) => delay(ms)), report: (wait) => options.onProgress?.(wait) },
    options.nextToken,
  );
  // A page boundary that moves while paging can show an order twice; it is one order.
  const seen = new Set<string>();
  for (let page = await pages.next(); page !== undefined; page = await pages.next()) {
    counts.pages += 1;
    options.onProgress?.();
    for (const order of page.orders) {
      if (seen.has(order.orderId)) continue;
      seen.add(order.orderId);
      counts.found += 1;
      const plan = planOrder(order, sellerId, options.policy, now(), options.marketplaces);
      if (plan.action === 'skip') {
        counts.skipped += 1;
        options.onSkipped?.({ amazonOrderId: plan.amazonOrderId, sellerId, reason: plan.reason, detail: plan.detail });
      } else {
        counts[await options.start(plan.input)] += 1;
      }
      options.onProgress?.();
    }
    options.onPageDone?.(page.nextToken);
  }
}

/** One seller's pages in order, each asked for when the pace allows, a 429 or a 5xx waited out and asked again. */
class PageReader {
  private done = false;

  constructor(
    private readonly orders: Pick<OrdersClient, 'searchOrders'>,
    private readonly query: SearchOrdersQuery,
    private readonly pacer: Pacer,
    private readonly io: {
      now: () => number;
      sleep: (ms: number) => Promise<void>;
      report: (wait: SweepWait) => void;
    },
    private nextToken: string | undefined,
  ) {}

  async next(): Promise<OrdersPage | undefined> {
    if (this.done) return undefined;
    let failures = 0;
    for (;;) {
      for (let wait = this.pacer.delayMs(); wait > 0; wait = this.pacer.delayMs()) {
        await this.wait('rate limit', wait);
      }
      this.pacer.take();
      try {
        const page = await this.orders.searchOrders(this.query, this.nextToken);
        this.nextToken = page.nextToken;
        this.done = page.nextToken === undefined;
        return page;
      } catch (error) {
        if (!(error instanceof SpApiError)) throw error;
        if (error.kind === 'throttled') {
          // The same page again once Amazon's bucket holds a token: nothing is lost or read twice.
          this.pacer.empty();
          await this.wait('rate limit', error.details.retryAfterMs ?? retryAfterMs('searchOrders', undefined));
        } else if (error.kind === 'transient' && failures < TRANSIENT_RETRIES) {
          await this.wait('retry', 1000 * 2 ** failures);
          failures += 1;
        } else {
          throw error;
        }
      }
    }
  }

  private async wait(reason: SweepWait['reason'], ms: number): Promise<void> {
    this.io.report({ reason, ms, until: this.io.now() + ms });
    await this.io.sleep(ms);
  }
}
