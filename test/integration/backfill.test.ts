import { defaultPayloadConverter, WorkflowNotFoundError } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { runBackfill, type BackfillOptions } from '../../src/backfill/backfill';
import { DEFAULT_POLICY, type ReviewSolicitationInput } from '../../src/domain/contract';
import { startOrder } from '../../src/orders/start';
import {
  SIMULATOR_SELLER_ID,
  startSpApiSimulator,
  type SimulatedOrderInput,
  type SpApiSimulator,
} from '../../src/simulator';
import type { SpApiClients } from '../../src/spapi/clients';
import { spApiClientsFromEnv } from '../../src/spapi/from-env';
import { DAY, HOUR } from '../helpers/clock';
import { MARKETPLACE } from '../helpers/spapi';
import { connectToDevServer, countWorkflowsOn, uniqueTaskQueue } from '../helpers/temporal';
import { forTheFile, readThrough } from '../helpers/for-the-file';
import { orderInput } from '../helpers/orders';

/** Backfill against the SP-API simulator and the real Temporal dev server: which workflows exist afterwards. */

const CANADA = 'A2EUQ1WTGCTBG2';
// Fast enough for a test; the simulator announces it in x-amzn-RateLimit-Limit, so a 429 waits 100 ms.
const PLAN = { ratePerSecond: 10, burst: 100 };
const env = forTheFile(connectToDevServer);
const client = readThrough(() => env.client);
let sim: SpApiSimulator;
let clients: SpApiClients;

beforeEach(async () => {
  sim = await startSpApiSimulator({ usagePlans: { searchOrders: PLAN } });
  clients = spApiClientsFromEnv(sim.env());
});
afterEach(() => sim.close());

const stamp = `${Date.now().toString(36)}-${process.pid}`;
let names = 0;

/** An order ID no earlier run against the same dev server used. */
function orderId(): string {
  names += 1;
  return `backfill-${stamp}-${names}`;
}

function addOrder(changes: Partial<SimulatedOrderInput> = {}): string {
  const now = Date.now();
  const amazonOrderId = orderId();
  sim.addOrder({
    amazonOrderId,
    marketplaceId: MARKETPLACE,
    createdTime: new Date(now - 4 * DAY + names * HOUR),
    shipTime: new Date(now - 3 * DAY),
    earliestDeliveryDate: new Date(now + DAY),
    latestDeliveryDate: new Date(now + 3 * DAY),
    ...changes,
  });
  return amazonOrderId;
}

function backfill(taskQueue: string, options: Partial<BackfillOptions> = {}) {
  return runBackfill({
    orders: clients.orders,
    start: (input) => startOrder(client, taskQueue, input),
    sellerIds: [SIMULATOR_SELLER_ID],
    region: 'na',
    days: 40,
    policy: DEFAULT_POLICY,
    pageSize: 3,
    pace: PLAN,
    ...options,
  });
}

/** What the order's workflow was started with, from its history. */
async function startedWith(workflowId: string): Promise<unknown> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const [input] = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
  return defaultPayloadConverter.fromPayload(input!);
}

/** The input ingest would have built for the simulated order. */
function expectedInput(amazonOrderId: string): ReviewSolicitationInput {
  const order = sim.order(amazonOrderId)!;
  const merchant = order.fulfilledBy === 'MERCHANT';
  return orderInput({
    amazonOrderId,
    marketplaceId: order.marketplaceId,
    sellerId: SIMULATOR_SELLER_ID,
    fulfillmentChannel: merchant ? 'MFN' : 'AFN',
    ...(merchant
      ? {
          shippedAt: order.shipTime.toISOString(),
          earliestDeliveryDate: order.earliestDeliveryDate.toISOString(),
          latestDeliveryDate: order.latestDeliveryDate.toISOString(),
        }
      : { shippedAt: order.createdTime.toISOString(), earliestDeliveryDate: undefined, latestDeliveryDate: undefined }),
  });
}

async function expectWorkflow(workflowId: string, taskQueue: string): Promise<void> {
  const description = await client.workflow.getHandle(workflowId).describe();
  expect(description).toMatchObject({ type: 'reviewSolicitation', taskQueue });
  expect(await startedWith(workflowId)).toEqual(expectedInput(workflowId));
}

async function expectNoWorkflow(workflowId: string): Promise<void> {
  await expect(client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

it('starts one workflow per shipped order over several pages; a second run starts nothing new', async () => {
  const taskQueue = uniqueTaskQueue('backfill');
  const now = Date.now();
  const merchant = Array.from({ length: 5 }, () => addOrder());
  const amazon = Array.from({ length: 2 }, () => addOrder({ fulfilledBy: 'AMAZON' }));
  const unshipped = addOrder({ fulfillmentStatus: 'UNSHIPPED' });
  // Updated five days ago (a refund, say), but delivered by 35 days ago: Amazon's window closed 5 days ago.
  const closedWindow = addOrder({
    createdTime: new Date(now - 45 * DAY),
    shipTime: new Date(now - 42 * DAY),
    earliestDeliveryDate: new Date(now - 40 * DAY),
    latestDeliveryDate: new Date(now - 35 * DAY),
    lastUpdatedTime: new Date(now - 5 * DAY),
  });

  const first = await backfill(taskQueue);
  expect(first).toMatchObject({ pages: 3, found: 8, started: 7, signalled: 0, closed: 0, skipped: 1 });
  expect(first.skippedOrders).toEqual([
    { amazonOrderId: closedWindow, sellerId: SIMULATOR_SELLER_ID, reason: 'window closed', detail: expect.any(String) },
  ]);
  for (const id of [...merchant, ...amazon]) await expectWorkflow(id, taskQueue);
  await expectNoWorkflow(unshipped);
  await expectNoWorkflow(closedWindow);
  expect(await countWorkflowsOn(client, taskQueue, 7)).toBe(7);

  await client.workflow.getHandle(merchant[0]!).terminate('finished before the second run');
  const second = await backfill(taskQueue);
  // The running orders' windows are the ones their workflows have: nothing is sent to them.
  expect(second).toMatchObject({ pages: 3, found: 8, started: 0, signalled: 0, unchanged: 6, closed: 1, skipped: 1 });
  expect(await countWorkflowsOn(client, taskQueue, 7)).toBe(7);
});

it('waits out a 429 in the middle of the pages and resumes where it stopped, losing and repeating nothing', async () => {
  const taskQueue = uniqueTaskQueue('backfill-429');
  const orders = Array.from({ length: 7 }, () => addOrder());
  const started: string[] = [];
  const waits: number[] = [];
  let injected = false;

  const summary = await backfill(taskQueue, {
    pageSize: 2,
    start: async (input) => {
      started.push(input.amazonOrderId);
      return startOrder(client, taskQueue, input);
    },
    onProgress: ({ pages }) => {
      if (pages === 1 && !injected) sim.injectFailures(1, { status: 429, operation: 'searchOrders' });
      injected ||= pages === 1;
    },
    sleep: async (ms) => {
      waits.push(ms);
      await delay(ms);
    },
  });

  const searches = sim.requests.filter((request) => request.operation === 'searchOrders');
  expect(searches.map((request) => request.status)).toEqual([200, 429, 200, 200, 200]);
  // The 429's wait, as long as the rate Amazon announced implies; then pages at that rate, the bucket being empty.
  expect(waits[0]).toBe(Math.ceil(1000 / PLAN.ratePerSecond));
  expect(waits.every((ms) => ms <= 100)).toBe(true);
  expect(summary).toMatchObject({ pages: 4, found: 7, started: 7 });
  expect(started).toEqual(orders);
  expect(await countWorkflowsOn(client, taskQueue, 7)).toBe(7);
});

it('asks for the last --days days and the --marketplace given', async () => {
  const taskQueue = uniqueTaskQueue('backfill-scope');
  const now = Date.now();
  const recent = addOrder({ lastUpdatedTime: new Date(now - 10 * DAY) });
  // Shipped 50 days ago with a long delivery promise: its window is still open.
  const older = addOrder({
    createdTime: new Date(now - 52 * DAY),
    shipTime: new Date(now - 50 * DAY),
    earliestDeliveryDate: new Date(now - 45 * DAY),
    latestDeliveryDate: new Date(now - 20 * DAY),
  });
  const canadian = addOrder({ marketplaceId: CANADA });

  const unitedStates = await backfill(taskQueue, { marketplaceIds: [MARKETPLACE] });
  expect(unitedStates).toMatchObject({ found: 1, started: 1 });
  await expectWorkflow(recent, taskQueue);
  await expectNoWorkflow(older);
  await expectNoWorkflow(canadian);

  const region = await backfill(taskQueue, { days: 60 });
  expect(region).toMatchObject({ found: 3, started: 2, unchanged: 1 });
  await expectWorkflow(older, taskQueue);
  await expectWorkflow(canadian, taskQueue);
});
