import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  DEFAULT_POLICY,
  type ReviewSolicitationInput,
  type ReviewSolicitationResult,
} from '../../../src/domain/contract';
import { startOrder } from '../../../src/orders/start';
import { createLogger } from '../../../src/logging';
import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { spApiClientsFromEnv } from '../../../src/spapi/from-env';
import { runSolicitationWorkers } from '../../../src/workers/worker';
import { DAY } from '../../helpers/clock';
import { followServerTime, serverClock } from '../../helpers/server-clock';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../helpers/temporal';

/**
 * Amazon throttling or failing for a long stretch: every order is still solicited exactly once, inside its
 * window. Under the time-skipping server, with the product's workers and SP-API clients against the
 * simulator, whose clock follows the server's.
 */

const MARKETPLACE = 'ATVPDKIKX0DER';
const ORDERS = 5;

let env: TestWorkflowEnvironment;
let simulator: SpApiSimulator;
let taskQueue: string;
const stop = new AbortController();
let workers: Promise<void>;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  const clock = await serverClock(env);
  simulator = await startSpApiSimulator({ now: clock.now });
  const { solicitations } = spApiClientsFromEnv(simulator.env(), { now: clock.nowMs });
  taskQueue = uniqueTaskQueue('storm');
  workers = runSolicitationWorkers({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    solicitations: followServerTime(solicitations, clock),
    logger: createLogger('error'),
    maxSpApiRequestsPerSecond: 1,
    signal: stop.signal,
  });
  void workers.catch(() => undefined);
});

afterAll(async () => {
  stop.abort();
  await workers;
  await simulator?.close();
  await env?.teardown();
});

/** Orders delivered yesterday: their windows open in four days. */
async function startOrders(name: string): Promise<string[]> {
  const now = await env.currentTimeMs();
  const delivered = new Date(now - DAY).toISOString();
  const orderIds = Array.from({ length: ORDERS }, (_, i) => `${name}-${i}`);
  for (const amazonOrderId of orderIds) {
    simulator.addOrder({
      amazonOrderId,
      marketplaceId: MARKETPLACE,
      earliestDeliveryDate: delivered,
      latestDeliveryDate: delivered,
    });
    const input: ReviewSolicitationInput = {
      amazonOrderId,
      marketplaceId: MARKETPLACE,
      sellerId: 'A1SIMULATEDSELLER',
      fulfillmentChannel: 'MFN',
      shippedAt: new Date(now - 3 * DAY).toISOString(),
      earliestDeliveryDate: delivered,
      latestDeliveryDate: delivered,
      policy: DEFAULT_POLICY,
    };
    expect(await startOrder(env.client, taskQueue, input)).toBe('started');
  }
  return orderIds;
}

async function expectSolicitedOnceInsideWindows(orderIds: string[]): Promise<void> {
  const results: ReviewSolicitationResult[] = [];
  for (const id of orderIds)
    results.push((await env.client.workflow.getHandle(id).result()) as ReviewSolicitationResult);
  expect(results.map((result) => result.outcome)).toEqual(orderIds.map(() => 'solicited'));
  for (const id of orderIds) {
    const sent = simulator.solicitations.filter((solicitation) => solicitation.amazonOrderId === id);
    expect(sent).toHaveLength(1);
    const { solicitAfter, solicitBefore } = simulator.order(id)!;
    expect(sent[0]!.at.getTime()).toBeGreaterThanOrEqual(solicitAfter.getTime());
    expect(sent[0]!.at.getTime()).toBeLessThan(solicitBefore.getTime());
  }
}

function answered(orderIds: string[], status: number): number {
  return simulator.requests.filter((request) => orderIds.includes(request.amazonOrderId!) && request.status === status)
    .length;
}

it('rides out a storm of 429s', async () => {
  const orderIds = await startOrders('storm-429');
  const storm = 100;
  simulator.injectFailures(storm, { status: 429 });
  await expectSolicitedOnceInsideWindows(orderIds);
  expect(answered(orderIds, 429)).toBeGreaterThanOrEqual(storm);
});

it('rides out a storm of 500s and 503s', async () => {
  const orderIds = await startOrders('storm-5xx');
  simulator.injectFailures(40, { status: 500 });
  simulator.injectFailures(40, { status: 503 });
  await expectSolicitedOnceInsideWindows(orderIds);
  expect(answered(orderIds, 500)).toBe(40);
  expect(answered(orderIds, 503)).toBe(40);
});
