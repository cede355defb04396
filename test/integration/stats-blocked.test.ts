import { randomInt } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DEFAULT_POLICY, cancelSignal, type ReviewSolicitationInput } from '../../src/domain/contract';
import { startOrder } from '../../src/orders/start';
import { phaseStats, phaseStatsText } from '../../src/operator/phase-stats';
import { PHASES } from '../../src/domain/contract';
import { eventually } from '../helpers/eventually';
import { iso } from '../helpers/orders';
import { DAY } from '../helpers/solicitation-harness';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { countingVisibilityClient } from '../helpers/visibility-calls';
import { runServers } from '../setup/servers';

/**
 * `solicit stats` when more orders are blocked than the blocked list reads: one count per phase, one
 * list call, a status query for the sellers with the most only, and counts that say "at least". The
 * bound is the function's parameter (5 here, 1,000 in the command).
 */
const { temporalAddress, temporalNamespace } = runServers();
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectToDevServer();
});
afterAll(() => env?.teardown());

const stamp = `${process.pid}${Date.now().toString(36)}`.toUpperCase();
const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');

function order(sellerId: string): ReviewSolicitationInput {
  const earliest = Math.floor((Date.now() - 2 * DAY) / 1000) * 1000;
  return {
    amazonOrderId: `904-${digits(7)}-${digits(7)}`,
    marketplaceId: 'ATVPDKIKX0DER',
    sellerId,
    fulfillmentChannel: 'MFN',
    shippedAt: iso(earliest - 2 * DAY),
    earliestDeliveryDate: iso(earliest),
    latestDeliveryDate: iso(earliest + 2 * DAY),
    policy: DEFAULT_POLICY,
  };
}

it('reads at most the bound of blocked orders, asks few reasons, and says "at least"', async () => {
  const big = `ASTB${stamp}BIG`;
  const small = [1, 2, 3, 4].map((n) => `ASTB${stamp}S${n}`);
  // The big seller's orders first: visibility lists the newest first, so the read bound meets small ones.
  const inputs = [...Array.from({ length: 6 }, () => order(big)), ...small.map(order)];
  const filter = [big, ...small].map((sellerId) => `AmazonSellerId = '${sellerId}'`).join(' OR ');
  const stubQueue = uniqueTaskQueue('stats-blocked');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: temporalNamespace,
    taskQueue: stubQueue,
    workflowsPath: require.resolve('../fixtures/workflows/blocked-order-stub'),
  });
  await worker.runUntil(async () => {
    for (const input of inputs) await startOrder(env.client, stubQueue, input);
    await eventually(
      'every order blocked in visibility',
      async () => (await env.client.workflow.count(`(${filter}) AND SolicitationPhase = 'blocked'`)).count,
      (count) => count === inputs.length,
    );

    const counting = await countingVisibilityClient(temporalAddress, temporalNamespace);
    try {
      const stats = await phaseStats(counting.client, { filter, blockedRead: 5, reasonsAsked: 2 });
      expect(counting.calls).toEqual({ countWorkflowExecutions: PHASES.length, listWorkflowExecutions: 1 });
      expect(stats.phases.blocked).toBe(10);
      expect(stats.total).toBe(10);
      expect(stats.blockedComplete).toBe(false);
      expect(stats.blocked.reduce((sum, seller) => sum + seller.orders, 0)).toBe(5);
      const asked = stats.blocked.filter((seller) => seller.asked);
      expect(asked).toHaveLength(2);
      for (const seller of asked) {
        expect(seller.reason).toBe(`Amazon refused seller ${seller.sellerId}'s authorization (invalid_grant)`);
      }
      for (const seller of stats.blocked.filter((one) => !one.asked)) expect(seller.reason).toBeNull();

      const text = phaseStatsText(stats);
      expect(text).toContain('blocked orders per seller, from the first 5 of 10 blocked orders');
      const rows = text.slice(text.indexOf('SELLER')).trimEnd().split('\n').slice(1);
      expect(rows).toHaveLength(stats.blocked.length);
      for (const row of rows) expect(row).toMatch(/^ASTB\S+ +at least \d+ +\S/);
      const notAsked = stats.blocked.find((seller) => !seller.asked)!;
      expect(text).toContain(`solicit status ${notAsked.sampleOrderId}`);

      // Read whole, the same list is exact.
      const whole = await phaseStats(counting.client, { filter });
      expect(whole.blockedComplete).toBe(true);
      expect(whole.blocked.map(({ sellerId, orders }) => [sellerId, orders])).toEqual([
        [big, 6],
        ...[...small].sort().map((sellerId) => [sellerId, 1]),
      ]);
      expect(phaseStatsText(whole)).toMatch(/^blocked orders per seller:$/m);
    } finally {
      await counting.close();
    }
    for (const input of inputs) await env.client.workflow.getHandle(input.amazonOrderId).signal(cancelSignal, {});
  });
});
