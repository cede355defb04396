import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startSpApiSimulator, type SpApiSimulator } from '../../src/simulator';
import { ensureBuilt } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import {
  AMAZON_PLAN,
  addSellers,
  callsBySellerAndOperation,
  startOrders,
  startSellerWorkers,
  tokenBucketViolations,
} from '../helpers/seller-fleet';
import { connectToDevServer } from '../helpers/temporal';
import { runServers } from '../setup/servers';

const BIG_ORDERS = 12;

/**
 * docs/spec.md, "SP-API pacing": the server paces each fairness key `<sellerId>:<operation>` to SPAPI_MAX_RPS, so
 * every seller gets Amazon's allowance whatever the number of sellers and workers, and a seller with few
 * orders does not queue behind one with many. With one queue-wide limit instead, the aggregate rate would
 * be one seller's allowance and the small seller's order would wait behind the others' backlog: both
 * checks below fail then.
 */
describe('SP-API pacing per seller across worker processes', () => {
  let env: TestWorkflowEnvironment;
  let simulator: SpApiSimulator;
  let stopWorkers: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ensureBuilt();
    env = await connectToDevServer();
    simulator = await startSpApiSimulator();
  });

  afterAll(async () => {
    await stopWorkers?.();
    await simulator?.close();
    await env?.teardown();
  });

  it("holds each seller to Amazon's bucket, runs sellers side by side and lets a small seller through", async () => {
    const taskQueue = runServers().pacedTaskQueue;
    const [big, busy, small] = addSellers(simulator, 'A3PACING', 3) as [string, string, string];
    const fleet = await startSellerWorkers({
      simulator,
      sellers: [big, busy, small],
      temporalAddress: runServers().temporalAddress,
      taskQueue,
      count: 2,
      env: { SPAPI_MAX_RPS: '1' },
    });
    stopWorkers = fleet.stop;
    for (const worker of fleet.workers) {
      expect(worker.logs.some((line) => /each seller and operation limited to 1 request\/s/.test(line.message))).toBe(
        true,
      );
    }

    const now = Date.now();
    const backlog = [big, busy].flatMap((sellerId) =>
      Array.from({ length: BIG_ORDERS }, (_, i) => ({ amazonOrderId: `${taskQueue}-${sellerId}-${i}`, sellerId })),
    );
    await startOrders(env.client, simulator, taskQueue, backlog, now);
    const smallOrder = { amazonOrderId: `${taskQueue}-${small}-0`, sellerId: small };
    const smallStartedAt = Date.now();
    await startOrders(env.client, simulator, taskQueue, [smallOrder], now);

    await eventually(
      'every order solicited',
      () => Promise.resolve(simulator.solicitations.length),
      (sent) => sent === backlog.length + 1,
      90_000,
    );

    const calls = simulator.requests.filter((call) => call.sellerId?.startsWith('A3PACING'));
    expect(calls.filter((call) => call.status === 429)).toEqual([]);
    expect(calls).toHaveLength(2 * (backlog.length + 1));
    const byKey = callsBySellerAndOperation(calls);
    expect(byKey.size).toBe(6);
    for (const [key, times] of byKey) {
      expect({ key, refused: tokenBucketViolations(times, AMAZON_PLAN.ratePerSecond, AMAZON_PLAN.burst) }).toEqual({
        key,
        refused: [],
      });
    }

    // One seller's allowance is 1 request/s per operation, 2 for both: the three together went faster.
    const times = calls.map((call) => call.at.getTime());
    const aggregateRps = (calls.length - 1) / ((Math.max(...times) - Math.min(...times)) / 1000);
    expect(aggregateRps).toBeGreaterThan(3);

    // Behind one queue-wide limit the small seller's order would wait for the 24 others' calls.
    const smallSent = simulator.solicitations.find((s) => s.amazonOrderId === smallOrder.amazonOrderId)!;
    expect(smallSent.at.getTime() - smallStartedAt).toBeLessThan(5000);
    const lastBacklogSent = Math.max(
      ...simulator.solicitations.filter((s) => s.sellerId !== small).map((s) => s.at.getTime()),
    );
    expect(lastBacklogSent - smallSent.at.getTime()).toBeGreaterThan(5000);

    for (const worker of fleet.workers) {
      expect(worker.logs.filter((line) => line.message === 'eligibility checked').length).toBeGreaterThan(0);
    }
  });
});
