import { progressLine, reconcileText, sellerLine } from '../../../src/reconcile/report';
import type { ReconcileRunResult, SellerSweepResult } from '../../../src/reconcile/workflow/contract';
import { addTally, isNotable, noTally, sellerTally } from '../../../src/reconcile/workflow/tally';

const uk: SellerSweepResult = {
  sellerId: 'A1ONE',
  regions: [
    {
      region: 'na',
      marketplaceIds: ['ATVPDKIKX0DER'],
      lastUpdatedAfter: '2026-03-01T00:00:00.000Z',
      lastUpdatedBefore: '2026-03-02T00:00:00.000Z',
      ...noTally(),
      pages: 1,
      found: 3,
      known: 2,
      skipped: 1,
      skippedByReason: { 'window closed': 1 },
    },
    {
      region: 'eu',
      marketplaceIds: ['A1F83G8C2ARO7P'],
      lastUpdatedAfter: '2026-03-01T00:00:00.000Z',
      lastUpdatedBefore: '2026-03-02T00:00:00.000Z',
      ...noTally(),
      pages: 1,
      found: 1,
      started: 1,
    },
    {
      region: 'fe',
      marketplaceIds: ['A1VC38T7YXB528'],
      lastUpdatedAfter: '2026-03-01T00:00:00.000Z',
      ...noTally(),
      refused: 'searchOrders: Amazon refused the search in fe: Unauthorized',
    },
  ],
  cursors: { na: '2026-03-02T00:00:00.000Z', eu: '2026-03-02T00:00:00.000Z' },
};

it("sums a seller's regions, and lists in full only a seller with something to report", () => {
  expect(sellerTally(uk)).toMatchObject({ pages: 2, found: 4, started: 1, known: 2, skipped: 1 });
  expect(addTally(noTally(), sellerTally(uk)).skippedByReason).toEqual({ 'window closed': 1 });
  expect(isNotable(uk)).toBe(true);
  expect(isNotable({ ...uk, regions: [uk.regions[0]!] })).toBe(false);
});

it('prints the totals, each notable seller region by region, and what a start means', () => {
  const result: ReconcileRunResult = {
    days: 3,
    force: false,
    sweepsStarted: 1,
    sellers: 2,
    regions: 4,
    totals: sellerTally(uk),
    notable: [uk, { sellerId: 'A2TWO', reason: 'its previous sweep is still running', failure: false }],
    notableOmitted: 0,
    failures: 0,
  };
  const text = reconcileText(result).split('\n');
  expect(text[0]).toBe(
    "Shipped orders since each seller-region's last sweep (the last 3 days for a first one): 2 sellers, 4 seller-regions swept",
  );
  expect(text[1]).toBe(
    '  all sellers: 4 found, 1 started, 2 known, 0 closed, 0 conflict, 1 skipped (window closed: 1)',
  );
  expect(text[2]).toContain('seller A1ONE: NA 3 found, 0 started, 2 known');
  expect(text[2]).toContain('EU 1 found, 1 started');
  expect(text[2]).toContain('FE skipped: searchOrders: Amazon refused the search in fe: Unauthorized');
  expect(text[3]).toBe('  seller A2TWO: not swept: its previous sweep is still running');
  expect(text[4]).toMatch(/^1 shipped order was missing a workflow/);
  expect(sellerLine(uk)).toBe(text[2]!.trim());
  expect(
    progressLine({
      phase: 'collect',
      sellersStarted: 2,
      sellersDone: 1,
      regionsDone: 3,
      pages: 2,
      started: 1,
      finished: [],
    }),
  ).toBe('1 of 2 sellers done, 3 regions done, 2 pages read, 1 orders started');
});
