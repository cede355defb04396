import { setTimeout as delay } from 'node:timers/promises';
import type { ReviewSolicitationInput, SolicitationPolicy } from '../domain/contract';
import type { StartOutcome } from '../orders/start';
import type { SpApiRegion } from '../spapi/endpoints';
import { SpApiError } from '../spapi/errors';
import type { OrdersClient, OrdersPage, SearchOrdersQuery } from '../spapi/orders-client';
import { DEFAULT_BURST, DEFAULT_RATE_PER_SECOND, retryAfterMs } from '../spapi/usage-plans';
import { planOrder, type SkipReason } from './order-input';
import { Pacer, type RatePlan } from './pacer';

export const DEFAULT_BACKFILL_DAYS = 40;

/** Amazon's default plan for `searchOrders`: 20 pages at once, then one every three minutes. */
export const SEARCH_ORDERS_PLAN: RatePlan = {
  ratePerSecond: DEFAULT_RATE_PER_SECOND.searchOrders!,
  burst: DEFAULT_BURST.searchOrders!,
};

/** A 5xx or a network failure is retried this many times, after 1, 2, 4 ... seconds, before backfill gives up. */
const TRANSIENT_RETRIES = 4;
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
  /** 1 to 100 orders a page; Amazon's maximum by default, since pages are what the rate limit counts. */
  pageSize?: number;
  /** The pace of `searchOrders` calls per seller; Amazon's default plan unless the seller was granted more. */
  pace?: RatePlan;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillCounts {
  /** `searchOrders` pages read. */
  pages: number;
  /** Distinct orders Amazon returned. */
  found: number;
  /** Orders whose workflow this run started. */
  started: number;
  /** Orders whose workflow was running already (it got the same `orderUpdated` as a repeated notification). */
  signalled: number;
  /** Orders whose workflow had already ended. */
  closed: number;
  skipped: number;
}

export interface BackfillProgress extends BackfillCounts {
  sellerId: string;
  /** Set while backfill waits before its next `searchOrders` call, until `until` (epoch milliseconds). */
  waiting?: { reason: 'rate limit' | 'retry'; ms: number; until: number };
}

export interface SkippedOrder {
  amazonOrderId: string;
  sellerId: string;
  reason: SkipReason;
  detail: string;
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
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const since = new Date(now() - options.days * DAY_MS).toISOString();
  const counts: BackfillCounts = { pages: 0, found: 0, started: 0, signalled: 0, closed: 0, skipped: 0 };
  const skippedOrders: SkippedOrder[] = [];
  const seen = new Set<string>();

  const failedSellers: FailedSeller[] = [];

  for (const sellerId of options.sellerIds) {
    const report = (waiting?: BackfillProgress['waiting']) =>
      options.onProgress?.({ sellerId, ...counts, ...(waiting && { waiting }) });
    const query: SearchOrdersQuery = {
      sellerId,
      region: options.region,
      ...(options.marketplaceIds !== undefined && { marketplaceIds: options.marketplaceIds }),
      lastUpdatedAfter: since,
      fulfillmentStatuses: ['SHIPPED'],
      maxResultsPerPage: options.pageSize ?? 100,
    };
    const pages = new PageReader(options.orders, query, new Pacer(options.pace ?? SEARCH_ORDERS_PLAN, now), {
      now,
      sleep,
      report,
    });
    try {
      for (let page = await pages.next(); page !== undefined; page = await pages.next()) {
        counts.pages += 1;
        report();
        for (const order of page.orders) {
          // A page boundary that moves while paging can show an order twice; it is one order.
          if (seen.has(order.orderId)) continue;
          seen.add(order.orderId);
          counts.found += 1;
          const plan = planOrder(order, sellerId, options.policy, now());
          if (plan.action === 'skip') {
            counts.skipped += 1;
            skippedOrders.push({
              amazonOrderId: plan.amazonOrderId,
              sellerId,
              reason: plan.reason,
              detail: plan.detail,
            });
          } else {
            counts[await options.start(plan.input)] += 1;
          }
          report();
        }
      }
    } catch (error) {
      // One seller's revoked authorization must not keep the others' orders from being started. A
      // failure of Temporal is no seller's: it ends the run.
      if (!(error instanceof SpApiError)) throw error;
      failedSellers.push({ sellerId, reason: error.message });
    }
  }
  return { since, ...counts, skippedOrders, failedSellers };
}

/** One seller's pages in order, each asked for when the pace allows, a 429 or a 5xx waited out and asked again. */
class PageReader {
  private nextToken: string | undefined;
  private done = false;

  constructor(
    private readonly orders: Pick<OrdersClient, 'searchOrders'>,
    private readonly query: SearchOrdersQuery,
    private readonly pacer: Pacer,
    private readonly io: {
      now: () => number;
      sleep: (ms: number) => Promise<void>;
      report: (waiting: BackfillProgress['waiting']) => void;
    },
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

  private async wait(reason: 'rate limit' | 'retry', ms: number): Promise<void> {
    this.io.report({ reason, ms, until: this.io.now() + ms });
    await this.io.sleep(ms);
  }
}
