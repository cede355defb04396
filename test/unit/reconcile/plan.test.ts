import { regionSweeps, sellerRegions, sweepStart } from '../../../src/reconcile/plan';

const NOW = Date.parse('2026-03-10T12:00:00Z');

it('sweeps the regions of the marketplaces served, each naming its own marketplaces', () => {
  expect(sellerRegions(['ATVPDKIKX0DER', 'A1F83G8C2ARO7P', 'A1PA6795UKMFR9'])).toEqual([
    { region: 'na', marketplaceIds: ['ATVPDKIKX0DER'] },
    { region: 'eu', marketplaceIds: ['A1F83G8C2ARO7P', 'A1PA6795UKMFR9'] },
  ]);
  expect(sellerRegions(undefined).map(({ region }) => region)).toEqual(['na', 'eu', 'fe']);
  expect(sellerRegions(undefined).find(({ region }) => region === 'fe')?.marketplaceIds).toContain('A1VC38T7YXB528');
  expect(sellerRegions(undefined, ['eu']).map(({ region }) => region)).toEqual(['eu']);
  expect(sellerRegions(['ATVPDKIKX0DER'], ['fe'])).toEqual([]);
});

it('goes on from an hour before the last completed sweep, or looks back the days asked', () => {
  const cursor = '2026-03-09T12:00:00.000Z';
  expect(sweepStart({ cursor, nowMs: NOW, days: 3, force: false })).toBe('2026-03-09T11:00:00.000Z');
  expect(sweepStart({ nowMs: NOW, days: 3, force: false })).toBe('2026-03-07T12:00:00.000Z');
  expect(sweepStart({ cursor, nowMs: NOW, days: 5, force: true })).toBe('2026-03-05T12:00:00.000Z');
  expect(
    regionSweeps({
      served: ['ATVPDKIKX0DER', 'A1F83G8C2ARO7P'],
      cursors: { eu: cursor },
      nowMs: NOW,
      days: 3,
      force: false,
    }),
  ).toEqual([
    { region: 'na', marketplaceIds: ['ATVPDKIKX0DER'], lastUpdatedAfter: '2026-03-07T12:00:00.000Z' },
    { region: 'eu', marketplaceIds: ['A1F83G8C2ARO7P'], lastUpdatedAfter: '2026-03-09T11:00:00.000Z' },
  ]);
});
