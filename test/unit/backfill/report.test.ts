import type { BackfillSummary } from '../../../src/backfill/backfill';
import { progressLine, summaryJson, summaryText } from '../../../src/backfill/report';

const summary: BackfillSummary = {
  since: '2026-01-29T12:00:00.000Z',
  pages: 3,
  found: 9,
  started: 4,
  unchanged: 0,
  signalled: 2,
  closed: 1,
  skipped: 2,
  skippedOrders: [
    { amazonOrderId: '111-1', sellerId: 'A1', reason: 'window closed', detail: "Amazon's window closed on ..." },
    { amazonOrderId: '111-2', sellerId: 'A1', reason: 'not an Amazon order', detail: 'sales channel NON_AMAZON' },
  ],
  failedSellers: [],
};

describe('backfill report', () => {
  it('sums up found, started, already known and skipped, with the skipped orders by reason', () => {
    expect(summaryText(summary)).toBe(
      [
        'Shipped orders updated since 2026-01-29 12:00 UTC (3 pages):',
        '  found              9',
        '  started            4',
        '  already known      3  (2 running, 1 closed)',
        '  skipped            2',
        '    window closed (1): 111-1',
        '    not an Amazon order (1): 111-2',
      ].join('\n'),
    );
  });

  it('names the sellers Amazon refused', () => {
    const failed = { ...summary, failedSellers: [{ sellerId: 'A2', reason: 'searchOrders: HTTP 403: Unauthorized' }] };
    expect(summaryText(failed).split('\n').at(-1)).toBe('  failed for seller A2: searchOrders: HTTP 403: Unauthorized');
  });

  it('gives the same numbers as JSON', () => {
    expect(summaryJson(summary)).toMatchObject({
      found: 9,
      started: 4,
      alreadyKnown: 3,
      running: 2,
      closed: 1,
      skipped: 2,
      skippedByReason: { 'window closed': 1, 'not an Amazon order': 1 },
    });
  });

  it('shows progress on one line, and what it waits for', () => {
    const line = progressLine({
      ...summary,
      sellerId: 'A1',
      waiting: { reason: 'rate limit', ms: 178_572, until: Date.parse('2026-03-10T12:03:00.500Z') },
    });
    expect(line).toBe(
      "seller A1 · page 3 · 9 found · 4 started · 3 already known · 2 skipped · waiting for Amazon's rate limit until 12:03:00 UTC",
    );
    expect(line).not.toContain('\n');
  });
});
