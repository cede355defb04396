import { formatInstant } from '../domain/web-ui';
import type { ReconcileOrdersResult, SellerReconciliation } from './workflow/contract';

/** `solicit reconcile`'s text: one line per seller, then the totals when there are several. */
export function reconcileText(result: ReconcileOrdersResult): string {
  const lines = [`Shipped orders updated since ${formatInstant(result.since)} (last ${result.days} days):`];
  for (const seller of result.sellers) lines.push(`  seller ${seller.sellerId}: ${countsText(seller)}`);
  if (result.sellers.length === 0) lines.push('  no sellers to reconcile');
  if (result.sellers.length > 1) lines.push(`  all sellers: ${countsText(result.totals)}`);
  if (result.totals.started > 0) {
    lines.push(
      `${result.totals.started} shipped ${result.totals.started === 1 ? 'order was' : 'orders were'} missing a workflow: ` +
        'notifications are being missed (check the ORDER_CHANGE subscription and the queue)',
    );
  }
  return lines.join('\n');
}

function countsText(counts: Omit<SellerReconciliation, 'sellerId'>): string {
  const reasons = Object.entries(counts.skippedByReason).map(([reason, count]) => `${reason}: ${count}`);
  const parts = [
    `${counts.found} found`,
    `${counts.started} started`,
    `${counts.alreadyKnown} already known`,
    `${counts.skipped} skipped${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`,
  ];
  if (counts.failed !== undefined) parts.push(`failed: ${counts.failed}`);
  return parts.join(', ');
}
