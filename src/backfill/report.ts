import { formatInstant } from '../domain/web-ui';
import { alreadyKnown } from '../orders/shipped-orders-sweep';
import type { BackfillProgress, BackfillSummary, SkippedOrder } from './backfill';

/** Order IDs listed per skip reason in the text summary; `--json` lists them all. */
const LISTED_PER_REASON = 10;

/** The one updating progress line of a terminal. */
export function progressLine(progress: BackfillProgress): string {
  const parts = [
    `seller ${progress.sellerId}`,
    `page ${progress.pages}`,
    `${progress.found} found`,
    `${progress.started} started`,
    `${alreadyKnown(progress)} already known`,
    `${progress.skipped} skipped`,
  ];
  if (progress.waiting) {
    const what = progress.waiting.reason === 'rate limit' ? "for Amazon's rate limit" : 'to retry';
    parts.push(`waiting ${what} until ${new Date(progress.waiting.until).toISOString().slice(11, 19)} UTC`);
  }
  return parts.join(' · ');
}

/** One seller's line once its orders are done, where there is no terminal line to update. */
export function sellerDoneLine(seller: Omit<BackfillProgress, 'waiting'> & { failed?: string }): string {
  const counts =
    `${seller.pages} pages, ${seller.found} found, ${seller.started} started, ` +
    `${alreadyKnown(seller)} already known, ${seller.skipped} skipped`;
  return `seller ${seller.sellerId}: ${counts}${seller.failed === undefined ? '' : `, failed: ${seller.failed}`}`;
}

export function summaryText(summary: BackfillSummary): string {
  const known = alreadyKnown(summary);
  const rows: [string, number, string?][] = [
    ['found', summary.found],
    ['started', summary.started],
    [
      'already known',
      known,
      known > 0 ? `(${summary.signalled + summary.unchanged} running, ${summary.closed} closed)` : undefined,
    ],
    ['skipped', summary.skipped],
  ];
  const lines = [
    `Shipped orders updated since ${formatInstant(summary.since)} (${summary.pages} ${summary.pages === 1 ? 'page' : 'pages'}):`,
    ...rows.map(
      ([label, count, note]) => `  ${label.padEnd(14)}${String(count).padStart(6)}${note ? `  ${note}` : ''}`,
    ),
  ];
  for (const [reason, orders] of byReason(summary.skippedOrders)) {
    const listed = orders.slice(0, LISTED_PER_REASON).map((order) => order.amazonOrderId);
    const more = orders.length > listed.length ? ` and ${orders.length - listed.length} more` : '';
    lines.push(`    ${reason} (${orders.length}): ${listed.join(', ')}${more}`);
  }
  for (const { sellerId, reason } of summary.failedSellers) lines.push(`  failed for seller ${sellerId}: ${reason}`);
  return lines.join('\n');
}

export function summaryJson(summary: BackfillSummary) {
  return {
    since: summary.since,
    pages: summary.pages,
    found: summary.found,
    started: summary.started,
    alreadyKnown: alreadyKnown(summary),
    running: summary.signalled + summary.unchanged,
    closed: summary.closed,
    skipped: summary.skipped,
    skippedByReason: Object.fromEntries(
      [...byReason(summary.skippedOrders)].map(([reason, orders]) => [reason, orders.length]),
    ),
    skippedOrders: summary.skippedOrders,
    failedSellers: summary.failedSellers,
  };
}

function byReason(orders: readonly SkippedOrder[]): Map<string, SkippedOrder[]> {
  const groups = new Map<string, SkippedOrder[]>();
  for (const order of orders) groups.set(order.reason, [...(groups.get(order.reason) ?? []), order]);
  return groups;
}
