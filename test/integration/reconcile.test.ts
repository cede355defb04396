import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { DEFAULT_POLICY } from '../../src/domain/contract';
import { createLogger } from '../../src/logging';
import { startOrder } from '../../src/orders/start';
import { createLegacyReconcileActivities } from '../../src/reconcile/legacy-activities';
import {
  sellerSweepWorkflowId,
  type ReconcileOrdersInput,
  type ReconcileRunResult,
  type SellerSweepResult,
} from '../../src/reconcile/workflow/contract';
import { isNotSwept } from '../../src/reconcile/workflow/tally';
import { startSpApiSimulator, type SimulatedOrderInput, type SpApiSimulator } from '../../src/simulator';
import { createSpApiClients, type SpApiClients } from '../../src/spapi/clients';
import type { CredentialOwner } from '../../src/spapi/errors';
import type { SellerEntry } from '../../src/spapi/sellers';
import { configureSpApiTaskQueue } from '../../src/temporal/spapi-task-queue';
import { searchOrdersTaskQueue } from '../../src/reconcile/workflow/contract';
import { ensureBuilt } from '../helpers/cli';
import { notifiedInput } from '../helpers/orders';
import { DAY, HOUR } from '../helpers/clock';
import { withReconcileWorkers } from '../helpers/reconcile-harness';
import { runSolicit } from '../helpers/run-solicit';
import { MARKETPLACE, sellersOf } from '../helpers/spapi';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { recordHistory } from '../helpers/solicitation-harness';
import { runServers } from '../setup/servers';

/**
 * Reconciliation against the SP-API simulator and the real dev server: reconcileOrders and a reconcileSeller
 * child per seller on workers of this process, orders Amazon knows and no notification ever brought.
 */

const UK = 'A1F83G8C2ARO7P';
const stamp = `${Date.now().toString(36)}${process.pid}`.toUpperCase();
const seller = (name: string) => `A${name}${stamp}`;
const UK_SELLER = seller('UK');
const NA_ONLY = seller('NAONLY');
const PAUSED = seller('PAUSED');
const CONFLICT = seller('CONFLICT');
const UNKNOWN = seller('UNKNOWN');
const PAGED = [seller('PAGEDA'), seller('PAGEDB'), seller('PAGEDC')];
const PACED = [seller('PACEDA'), seller('PACEDB')];
const CLI = seller('CLI');
const RESUMED = seller('RESUME');

const ENTRIES: Record<string, string | SellerEntry> = {
  [UK_SELLER]: { refreshToken: 'refresh-uk', marketplaces: [MARKETPLACE, UK] },
  [NA_ONLY]: 'refresh-na-only',
  [PAUSED]: { refreshToken: 'refresh-paused', paused: true, marketplaces: [MARKETPLACE] },
  [CONFLICT]: { refreshToken: 'refresh-conflict', marketplaces: [MARKETPLACE] },
  // LWA does not know its refresh token: its search cannot be made.
  [UNKNOWN]: { refreshToken: 'refresh-unknown', marketplaces: [MARKETPLACE] },
  ...Object.fromEntries(
    [...PAGED, ...PACED].map((id) => [id, { refreshToken: `refresh-${id}`, marketplaces: [MARKETPLACE] }]),
  ),
  [CLI]: { refreshToken: 'refresh-cli', marketplaces: [MARKETPLACE, UK] },
  [RESUMED]: 'refresh-resume',
};
const SIM_SELLERS = Object.fromEntries(
  Object.entries(ENTRIES)
    .filter(([id]) => id !== UNKNOWN)
    .map(([id, entry]) => [id, typeof entry === 'string' ? entry : entry.refreshToken]),
);

let env: TestWorkflowEnvironment;
let client: Client;
let sim: SpApiSimulator;
let clients: SpApiClients;
const refusals: CredentialOwner[] = [];
let names = 0;

beforeAll(async () => {
  env = await connectToDevServer();
  client = env.client;
  sim = await startSpApiSimulator({ usagePlans: false, sellers: SIM_SELLERS });
  const settings = sim.env();
  clients = createSpApiClients(
    {
      lwaClientId: sim.clientId,
      lwaClientSecret: sim.clientSecret,
      lwaEndpoint: settings.LWA_ENDPOINT!,
      spApiEndpoint: sim.url,
      sellers: sellersOf(ENTRIES),
    },
    { observeRefusal: (owner) => refusals.push(owner) },
  );
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
    createdTime: new Date(now - 2 * DAY + names * 1000),
    shipTime: new Date(now - DAY),
    earliestDeliveryDate: new Date(now + DAY),
    latestDeliveryDate: new Date(now + 3 * DAY),
    lastUpdatedTime: new Date(now - DAY),
    ...changes,
  });
  return amazonOrderId;
}

/** Starts the order's workflow as ingest would have, from Amazon's data. */
async function notified(amazonOrderId: string, taskQueue: string): Promise<void> {
  expect(await startOrder(client, taskQueue, notifiedInput(sim.order(amazonOrderId)!))).toBe('started');
}

function reconcile(taskQueue: string, workflowId: string, input: Partial<ReconcileOrdersInput>, pageSize?: number) {
  return withReconcileWorkers(
    {
      connection: env.nativeConnection,
      client,
      taskQueue,
      orders: clients.orders,
      sellers: sellersOf(ENTRIES),
      ...(pageSize !== undefined && { pageSize }),
    },
    () =>
      client.workflow.execute('reconcileOrders', {
        taskQueue,
        workflowId,
        args: [{ days: 3, ...input }],
      }) as Promise<ReconcileRunResult>,
  );
}

function sweepOf(result: ReconcileRunResult, sellerId: string): SellerSweepResult {
  const sweep = result.notable.find((entry) => entry.sellerId === sellerId);
  if (sweep === undefined || isNotSwept(sweep)) throw new Error(`no sweep of ${sellerId} in ${JSON.stringify(result)}`);
  return sweep;
}

async function signalsTo(workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events!.filter((event) => event.workflowExecutionSignaledEventAttributes).length;
}

it("starts a UK seller's missing order from the EU host, each region naming its marketplaces; running orders are left unsignalled", async () => {
  const taskQueue = uniqueTaskQueue('reconcile-uk');
  const known = addOrder(UK_SELLER);
  await notified(known, taskQueue);
  const missedUs = addOrder(UK_SELLER);
  const missedUk = addOrder(UK_SELLER, { marketplaceId: UK });

  const result = await reconcile(taskQueue, `reconcile-${stamp}-uk`, { sellerIds: [UK_SELLER] });

  const sweep = sweepOf(result, UK_SELLER);
  expect(
    sweep.regions.map(({ region, marketplaceIds, found, started, known: running }) => ({
      region,
      marketplaceIds,
      found,
      started,
      known: running,
    })),
  ).toEqual([
    { region: 'na', marketplaceIds: [MARKETPLACE], found: 2, started: 1, known: 1 },
    { region: 'eu', marketplaceIds: [UK], found: 1, started: 1, known: 0 },
  ]);
  expect(result).toMatchObject({ sellers: 1, regions: 2, failures: 0 });
  expect(result.totals).toMatchObject({ found: 3, started: 2, known: 1, conflict: 0 });
  for (const id of [missedUs, missedUk]) {
    expect(await client.workflow.getHandle(id).describe()).toMatchObject({ type: 'reviewSolicitation', taskQueue });
  }
  // Start only: the running order got no orderUpdated signal.
  expect(await signalsTo(known)).toBe(0);
  expect(sweep.cursors).toEqual({ na: sweep.regions[0]!.lastUpdatedBefore, eu: sweep.regions[1]!.lastUpdatedBefore });
  await recordHistory(client.workflow.getHandle(`reconcile-${stamp}-uk`), 'reconcile-orders-per-seller');
  await recordHistory(client.workflow.getHandle(sellerSweepWorkflowId(UK_SELLER)), 'reconcile-seller');

  // The next sweep goes on from an hour before the end of this one: only what changed since is found.
  const late = addOrder(UK_SELLER, { marketplaceId: UK, lastUpdatedTime: new Date(Date.now() - 30 * 60_000) });
  const second = await reconcile(taskQueue, `reconcile-${stamp}-uk-next`, { sellerIds: [UK_SELLER] });
  expect(second.totals).toMatchObject({ found: 1, started: 1 });
  const latest = () =>
    client.workflow.getHandle<() => Promise<SellerSweepResult>>(sellerSweepWorkflowId(UK_SELLER)).result();
  expect((await latest()).regions.map((region) => region.lastUpdatedAfter)).toEqual(
    sweep.regions.map((region) => new Date(Date.parse(region.lastUpdatedBefore!) - HOUR).toISOString()),
  );
  expect(await client.workflow.getHandle(late).describe()).toMatchObject({ type: 'reviewSolicitation' });

  // --days (force) looks back again: every order is found, and none is started twice.
  const forced = await reconcile(taskQueue, `reconcile-${stamp}-uk-forced`, {
    sellerIds: [UK_SELLER],
    days: 5,
    force: true,
  });
  expect(forced.totals).toMatchObject({ found: 4, started: 0, known: 4 });
  for (const region of (await latest()).regions) {
    expect(Math.abs(Date.parse(region.lastUpdatedAfter) - (Date.now() - 5 * DAY))).toBeLessThan(5 * 60_000);
  }
  expect(await signalsTo(known)).toBe(0);
});

it('skips a region where Amazon refuses the seller, with its reason, and counts no credential refusal', async () => {
  const taskQueue = uniqueTaskQueue('reconcile-refused');
  sim.sellsIn(NA_ONLY, ['na']);
  const missed = addOrder(NA_ONLY);
  const before = refusals.length;

  const result = await reconcile(taskQueue, `reconcile-${stamp}-refused`, { sellerIds: [NA_ONLY] });

  const regions = sweepOf(result, NA_ONLY).regions;
  expect(regions.map(({ region, started, refused }) => ({ region, started, refused }))).toEqual([
    { region: 'na', started: 1, refused: undefined },
    { region: 'eu', started: 0, refused: expect.stringContaining('Amazon refused the search in eu') },
    { region: 'fe', started: 0, refused: expect.stringContaining('Amazon refused the search in fe') },
  ]);
  expect(result.failures).toBe(0);
  expect(refusals.slice(before)).toEqual([]);
  expect(sweepOf(result, NA_ONLY).cursors).toEqual({ na: regions[0]!.lastUpdatedBefore });
  expect(await client.workflow.getHandle(missed).describe()).toMatchObject({ type: 'reviewSolicitation' });
});

it('searches a paused seller, counts a conflicting workflow ID and goes on, and reports a seller it cannot search', async () => {
  const taskQueue = uniqueTaskQueue('reconcile-conflict');
  const pausedMissed = addOrder(PAUSED);
  const held = addOrder(CONFLICT);
  // A workflow of another type holds the order's ID (no worker polls its queue: it stays running).
  await client.workflow.start('someOtherWorkflow', { workflowId: held, taskQueue: `${taskQueue}-other`, args: [] });
  const after = addOrder(CONFLICT);
  addOrder(UNKNOWN);

  const result = await reconcile(taskQueue, `reconcile-${stamp}-conflict`, { sellerIds: [PAUSED, CONFLICT, UNKNOWN] });

  expect(sweepOf(result, PAUSED).regions[0]).toMatchObject({ found: 1, started: 1 });
  expect(sweepOf(result, CONFLICT).regions[0]).toMatchObject({ found: 2, started: 1, conflict: 1 });
  expect(sweepOf(result, UNKNOWN).regions[0]!.failed).toMatch(/LWA refused/);
  expect(result).toMatchObject({ sellers: 3, failures: 1 });
  expect(await client.workflow.getHandle(pausedMissed).describe()).toMatchObject({ type: 'reviewSolicitation' });
  expect(await client.workflow.getHandle(after).describe()).toMatchObject({ type: 'reviewSolicitation' });
  expect(await client.workflow.getHandle(held).describe()).toMatchObject({ type: 'someOtherWorkflow' });
  expect(await signalsTo(held)).toBe(0);
  // A failed region keeps no cursor: the next sweep looks back as far again.
  expect(sweepOf(result, UNKNOWN).cursors).toEqual({});
  await client.workflow.getHandle(held).terminate();
});

it('keeps every history bounded: the run and the sweeps continue as new, and every order starts once', async () => {
  const taskQueue = uniqueTaskQueue('reconcile-bounded');
  const orders = PAGED.flatMap((id) => [addOrder(id), addOrder(id), addOrder(id)]);

  const result = await reconcile(
    taskQueue,
    `reconcile-${stamp}-bounded`,
    { sellerIds: PAGED, sweepsPerRun: 1, pagesPerRun: 1 },
    1,
  );

  expect(result).toMatchObject({ sellers: 3, regions: 3, failures: 0 });
  expect(result.totals).toMatchObject({ pages: 9, found: 9, started: 9, known: 0 });
  for (const id of orders) expect(await client.workflow.getHandle(id).describe()).toBeDefined();
  // Each seller's sweep read a page per run; the run started a sweep per run.
  const sweep = await client.workflow.getHandle(sellerSweepWorkflowId(PAGED[0]!)).fetchHistory();
  expect(sweep.events![0]!.workflowExecutionStartedEventAttributes!.continuedExecutionRunId).toBeTruthy();
  const run = await client.workflow.getHandle(`reconcile-${stamp}-bounded`).fetchHistory();
  expect(run.events![0]!.workflowExecutionStartedEventAttributes!.continuedExecutionRunId).toBeTruthy();
  expect(run.events!.length).toBeLessThan(60);
});

it("paces searchOrders per seller on its own task queue: one seller's pages never wait for another's", async () => {
  const taskQueue = uniqueTaskQueue('reconcile-paced');
  await configureSpApiTaskQueue(client.workflowService, {
    namespace: env.namespace ?? 'default',
    taskQueue,
    queue: searchOrdersTaskQueue(taskQueue),
    maxRps: 1,
  });
  for (const id of PACED) for (let index = 0; index < 6; index += 1) addOrder(id);
  const from = sim.requests.length;

  const result = await reconcile(taskQueue, `reconcile-${stamp}-paced`, { sellerIds: PACED }, 1);

  expect(result.totals).toMatchObject({ pages: 12, started: 12 });
  const calls = sim.requests.slice(from).filter((request) => request.operation === 'searchOrders');
  const spans = PACED.map((id) => {
    const times = calls.filter((call) => call.sellerId === id).map((call) => call.at.getTime());
    return { pages: times.length, span: times.at(-1)! - times[0]! };
  });
  // Six pages at 1 a second take 5 s for each seller (less the limiter's burst of a few pages; unpaced, they
  // take well under a second), and the two sellers go at once.
  for (const { pages, span } of spans) {
    expect(pages).toBe(6);
    expect(span).toBeGreaterThanOrEqual(2000);
  }
  const all = calls.map((call) => call.at.getTime());
  expect(Math.max(...all) - Math.min(...all)).toBeLessThan(spans[0]!.span + spans[1]!.span);
});

it('solicit reconcile --seller --region runs reconcileOrders, a line per seller while it waits, and prints its counts', async () => {
  ensureBuilt();
  const taskQueue = uniqueTaskQueue('reconcile-cli');
  const missed = addOrder(CLI, { marketplaceId: UK });
  addOrder(CLI);
  const { temporalAddress, temporalNamespace } = runServers();
  const settings = { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: temporalNamespace, TASK_QUEUE: taskQueue };
  const workers = {
    connection: env.nativeConnection,
    client,
    taskQueue,
    orders: clients.orders,
    sellers: sellersOf(ENTRIES),
  };
  const text = await withReconcileWorkers(workers, () =>
    runSolicit(['reconcile', '--seller', CLI, '--region', 'eu'], settings),
  );
  expect(text.code).toBe(0);
  expect(text.stderr).toContain(`seller ${CLI}: EU 1 found, 1 started`);
  expect(text.stdout).toContain('1 sellers, 1 seller-regions swept');
  expect(await client.workflow.getHandle(missed).describe()).toMatchObject({ type: 'reviewSolicitation' });

  const json = await withReconcileWorkers(workers, () =>
    runSolicit(['reconcile', '--json', '--days', '2', '--seller', CLI], settings),
  );
  expect(json.stderr).toBe('');
  expect(json.code).toBe(0);
  const printed = JSON.parse(json.stdout) as ReconcileRunResult & { workflowId: string };
  expect(printed).toMatchObject({ days: 2, force: true, sellers: 1, regions: 2, failures: 0 });
  expect(printed.workflowId).toMatch(/^reconcile-orders-manual-\d{4}-/);
  expect(printed.totals).toMatchObject({ found: 2, started: 1, known: 1 });

  const usage = await runSolicit(['reconcile', '--region', 'us'], { TEMPORAL_ADDRESS: temporalAddress });
  expect(usage.code).toBe(2);
  expect(usage.stderr.trim().split('\n')).toEqual([expect.stringContaining('--region must be na, eu or fe')]);
});

it('the activity of runs from before per-seller sweeps goes on from the page token heartbeated before a restart', async () => {
  const id = RESUMED;
  const orders = Array.from({ length: 5 }, () => addOrder(id));
  const since = new Date(Date.now() - 3 * DAY).toISOString();
  const firstPage = await clients.orders.searchOrders({
    sellerId: id,
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
  const activity = new MockActivityEnvironment({ heartbeatDetails: checkpoint, attempt: 2 });
  const taskQueue = uniqueTaskQueue('reconcile-resume');
  const activities = createLegacyReconcileActivities({
    orders: clients.orders,
    start: (input) => startOrder(client, taskQueue, input),
    sellerIds: () => [id],
    policy: DEFAULT_POLICY,
    logger: createLogger('error'),
    pace: { ratePerSecond: 10, burst: 100 },
    pageSize: 2,
  });
  const result = await activity.run(activities.reconcileSeller, { sellerId: id, since, region: 'na' as const });

  expect(result).toMatchObject({ pages: 3, found: 5, started: 5, alreadyKnown: 0 });
  for (const order of orders.slice(0, 2)) await expect(client.workflow.getHandle(order).describe()).rejects.toThrow();
  for (const order of orders.slice(2)) await expect(client.workflow.getHandle(order).describe()).resolves.toBeDefined();
});
