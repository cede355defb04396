import type { Client } from '@temporalio/client';
import { DEFAULT_POLICY, type ReviewSolicitationInput } from '../../src/domain/contract';
import { startOrder } from '../../src/orders/start';
import { startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { runServers } from '../setup/servers';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const DAY_MS = 24 * 60 * 60 * 1000;
const ORDERS = 8;
const MAX_RPS = 1;
/** Amazon's burst for both Solicitations operations (usage plan: 1 request/s, burst 5). */
const AMAZON_BURST = 5;

/**
 * SPAPI_MAX_RPS is a limit for the whole deployment, not per worker. Like Amazon's own usage plans it is a
 * rate with a burst: Temporal's task-queue rate limit is spread over the queue's partitions (4 by default),
 * so a few calls can leave together, and the long-run rate is the limit. The test holds every call of two
 * worker processes, both operations together, to Amazon's token bucket at SPAPI_MAX_RPS: a stricter bound
 * than Amazon's, which counts each operation on its own.
 */
describe('SP-API pacing across worker processes', () => {
  let env: TestWorkflowEnvironment;
  let simulator: SpApiSimulator;
  const workers: SolicitProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    env = await connectToDevServer();
    simulator = await startSpApiSimulator();
  });

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await simulator?.close();
    await env?.teardown();
  });

  it(`keeps every SP-API call of two workers within ${MAX_RPS} request/s, with no 429`, async () => {
    const taskQueue = uniqueTaskQueue('pacing');
    const workerEnv = {
      ...simulator.env(),
      TEMPORAL_ADDRESS: runServers().temporalAddress,
      TASK_QUEUE: taskQueue,
      SPAPI_MAX_RPS: String(MAX_RPS),
    };
    workers.push(spawnSolicit(['worker'], workerEnv), spawnSolicit(['worker'], workerEnv));
    await Promise.all(workers.map((worker) => worker.waitForLogs((line) => line.message === 'workers started')));

    const now = Date.now();
    const orderIds = Array.from({ length: ORDERS }, (_, i) => `${taskQueue}-order-${i}`);
    await startOpenOrders(env.client, taskQueue, orderIds, now);

    await eventually(
      'solicitations sent',
      () => Promise.resolve(simulator.solicitations.length),
      (sent) => sent === ORDERS,
      90_000,
    );

    const calls = simulator.requests;
    expect(calls.filter((call) => call.status === 429)).toEqual([]);
    expect(calls).toHaveLength(2 * ORDERS);
    expect(
      tokenBucketViolations(
        calls.map((call) => call.at.getTime()),
        MAX_RPS,
        AMAZON_BURST,
      ),
    ).toEqual([]);
    expect(new Set(simulator.solicitations.map((s) => s.amazonOrderId))).toEqual(new Set(orderIds));
    // Both processes took part: the limit held across workers, not inside one.
    for (const worker of workers) {
      expect(worker.logs.filter((line) => line.message === 'eligibility checked').length).toBeGreaterThan(0);
    }
  });

  async function startOpenOrders(client: Client, taskQueue: string, orderIds: string[], now: number) {
    const earliestDeliveryDate = new Date(now - 6 * DAY_MS).toISOString();
    const latestDeliveryDate = new Date(now + DAY_MS).toISOString();
    for (const amazonOrderId of orderIds) {
      simulator.addOrder({ amazonOrderId, marketplaceId: 'ATVPDKIKX0DER', earliestDeliveryDate, latestDeliveryDate });
    }
    await Promise.all(
      orderIds.map((amazonOrderId) => {
        const input: ReviewSolicitationInput = {
          amazonOrderId,
          marketplaceId: 'ATVPDKIKX0DER',
          sellerId: 'A1SIMULATEDSELLER',
          fulfillmentChannel: 'MFN',
          shippedAt: new Date(now - 8 * DAY_MS).toISOString(),
          earliestDeliveryDate,
          latestDeliveryDate,
          policy: DEFAULT_POLICY,
        };
        return startOrder(client, taskQueue, input);
      }),
    );
  }
});

/** The calls a token bucket of `ratePerSecond` and `burst`, full at the first call, would have refused. */
function tokenBucketViolations(times: number[], ratePerSecond: number, burst: number): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  const refused: number[] = [];
  let tokens = burst;
  let last = sorted[0] ?? 0;
  for (const at of sorted) {
    tokens = Math.min(burst, tokens + ((at - last) / 1000) * ratePerSecond);
    last = at;
    // Clocks of the simulator and of the server's rate limiter are read a few milliseconds apart.
    if (tokens < 0.99) refused.push(at);
    else tokens -= 1;
  }
  return refused;
}
