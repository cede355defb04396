import { formatInstant } from '../domain/web-ui';
import type {
  ReconcileProgressView,
  ReconcileRunResult,
  RegionReconciliation,
  SellerSweepResult,
  SweepTally,
} from './workflow/contract';
import { isNotSwept } from './workflow/tally';

/** `solicit reconcile`'s text: the totals, then each seller with something to report. */
export function reconcileText(result: ReconcileRunResult): string {
  const window = result.force
    ? `Shipped orders of the last ${result.days} days`
    : `Shipped orders since each seller-region's last sweep (the last ${result.days} days for a first one)`;
  const lines = [`${window}: ${result.sellers} sellers, ${result.regions} seller-regions swept`];
  lines.push(`  all sellers: ${tallyText(result.totals)}`);
  for (const entry of result.notable) {
    lines.push(isNotSwept(entry) ? `  seller ${entry.sellerId}: not swept: ${entry.reason}` : `  ${sellerLine(entry)}`);
  }
  if (result.notableOmitted > 0)
    lines.push(`  and ${result.notableOmitted} more sellers with orders started or refusals`);
  if (result.totals.started > 0) {
    lines.push(
      `${result.totals.started} shipped ${result.totals.started === 1 ? 'order was' : 'orders were'} missing a workflow: ` +
        'notifications are being missed (check the ORDER_CHANGE subscription and the queue)',
    );
  }
  if (result.failures > 0) lines.push(`${result.failures} seller-regions could not be swept: see above`);
  return lines.join('\n');
}

/** One seller's counts, region by region. */
export function sellerLine(result: SellerSweepResult): string {
  const regions = result.regions.map((region) => `${region.region.toUpperCase()} ${regionText(region)}`);
  return `seller ${result.sellerId}: ${regions.length === 0 ? 'no region swept' : regions.join('; ')}`;
}

/** Where a run stands, on one line. */
export function progressLine(view: ReconcileProgressView): string {
  const sweeps =
    view.phase === 'start'
      ? `${view.sellersStarted} sellers' sweeps started`
      : `${view.sellersDone} of ${view.sellersStarted} sellers done`;
  return `${sweeps}, ${view.regionsDone} regions done, ${view.pages} pages read, ${view.started} orders started`;
}

function regionText(region: RegionReconciliation): string {
  if (region.refused !== undefined) return `skipped: ${region.refused}`;
  const counts = tallyText(region);
  const until = region.lastUpdatedBefore === undefined ? '' : ` to ${formatInstant(region.lastUpdatedBefore)}`;
  const window = ` (updated ${formatInstant(region.lastUpdatedAfter)}${until})`;
  return region.failed === undefined ? `${counts}${window}` : `${counts}${window}, failed: ${region.failed}`;
}

function tallyText(tally: SweepTally): string {
  const reasons = Object.entries(tally.skippedByReason).map(([reason, count]) => `${reason}: ${count}`);
  return [
    `${tally.found} found`,
    `${tally.started} started`,
    `${tally.known} known`,
    `${tally.closed} closed`,
    `${tally.conflict} conflict`,
    `${tally.skipped} skipped${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`,
  ].join(', ');
}
