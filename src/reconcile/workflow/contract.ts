/**
 * The reconciliation contract (SPEC.md, "Reconciliation"): the `reconcileOrders` workflow, its
 * `reconcile-orders` schedule and the counts it returns, shared by the workflow, its activities, `solicit
 * setup` and `solicit reconcile`.
 *
 * Safe inside the workflow sandbox: it imports types only.
 */
import type { SpApiRegion } from '../../domain/marketplaces';

export const RECONCILE_WORKFLOW_TYPE = 'reconcileOrders';
export const RECONCILE_SCHEDULE_ID = 'reconcile-orders';
/** Workflow IDs of `solicit reconcile` runs: the prefix and the instant asked. */
export const MANUAL_RECONCILE_PREFIX = 'reconcile-orders-manual-';
/** Failure type of a worker that cannot tell which sellers to reconcile: no retry helps until it is configured. */
export const RECONCILE_NOT_CONFIGURED = 'ReconcileNotConfigured';

/** The workflow's one argument. Fields absent: the defaults below. */
export interface ReconcileOrdersInput {
  /** How far back to look (SPEC: `RECONCILE_DAYS`). */
  days: number;
  /** The selling region asked when no marketplace is named (default `na`). */
  region?: SpApiRegion;
  /** Only these marketplaces, all of one region; none: every marketplace of `region`. */
  marketplaceIds?: string[];
}

/** What one seller's activity is asked. `since` is fixed by the workflow, so a retried activity asks the same. */
export interface ReconcileSellerRequest {
  sellerId: string;
  since: string;
  region: SpApiRegion;
  marketplaceIds?: string[];
}

export interface SellerReconciliation {
  sellerId: string;
  /** `searchOrders` pages read. */
  pages: number;
  /** Distinct Shipped orders Amazon returned. */
  found: number;
  /** Shipped orders that had no workflow: their notification never came. */
  started: number;
  /** Orders with a workflow already, running or closed. */
  alreadyKnown: number;
  skipped: number;
  /** Skipped orders by reason ('window closed', 'not an Amazon order', ...). */
  skippedByReason: Record<string, number>;
  /** Amazon refused the seller's search (after retries); the counts are of the orders handled before. */
  failed?: string;
}

export interface ReconcileOrdersResult {
  /** Orders updated at or after this instant were asked for. */
  since: string;
  days: number;
  sellers: SellerReconciliation[];
  totals: Omit<SellerReconciliation, 'sellerId' | 'failed'>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function reconcileSince(nowMs: number, days: number): string {
  return new Date(nowMs - days * DAY_MS).toISOString();
}

/** The sums over every seller. */
export function reconcileTotals(sellers: readonly SellerReconciliation[]): ReconcileOrdersResult['totals'] {
  const totals: ReconcileOrdersResult['totals'] = {
    pages: 0,
    found: 0,
    started: 0,
    alreadyKnown: 0,
    skipped: 0,
    skippedByReason: {},
  };
  for (const seller of sellers) {
    totals.pages += seller.pages;
    totals.found += seller.found;
    totals.started += seller.started;
    totals.alreadyKnown += seller.alreadyKnown;
    totals.skipped += seller.skipped;
    for (const [reason, count] of Object.entries(seller.skippedByReason)) {
      totals.skippedByReason[reason] = (totals.skippedByReason[reason] ?? 0) + count;
    }
  }
  return totals;
}
