import { policyFromEnv } from '../../../src/config/policy';
import { DEFAULT_POLICY, type ReviewSolicitationResult, type SolicitationPolicy } from '../../../src/domain/contract';
import { freePort } from '../../../src/local/processes';
import { startOrder } from '../../../src/orders/start';
import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { DAY } from '../../helpers/clock';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../../helpers/cli';
import { eventually } from '../../helpers/eventually';
import { startSlowProxy, type SlowProxy } from '../../helpers/slow-proxy';
import { connectToDevServer, uniqueTaskQueue } from '../../helpers/temporal';
import { forTheFile } from '../../helpers/for-the-file';
import { runServers } from '../../setup/servers';
import { orderInput } from '../../helpers/orders';

/**
 * kill -9 of `solicit worker` while its solicit calls are in flight, then a new worker: every order is
 * solicited exactly once at Amazon, and ends `solicited` at the time of its first attempt (Amazon's "not
 * available" to the retry is our own send whose reply was lost). The SP-API is reached through a proxy that
 * holds Amazon's answers for a while: Amazon has sent every solicitation when the worker dies, and the worker
 * has heard of none, so the kill lands in the worst place rather than at a lucky millisecond. Orders started
 * before `checkAndSend` (a check activity, then a send activity) and after (one activity for both) alike.
 *
 * (kill -9 of `solicit ingest` in the middle of a batch: test/integration/ingest-process.test.ts.)
 */

/** Within Amazon's burst of 5, so that every call leaves at once. */
const ORDERS = 5;
/** The first orders with the policy of orders started before `checkAndSend`, the others with today's. */
const OLD_POLICY_ORDERS = 2;
/** The workflow's startToCloseTimeout of an SP-API call: how long an attempt lost with a worker takes to retry. */
const ACTIVITY_TIMEOUT_MS = 60_000;

const env = forTheFile(connectToDevServer);
let simulator: SpApiSimulator;
let proxy: SlowProxy;
const workers: SolicitProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  simulator = await startSpApiSimulator();
  proxy = await startSlowProxy(new URL(simulator.url).host, 2_000, { hold: 'responses' });
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
  await proxy?.close();
  await simulator?.close();
});

it(
  'solicits each order exactly once when the worker is killed with -9 during its solicit calls',
  async () => {
    const taskQueue = uniqueTaskQueue('worker-kill');
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    const worker = () => {
      const started = spawnSolicit(['worker'], {
        ...simulator.env(),
        SPAPI_ENDPOINT: `http://${proxy.address}`,
        TEMPORAL_ADDRESS: runServers().temporalAddress,
        TASK_QUEUE: taskQueue,
        SPAPI_MAX_RPS: '100',
        METRICS_ADDRESS: metricsAddress,
      });
      workers.push(started);
      return started;
    };
    const first = worker();
    await first.waitForLogs((line) => line.message === 'workers started');

    const orderIds = Array.from({ length: ORDERS }, (_, i) => `${taskQueue}-${i}`);
    const startedAt = Date.now();
    await startOpenOrders(taskQueue, orderIds);
    // Amazon has taken every send; its answers are still in the proxy.
    await eventually(
      'every solicit call at Amazon',
      () => Promise.resolve(simulator.solicitations.length),
      (sent) => sent === ORDERS,
    );
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(first.logs.filter((line) => line.message === 'solicited')).toEqual([]);

    const second = worker();
    const results: ReviewSolicitationResult[] = await Promise.all(
      orderIds.map((id) => env.client.workflow.getHandle(id).result()),
    );

    // The new worker retried each lost attempt; Amazon refused the second send, so nothing went twice, and
    // the refusal of a send of our own is read as the send it is.
    expect(results.map((result) => result.outcome)).toEqual(orderIds.map(() => 'solicited'));
    for (const [i, id] of orderIds.entries()) {
      expect(simulator.solicitations.filter((solicitation) => solicitation.amazonOrderId === id)).toHaveLength(1);
      const activity = i < OLD_POLICY_ORDERS ? 'solicit' : 'checkAndSolicit';
      expect(await attempts(id, activity)).toBe(2);
      const solicitedAt = Date.parse(results[i]?.solicitedAt ?? '');
      expect(solicitedAt).toBeGreaterThanOrEqual(startedAt);
      expect(solicitedAt).toBeLessThanOrEqual(killedAt);
    }
    // A retry never asks Amazon again once the check said yes.
    const checks = simulator.requests.filter((request) => request.operation === 'getSolicitationActionsForOrder');
    expect(checks).toHaveLength(ORDERS);
    // Counted as sent by the worker that learnt of them.
    const metrics = await (await fetch(`http://${metricsAddress}/metrics`)).text();
    expect(sentTotal(metrics)).toBe(ORDERS);
    expect(second.logs.filter((line) => line.message.startsWith('solicited'))).toHaveLength(ORDERS);
  },
  ACTIVITY_TIMEOUT_MS + 60_000,
);

async function startOpenOrders(taskQueue: string, orderIds: string[]): Promise<void> {
  const now = Date.now();
  const earliestDeliveryDate = new Date(now - 6 * DAY).toISOString();
  const latestDeliveryDate = new Date(now - 5 * DAY).toISOString();
  for (const [i, amazonOrderId] of orderIds.entries()) {
    const policy: SolicitationPolicy = i < OLD_POLICY_ORDERS ? DEFAULT_POLICY : policyFromEnv({});
    simulator.addOrder({ amazonOrderId, marketplaceId: 'ATVPDKIKX0DER', earliestDeliveryDate, latestDeliveryDate });
    const input = orderInput({
      amazonOrderId,
      sellerId: 'A1SIMULATEDSELLER',
      shippedAt: new Date(now - 8 * DAY).toISOString(),
      earliestDeliveryDate,
      latestDeliveryDate,
      policy,
    });
    expect(await startOrder(env.client, taskQueue, input)).toBe('started');
  }
}

/** The sum of `solicitations_sent_total` over its label sets, in Prometheus' text format. */
function sentTotal(metrics: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('solicitations_sent_total'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** The attempt number of the order's last activity of the type, from its history. */
async function attempts(amazonOrderId: string, activityType: string): Promise<number> {
  const history = await env.client.workflow.getHandle(amazonOrderId).fetchHistory();
  const events = history.events ?? [];
  const scheduled = events.find(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === activityType,
  )?.eventId;
  const started = events.find(
    (event) => event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduled?.toString(),
  );
  return started?.activityTaskStartedEventAttributes?.attempt ?? 0;
}
