/**
 * The reconciliation contract (docs/spec.md "Reconciliation"): the `reconcileOrders` workflow, its
 * `reconcile-orders` schedule, one `reconcileSeller` child per seller, and the counts they return, shared by
 * the workflows, their activities, `solicit setup` and `solicit reconcile`.
 *
 * Safe inside the workflow sandbox: it imports types and the plain arithmetic of ./tally only.
 */
import type { ActivityOptions, Duration } from '@temporalio/common';
import type { SpApiRegion } from '../../domain/marketplaces';
import { addCounts } from './tally';

export const RECONCILE_WORKFLOW_TYPE = 'reconcileOrders';
export const RECONCILE_SCHEDULE_ID = 'reconcile-orders';
/** Workflow IDs of `solicit reconcile` runs: the prefix and the instant asked. */
export const MANUAL_RECONCILE_PREFIX = 'reconcile-orders-manual-';
/** Failure type of a worker that cannot tell which sellers to reconcile: no retry helps until it is configured. */
export const RECONCILE_NOT_CONFIGURED = 'ReconcileNotConfigured';

/**
 * The options of the activities that list the sellers to sweep: retried, except when the worker cannot
 * tell who they are.
 */
export function planActivityOptions(startToCloseTimeout: Duration): ActivityOptions {
  return {
    startToCloseTimeout,
    retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [RECONCILE_NOT_CONFIGURED] },
  };
}

/** The workflow's one argument. Fields absent: the defaults below. */
export interface ReconcileOrdersInput {
  /**
   * How far back a seller-region's first sweep looks (docs/spec.md: `RECONCILE_DAYS`); later sweeps go on from the
   * last completed one, unless `force`.
   */
  days: number;
  /** Every sweep looks back `days`, whatever the last completed one (`solicit reconcile --days N`). */
  force?: boolean;
  /** Only these sellers (`--seller`); none: every seller the worker serves. */
  sellerIds?: string[];
  /** Only these regions (`--region`); none: every region where each seller sells. */
  regions?: SpApiRegion[];
  /** Where a run that continued as new stands; absent at the start. */
  progress?: ReconcileProgress;
  /** Sweeps a run starts before it continues as new (default 500); smaller in tests. */
  sweepsPerRun?: number;
  /** Pages a seller's sweep reads before it continues as new (default 500); smaller in tests. */
  pagesPerRun?: number;
  /** Runs recorded before per-seller sweeps: the region asked (default `na`); ignored by later runs. */
  region?: SpApiRegion;
  /** Runs recorded before per-seller sweeps: only these marketplaces; ignored by later runs. */
  marketplaceIds?: string[];
}

/** The workflow type of one seller's sweep, a child of `reconcileOrders`. */
export const RECONCILE_SELLER_WORKFLOW_TYPE = 'reconcileSeller';
/**
 * A seller's sweeps all have this workflow ID, so at most one runs at a time and the last one's result (its
 * cursors) is found by ID alone, whichever run started it.
 */
export function sellerSweepWorkflowId(sellerId: string): string {
  return `${RECONCILE_SCHEDULE_ID}/${sellerId}`;
}
/** The `searchOrders` task queue (docs/spec.md, "SP-API pacing"): its own, so its rate never mixes with the Solicitations calls'. */
export function searchOrdersTaskQueue(taskQueue: string): string {
  return `${taskQueue}-spapi-orders`;
}
export const SEARCH_ORDERS_OPERATION = 'searchOrders';
/** Failure type of a region where Amazon refuses the seller's search: skipped with that reason, never retried. */
export const REGION_REFUSED = 'RegionRefused';
/** Failure type of a seller whose search cannot be made (its authorization refused, not configured): reported. */
export const SWEEP_REFUSED = 'SweepRefused';

/** One selling region of a seller to sweep, and from when. */
export interface RegionSweep {
  region: SpApiRegion;
  /** The region's marketplaces served for the seller: every request names them. */
  marketplaceIds: string[];
  /** Orders updated at or after this instant: the last completed sweep's end minus an hour, or `days` back. */
  lastUpdatedAfter: string;
}

/** The counts of one seller-region sweep (docs/spec.md, "Reconciliation", "Result"). */
export interface SweepTally {
  /** `searchOrders` pages read. */
  pages: number;
  /** Distinct Shipped orders Amazon returned. */
  found: number;
  /** Shipped orders that had no workflow: their notification never came. */
  started: number;
  /** Orders whose workflow is running: left alone, never signalled. */
  known: number;
  /** Orders whose workflow has ended. */
  closed: number;
  /** Orders whose ID a workflow of another type holds: logged, never signalled. */
  conflict: number;
  skipped: number;
  /** Skipped orders by reason ('window closed', 'not an Amazon order', ...). */
  skippedByReason: Record<string, number>;
}

export interface RegionReconciliation extends SweepTally {
  region: SpApiRegion;
  marketplaceIds: string[];
  lastUpdatedAfter: string;
  /** The end of the window asked, fixed at the region's first page: the cursor once the sweep completes. */
  lastUpdatedBefore?: string;
  /** Amazon refused the seller's search in this region (403 after a fresh token): skipped, not a failure. */
  refused?: string;
  /** The sweep kept failing past its retries: reported; the next sweep starts from the same cursor. */
  failed?: string;
}

/** What `reconcileSeller` is asked. */
export interface ReconcileSellerInput {
  sellerId: string;
  regions: RegionSweep[];
  /** The cursors of the last completed sweeps, by region: carried into the result for the regions not swept now. */
  cursors: Partial<Record<SpApiRegion, string>>;
  /** Where a sweep that continued as new stands. */
  progress?: { done: RegionReconciliation[]; current?: RegionReconciliation; nextToken?: string };
  /** Pages read before continuing as new (default 500). */
  pagesPerRun?: number;
}

export interface SellerSweepResult {
  sellerId: string;
  regions: RegionReconciliation[];
  /** Per region, the end of its last completed sweep: where the next one goes on from (less an hour). */
  cursors: Partial<Record<SpApiRegion, string>>;
}

/** A seller whose sweep the run did not start, and why (one of its own still running, the search impossible). */
export interface SellerNotSwept {
  sellerId: string;
  reason: string;
  /** A fault to report (a seller named that the worker does not serve), not a sweep already under way. */
  failure: boolean;
}

/** Where a run stands, carried through continue-as-new. */
export interface ReconcileProgress {
  phase: 'start' | 'collect';
  /** Sellers are taken in the order of their IDs: the last one handled in this phase. */
  after?: string;
  sellersStarted: number;
  sellersDone: number;
  regionsDone: number;
  totals: SweepTally;
  /** The sellers with something to report (started, conflict, refused, failed, not swept), in full. */
  notable: (SellerSweepResult | SellerNotSwept)[];
  /** Sellers to report past the first 500, counted only. */
  notableOmitted: number;
  /** Sellers that could not be swept, and seller-regions that failed: a run with any is reported as incomplete. */
  failures: number;
  /** The last sellers finished, for the progress query (`solicit reconcile` prints a line for each). */
  recent: SellerSweepResult[];
}

/** The new runs' result: the totals, and each seller with something to report. */
export interface ReconcileRunResult {
  days: number;
  force: boolean;
  /** Sellers whose sweep this run started. */
  sweepsStarted: number;
  /** Sellers whose sweep this run gathered. */
  sellers: number;
  regions: number;
  totals: SweepTally;
  notable: (SellerSweepResult | SellerNotSwept)[];
  notableOmitted: number;
  failures: number;
}

/** `solicit reconcile`'s view while it waits (the workflow's `progress` query). */
export interface ReconcileProgressView {
  phase: ReconcileProgress['phase'];
  sellersStarted: number;
  sellersDone: number;
  regionsDone: number;
  pages: number;
  started: number;
  /** The last sellers finished (up to 200), the newest last: the `sellersDone`th is the last one. */
  finished: SellerSweepResult[];
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
    addCounts(totals, seller, ['pages', 'found', 'started', 'alreadyKnown', 'skipped']);
  }
  return totals;
}
