import { reconcileTotals, type SellerReconciliation } from '../../../src/reconcile/workflow/contract';
import { reconcileText } from '../../../src/reconcile/report';

const one: SellerReconciliation = {
  sellerId: 'A1ONE',
  pages: 2,
  found: 5,
  started: 1,
  alreadyKnown: 3,
  skipped: 1,
  skippedByReason: { 'window closed': 1 },
};
const two: SellerReconciliation = {
  sellerId: 'A2TWO',
  pages: 1,
  found: 2,
  started: 0,
  alreadyKnown: 0,
  skipped: 2,
  skippedByReason: { 'window closed': 1, 'not an Amazon order': 1 },
  failed: 'Access to requested resource is denied.',
};

it('sums the sellers, skips by reason included', () => {
  expect(reconcileTotals([one, two])).toEqual({
    pages: 3,
    found: 7,
    started: 1,
    alreadyKnown: 3,
    skipped: 3,
    skippedByReason: { 'window closed': 2, 'not an Amazon order': 1 },
  });
});

it('prints one line per seller, the totals, and what a start means', () => {
  const text = reconcileText({
    since: '2026-11-28T12:00:00.000Z',
    days: 3,
    sellers: [one, two],
    totals: reconcileTotals([one, two]),
  });
  const lines = text.split('\n');
  expect(lines[1]).toBe('  seller A1ONE: 5 found, 1 started, 3 already known, 1 skipped (window closed: 1)');
  expect(lines[2]).toBe(
    '  seller A2TWO: 2 found, 0 started, 0 already known, 2 skipped (window closed: 1, not an Amazon order: 1), ' +
      'failed: Access to requested resource is denied.',
  );
  expect(lines[3]).toMatch(/^ {2}all sellers: 7 found, 1 started/);
  expect(lines[4]).toMatch(/^1 shipped order was missing a workflow: notifications are being missed/);
});
