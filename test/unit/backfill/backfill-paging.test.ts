import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBackfill, type BackfillOptions, type BackfillProgress } from '../../../src/backfill/backfill';
import { summaryJson, summaryText } from '../../../src/backfill/report';
import { DEFAULT_POLICY, type ReviewSolicitationInput } from '../../../src/domain/contract';
import type { StartOutcome } from '../../../src/orders/start';
import type { SpApiSimulator } from '../../../src/simulator';
import type { SpApiClients } from '../../../src/spapi/clients';
import { DAY, HOUR, type manualClock } from '../../helpers/clock';
import { MARKETPLACE, simulatorWithClients } from '../../helpers/spapi';

/**
 * The paging loop against the simulator on one manual clock, with Amazon's own usage plan for
 * searchOrders enforced by the simulator: what Temporal does with the inputs is the integration tests'.
 */

const SELLER = 'A1SIMULATEDSELLER';
let sim: SpApiSimulator;
let clients: SpApiClients;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  ({ sim, clients, clock } = await simulatorWithClients('2026-03-10T12:00:00Z'));
});
afterEach(() => sim.close());

function addShipped(count: number): string[] {
  const ids = Array.from({ length: count }, (_, i) => `111-0000000-${String(i).padStart(7, '0')}`);
  const now = clock.nowMs();
  ids.forEach((amazonOrderId, i) =>
    sim.addOrder({
      amazonOrderId,
      marketplaceId: MARKETPLACE,
      createdTime: new Date(now - 5 * DAY + i * HOUR),
      earliestDeliveryDate: new Date(now - DAY),
      latestDeliveryDate: new Date(now + DAY),
    }),
  );
  return ids;
}

function backfill(overrides: Partial<BackfillOptions> = {}) {
  const started: ReviewSolicitationInput[] = [];
  const waits: { at: number; ms: number }[] = [];
  const progress: BackfillProgress[] = [];
  const result = runBackfill({
    orders: clients.orders,
    start: (input) => {
      started.push(input);
      return Promise.resolve<StartOutcome>('started');
    },
    sellerIds: [SELLER],
    region: 'na',
    days: 40,
    policy: DEFAULT_POLICY,
    now: clock.nowMs,
    sleep: (ms) => {
      waits.push({ at: clock.nowMs(), ms });
      clock.advance(ms);
      return Promise.resolve();
    },
    onProgress: (state) => progress.push(state),
    ...overrides,
  });
  return { result, started, waits, progress };
}

const searches = () => sim.requests.filter((request) => request.operation === 'searchOrders');

it("keeps to searchOrders' usage plan: a burst of 20 pages, then one every 1/0.0056 s, and Amazon throttles none", async () => {
  const ids = addShipped(24);
  const { result, started, waits } = backfill({ pageSize: 1 });
  const summary = await result;

  expect(summary).toMatchObject({ pages: 24, found: 24, started: 24, skipped: 0 });
  expect(started.map((input) => input.amazonOrderId)).toEqual(ids);
  expect(searches().map((request) => request.status)).toEqual(Array(24).fill(200));
  const times = searches().map((request) => request.at.getTime() - clock.nowMs());
  const gaps = times.slice(1).map((at, i) => at - times[i]!);
  expect(gaps.slice(0, 19)).toEqual(Array(19).fill(0));
  for (const gap of gaps.slice(19)) expect(gap).toBeGreaterThanOrEqual(Math.floor(1000 / 0.0056));
  expect(waits.every((wait) => wait.ms <= Math.ceil(1000 / 0.0056))).toBe(true);
});

it('asks only for shipped orders updated in the last N days, of the marketplaces given', async () => {
  const now = clock.nowMs();
  const dates = { earliestDeliveryDate: new Date(now - DAY), latestDeliveryDate: new Date(now + DAY) };
  sim.addOrder({
    amazonOrderId: 'recent',
    marketplaceId: MARKETPLACE,
    ...dates,
    lastUpdatedTime: new Date(now - 6 * DAY),
  });
  sim.addOrder({
    amazonOrderId: 'older',
    marketplaceId: MARKETPLACE,
    ...dates,
    lastUpdatedTime: new Date(now - 8 * DAY),
  });
  sim.addOrder({ amazonOrderId: 'canada', marketplaceId: 'A2EUQ1WTGCTBG2', ...dates });
  sim.addOrder({ amazonOrderId: 'unshipped', marketplaceId: MARKETPLACE, ...dates, fulfillmentStatus: 'UNSHIPPED' });

  const week = backfill({ days: 7, marketplaceIds: [MARKETPLACE] });
  expect(await week.result).toMatchObject({ since: new Date(now - 7 * DAY).toISOString(), found: 1 });
  expect(week.started.map((input) => input.amazonOrderId)).toEqual(['recent']);

  const region = backfill({ days: 9 });
  expect(await region.result).toMatchObject({ found: 3 });
  expect(region.started.map((input) => input.amazonOrderId).sort()).toEqual(['canada', 'older', 'recent']);
});

it('skips the orders of a marketplace not served for their seller, counting them under that reason', async () => {
  const now = clock.nowMs();
  const dates = { earliestDeliveryDate: new Date(now - DAY), latestDeliveryDate: new Date(now + DAY) };
  sim.addOrder({ amazonOrderId: 'served', marketplaceId: MARKETPLACE, ...dates });
  sim.addOrder({ amazonOrderId: 'canada', marketplaceId: 'A2EUQ1WTGCTBG2', ...dates });
  const asked: [string, string][] = [];
  const marketplaces = {
    serves: (sellerId: string, marketplaceId: string) => {
      asked.push([sellerId, marketplaceId]);
      return marketplaceId === MARKETPLACE;
    },
    setting: 'SPAPI_SELLERS_FILE' as const,
    summary: 'United States only',
  };

  const { result, started } = backfill({ marketplaces });
  const summary = await result;
  expect(summary).toMatchObject({ found: 2, started: 1, skipped: 1 });
  expect(started.map((input) => input.amazonOrderId)).toEqual(['served']);
  expect(summary.skippedOrders).toEqual([
    {
      amazonOrderId: 'canada',
      sellerId: SELLER,
      reason: 'marketplace not served',
      detail: 'marketplace A2EUQ1WTGCTBG2 is not served (SPAPI_SELLERS_FILE)',
    },
  ]);
  expect(asked).toEqual(expect.arrayContaining([[SELLER, 'A2EUQ1WTGCTBG2']]));
  expect(summaryText(summary)).toContain('    marketplace not served (1): canada');
  expect(summaryJson(summary).skippedByReason).toEqual({ 'marketplace not served': 1 });
});

it('retries a 5xx with growing waits and reads every page once', async () => {
  const ids = addShipped(5);
  sim.injectFailures(2, { status: 503, operation: 'searchOrders' });
  const { result, started, waits, progress } = backfill({ pageSize: 2 });
  expect(await result).toMatchObject({ pages: 3, found: 5, started: 5 });
  expect(started.map((input) => input.amazonOrderId)).toEqual(ids);
  expect(waits.map((wait) => wait.ms)).toEqual([1000, 2000]);
  expect(progress.filter((state) => state.waiting?.reason === 'retry')).toHaveLength(2);
  expect(searches().map((request) => request.status)).toEqual([503, 503, 200, 200, 200]);
});

it('gives up on a seller after a few 5xx in a row, and says so', async () => {
  addShipped(1);
  sim.injectFailures(10, { status: 500, operation: 'searchOrders' });
  const summary = await backfill().result;
  expect(summary).toMatchObject({
    found: 0,
    failedSellers: [{ sellerId: SELLER, reason: expect.stringMatching(/^searchOrders: HTTP 500/) }],
  });
  expect(searches()).toHaveLength(5);
});

it('does not retry what cannot succeed', async () => {
  const summary = await backfill({ marketplaceIds: ['A1PA6795UKMFR9'] }).result;
  expect(summary.failedSellers).toEqual([
    { sellerId: SELLER, reason: 'searchOrders: marketplace A1PA6795UKMFR9 is not in region na' },
  ]);
  expect(searches()).toHaveLength(0);
});

it("goes on with the other sellers when one seller's authorization is refused", async () => {
  await sim.close();
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-'));
  const sellers = { A1ONE: 'Atzr|one', A2TWO: 'Atzr|two', A3THREE: 'Atzr|three' };
  writeFileSync(path.join(dir, 'sellers.json'), JSON.stringify(sellers));
  ({ sim, clients, clock } = await simulatorWithClients('2026-03-10T12:00:00Z', {
    simulator: { sellers },
    env: { LWA_REFRESH_TOKEN: '', SPAPI_SELLERS_FILE: path.join(dir, 'sellers.json') },
  }));
  rmSync(dir, { recursive: true });
  const now = clock.nowMs();
  for (const sellerId of Object.keys(sellers)) {
    sim.addOrder({
      amazonOrderId: `order-of-${sellerId}`,
      sellerId,
      marketplaceId: MARKETPLACE,
      earliestDeliveryDate: new Date(now - DAY),
      latestDeliveryDate: new Date(now + DAY),
    });
  }
  sim.revokeSeller('A2TWO');

  const { result, started } = backfill({ sellerIds: clients.sellers.sellerIds! });
  const summary = await result;
  expect(started.map((input) => [input.amazonOrderId, input.sellerId])).toEqual([
    ['order-of-A1ONE', 'A1ONE'],
    ['order-of-A3THREE', 'A3THREE'],
  ]);
  expect(summary.failedSellers).toEqual([
    {
      sellerId: 'A2TWO',
      reason: expect.stringMatching(
        /^searchOrders: LWA refused seller A2TWO's authorization of the app .*HTTP 400 invalid_grant/,
      ),
    },
  ]);
});
