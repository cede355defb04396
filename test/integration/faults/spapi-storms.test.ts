import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ReviewSolicitationResult } from '../../../src/domain/contract';
import { startOrder } from '../../../src/orders/start';
import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { spApiClientsFromEnv } from '../../../src/spapi/from-env';
import { runProductWorkers, type RunningWorkers } from '../../helpers/workers';
import { DAY } from '../../helpers/clock';
import { followServerTime, serverClock } from '../../helpers/server-clock';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../helpers/temporal';
import { orderInput } from '../../helpers/orders';

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
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  const clock = await serverClock(env);
  simulator = await startSpApiSimulator({ now: clock.now });
  const { solicitations } = spApiClientsFromEnv(simulator.env(), { now: clock.nowMs });
  taskQueue = uniqueTaskQueue('storm');
  workers = runProductWorkers(env, {
    taskQueue,
    solicitations: followServerTime(solicitations, clock),
    maxSpApiRequestsPerSecond: 1,
  });
});

afterAll(async () => {
  await workers?.stop();
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
    const input = orderInput({
      amazonOrderId,
      marketplaceId: MARKETPLACE,
      sellerId: 'A1SIMULATEDSELLER',
      shippedAt: new Date(now - 3 * DAY).toISOString(),
      earliestDeliveryDate: delivered,
      latestDeliveryDate: delivered,
    });
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
