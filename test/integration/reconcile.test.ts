import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createReconcileActivities, type ReconcileDependencies } from '../../src/reconcile/activities';
import { marketplacesServedFromEnv } from '../../src/config/marketplaces';
import { DEFAULT_POLICY } from '../../src/domain/contract';
import type { ReconcileOrdersResult } from '../../src/reconcile/workflow/contract';
import { createLogger, type LogFields } from '../../src/logging';
import { workflowInput } from '../../src/orders/input';
import { startOrder } from '../../src/orders/start';
import { reconcileText } from '../../src/reconcile/report';
import { startSpApiSimulator, type SimulatedOrderInput, type SpApiSimulator } from '../../src/simulator';
import { createSpApiClients, type SpApiClients } from '../../src/spapi/clients';
import { ensureBuilt } from '../helpers/cli';
import { DAY, HOUR } from '../helpers/clock';
import { runSolicit } from '../helpers/run-solicit';
import { MARKETPLACE, sellersOf } from '../helpers/spapi';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { recordHistory } from '../helpers/solicitation-harness';
import { runServers } from '../setup/servers';

/**
 * Reconciliation against the SP-API simulator and the real dev server: the reconcileOrders workflow on a
 * worker of this process, an order Amazon knows and no notification ever brought.
 */

const PLAN = { ratePerSecond: 10, burst: 100 };
const SELLERS = {
  A5RECONMARKETS: 'refresh-markets',
  A1RECONSELLERONE: 'refresh-one',
  A2RECONSELLERTWO: 'refresh-two',
  A3RECONRESUME: 'refresh-resume',
  A4RECONCLI: 'refresh-cli',
};
const [MARKETS, ONE, TWO, RESUMED, CLI] = Object.keys(SELLERS) as [string, string, string, string, string];
const stamp = `${Date.now().toString(36)}-${process.pid}`;
let env: TestWorkflowEnvironment;
let client: Client;
let sim: SpApiSimulator;
let clients: SpApiClients;
let names = 0;

beforeAll(async () => {
  env = await connectToDevServer();
  client = env.client;
  sim = await startSpApiSimulator({ usagePlans: { searchOrders: PLAN }, sellers: SELLERS });
  const settings = sim.env();
  clients = createSpApiClients({
    lwaClientId: sim.clientId,
    lwaClientSecret: sim.clientSecret,
    lwaEndpoint: settings.LWA_ENDPOINT!,
    spApiEndpoint: sim.url,
    sellers: sellersOf(SELLERS),
  });
});
afterAll(async () => {
  await sim?.close();
  await env?.teardown();
});

function addOrder(sellerId: string, changes: Partial<SimulatedOrderInput> = {}): string {
  names += 1;
  const now = Date.now();
  const amazonOrderId = `reconcile-${stamp}-${names}`;
  sim.addOrder({
    amazonOrderId,
    sellerId,
    marketplaceId: MARKETPLACE,
    createdTime: new Date(now - 2 * DAY + names * HOUR),
    shipTime: new Date(now - DAY),
    earliestDeliveryDate: new Date(now + DAY),
    latestDeliveryDate: new Date(now + 3 * DAY),
    lastUpdatedTime: new Date(now - DAY),
    ...changes,
  });
  return amazonOrderId;
}

function dependencies(taskQueue: string, warnings: LogFields[] = []): ReconcileDependencies {
  const logger = createLogger('error');
  return {
    orders: clients.orders,
    start: (input) => startOrder(client, taskQueue, input),
    sellerIds: () => [ONE, TWO],
    policy: DEFAULT_POLICY,
    logger: { ...logger, warn: (_message, fields) => warnings.push(fields ?? {}) },
    pace: PLAN,
    pageSize: 2,
  };
}

/** A worker of reconcileOrders (and of the orders' own workflows, which wait for their window) on `taskQueue`. */
async function withWorker<T>(taskQueue: string, deps: ReconcileDependencies, run: () => Promise<T>): Promise<T> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: createReconcileActivities(deps),
  });
  return worker.runUntil(run);
}

function reconcile(taskQueue: string, workflowId: string) {
  return client.workflow.execute('reconcileOrders', {
    taskQueue,
    workflowId,
    args: [{ days: 3 }],
  }) as Promise<ReconcileOrdersResult>;
}

it('starts, once, the shipped order whose notification never came; a second run starts nothing', async () => {
  const taskQueue = uniqueTaskQueue('reconcile');
  // Ingest saw this one: its workflow exists.
  const notified = addOrder(ONE);
  const order = sim.order(notified)!;
  const input = workflowInput(
    {
      amazonOrderId: notified,
      marketplaceId: MARKETPLACE,
      sellerId: ONE,
      fulfillmentChannel: 'MFN',
      shippedAt: order.shipTime.toISOString(),
      earliestDeliveryDate: order.earliestDeliveryDate.toISOString(),
      latestDeliveryDate: order.latestDeliveryDate.toISOString(),
    },
    DEFAULT_POLICY,
  );
  expect(await startOrder(client, taskQueue, input)).toBe('started');
  const missed = addOrder(ONE);
  const missedToo = addOrder(ONE, { fulfilledBy: 'AMAZON' });
  // Delivered long ago, updated yesterday (a refund): Amazon's window has closed.
  const closed = addOrder(ONE, {
    createdTime: new Date(Date.now() - 60 * DAY),
    shipTime: new Date(Date.now() - 58 * DAY),
    earliestDeliveryDate: new Date(Date.now() - 55 * DAY),
    latestDeliveryDate: new Date(Date.now() - 50 * DAY),
  });
  addOrder(ONE, { fulfillmentStatus: 'UNSHIPPED' });
  // Older than the three days looked at.
  addOrder(TWO, { lastUpdatedTime: new Date(Date.now() - 5 * DAY) });
  const missedTwo = addOrder(TWO);

  const warnings: LogFields[] = [];
  const deps = dependencies(taskQueue, warnings);
  const first = await withWorker(taskQueue, deps, () => reconcile(taskQueue, `reconcile-${stamp}-first`));
  expect(first.sellers).toEqual([
    {
      sellerId: ONE,
      pages: 2,
      found: 4,
      started: 2,
      alreadyKnown: 1,
      skipped: 1,
      skippedByReason: { 'window closed': 1 },
    },
    { sellerId: TWO, pages: 1, found: 1, started: 1, alreadyKnown: 0, skipped: 0, skippedByReason: {} },
  ]);
  expect(first.totals).toMatchObject({ found: 5, started: 3, alreadyKnown: 1, skipped: 1 });
  // Sellers are swept at once: their warnings come in either order.
  expect(warnings).toHaveLength(2);
  expect(warnings).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ sellerId: ONE, started: 2 }),
      expect.objectContaining({ sellerId: TWO, started: 1 }),
    ]),
  );
  for (const id of [missed, missedToo, missedTwo]) {
    expect(await client.workflow.getHandle(id).describe()).toMatchObject({ type: 'reviewSolicitation', taskQueue });
  }
  await expect(client.workflow.getHandle(closed).describe()).rejects.toThrow();

  const second = await withWorker(taskQueue, deps, () => reconcile(taskQueue, `reconcile-${stamp}-second`));
  expect(second.totals).toMatchObject({ found: 5, started: 0, alreadyKnown: 4, skipped: 1 });
  expect(warnings).toHaveLength(2);
  // One activity per seller, however many pages (seller one has two): the history stays small.
  const history = await client.workflow.getHandle(`reconcile-${stamp}-second`).fetchHistory();
  const scheduled = history.events!.filter((event) => event.activityTaskScheduledEventAttributes);
  expect(scheduled.map((event) => event.activityTaskScheduledEventAttributes!.activityType!.name)).toEqual([
    'reconcileSellers',
    'reconcileSeller',
    'reconcileSeller',
  ]);
  await recordHistory(client.workflow.getHandle(`reconcile-${stamp}-first`), 'reconcile-orders');
});

it('goes on from the page token heartbeated before a worker restart, keeping the counts', async () => {
  const taskQueue = uniqueTaskQueue('reconcile-resume');
  const seller = RESUMED;
  const orders = Array.from({ length: 5 }, () => addOrder(seller));
  const since = new Date(Date.now() - 3 * DAY).toISOString();
  const deps = { ...dependencies(taskQueue), sellerIds: () => [seller] };
  // What the first attempt heartbeated after its first page, before its worker died.
  const firstPage = await clients.orders.searchOrders({
    sellerId: seller,
    region: 'na',
    lastUpdatedAfter: since,
    fulfillmentStatuses: ['SHIPPED'],
    maxResultsPerPage: 2,
  });
  expect(firstPage.nextToken).toBeDefined();
  const checkpoint = {
    nextToken: firstPage.nextToken,
    counts: { pages: 1, found: 2, started: 2, signalled: 0, closed: 0, skipped: 0 },
    skippedByReason: {},
  };
  const heartbeats: unknown[] = [];
  const activity = new MockActivityEnvironment({ heartbeatDetails: checkpoint, attempt: 2 });
  activity.on('heartbeat', (details: unknown) => heartbeats.push(details));
  const result = await activity.run(createReconcileActivities(deps).reconcileSeller, {
    sellerId: seller,
    since,
    region: 'na' as const,
  });

  expect(result).toMatchObject({ pages: 3, found: 5, started: 5, alreadyKnown: 0 });
  // Only the orders after the checkpoint were asked for and started.
  for (const id of orders.slice(0, 2)) await expect(client.workflow.getHandle(id).describe()).rejects.toThrow();
  for (const id of orders.slice(2)) await expect(client.workflow.getHandle(id).describe()).resolves.toBeDefined();
  expect(heartbeats).toContainEqual(
    expect.objectContaining({ counts: expect.objectContaining({ pages: 2, found: 4 }) }),
  );
});

it("skips the orders of a marketplace not served for the seller, under the reason 'marketplace not served'", async () => {
  const taskQueue = uniqueTaskQueue('reconcile-markets');
  const served = addOrder(MARKETS);
  const canadian = addOrder(MARKETS, { marketplaceId: 'A2EUQ1WTGCTBG2' });
  const marketplaces = marketplacesServedFromEnv(
    sellersOf({ [MARKETS]: { refreshToken: 'refresh-markets', marketplaces: [MARKETPLACE] } }),
    {},
  );
  const deps = { ...dependencies(taskQueue), sellerIds: () => [MARKETS], marketplaces };
  const result = await withWorker(taskQueue, deps, () => reconcile(taskQueue, `reconcile-${stamp}-markets`));

  expect(result.sellers).toEqual([
    {
      sellerId: MARKETS,
      pages: 1,
      found: 2,
      started: 1,
      alreadyKnown: 0,
      skipped: 1,
      skippedByReason: { 'marketplace not served': 1 },
    },
  ]);
  expect(reconcileText(result)).toContain(
    `seller ${MARKETS}: 2 found, 1 started, 0 already known, 1 skipped (marketplace not served: 1)`,
  );
  expect(await client.workflow.getHandle(served).describe()).toMatchObject({ type: 'reviewSolicitation' });
  await expect(client.workflow.getHandle(canadian).describe()).rejects.toThrow();
});

it('solicit reconcile --json runs reconcileOrders on the workers and prints its counts', async () => {
  ensureBuilt();
  const taskQueue = uniqueTaskQueue('reconcile-cli');
  const seller = CLI;
  const missed = addOrder(seller);
  const deps = { ...dependencies(taskQueue), sellerIds: () => [seller] };
  const { temporalAddress, temporalNamespace } = runServers();
  const run = await withWorker(taskQueue, deps, () =>
    runSolicit(['reconcile', '--json', '--days', '2'], {
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: temporalNamespace,
      TASK_QUEUE: taskQueue,
    }),
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const printed = JSON.parse(run.stdout) as ReconcileOrdersResult & { workflowId: string };
  expect(printed.workflowId).toMatch(/^reconcile-orders-manual-\d{4}-/);
  expect(printed.days).toBe(2);
  expect(printed.sellers).toEqual([
    { sellerId: seller, pages: 1, found: 1, started: 1, alreadyKnown: 0, skipped: 0, skippedByReason: {} },
  ]);
  expect(await client.workflow.getHandle(missed).describe()).toMatchObject({ type: 'reviewSolicitation' });

  const usage = await runSolicit(['reconcile', '--days', 'three'], { TEMPORAL_ADDRESS: temporalAddress });
  expect(usage.code).toBe(2);
  expect(usage.stderr.trim().split('\n')).toEqual([expect.stringContaining('--days must be a whole number of days')]);
});
