import { rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { statusQuery, type ReviewSolicitationInput, type ReviewSolicitationResult } from '../../../src/domain/contract';
import { startOrder } from '../../../src/orders/start';
import { startTemporalDevServer, type DevServer, type DevServerOptions } from '../../../src/local/temporal-dev-server';
import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { DAY } from '../../helpers/clock';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../../helpers/cli';
import { restartableDevServerOptions } from '../../helpers/dev-server';
import { eventually } from '../../helpers/eventually';
import { orderInput } from '../../helpers/orders';

/**
 * The Temporal dev server of `solicit dev` stopped while orders wait for their windows, and started again
 * on the same database file after the windows opened: the timers fire late but fire, and a `solicit worker`
 * that kept running through the outage solicits every order once.
 */

const ORDERS = 3;
/** From the orders' start to their windows opening: room to stop the server before. */
const LEAD_MS = 10_000;

let dir: string;
let options: DevServerOptions;
let server: DevServer | undefined;
let connection: Connection | undefined;
let simulator: SpApiSimulator;
let worker: SolicitProcess | undefined;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, options } = await restartableDevServerOptions('server-restart-'));
  server = await startTemporalDevServer(options);
  connection = await Connection.connect({ address: server.address });
  simulator = await startSpApiSimulator();
});

afterAll(async () => {
  if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
  await worker?.exited;
  await connection?.close();
  await server?.process.stop();
  await simulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('fires the windows that opened while the server was down, after it restarts on the same database', async () => {
  const client = new Client({ connection: connection! });
  const taskQueue = 'server-restart';
  worker = spawnSolicit(['worker'], {
    ...simulator.env(),
    TEMPORAL_ADDRESS: server!.address,
    TASK_QUEUE: taskQueue,
    SPAPI_MAX_RPS: '10',
  });
  await worker.waitForLogs((line) => line.message === 'workers started');

  const opensAt = Date.now() + LEAD_MS;
  const orderIds = Array.from({ length: ORDERS }, (_, i) => `restart-${i}`);
  for (const amazonOrderId of orderIds) {
    expect(await startOrder(client, taskQueue, orderOpeningAt(amazonOrderId, opensAt))).toBe('started');
  }
  for (const id of orderIds) {
    await eventually(
      `${id} waiting`,
      () => client.workflow.getHandle(id).query(statusQuery),
      (status) => status.phase === 'waiting',
    );
  }

  await server!.process.stop();
  server = undefined;
  // The outage spans the windows' opening: nothing can fire them until the server is back.
  expect(Date.now()).toBeLessThan(opensAt);
  await new Promise((resolve) => setTimeout(resolve, opensAt - Date.now() + 1_000));
  expect(simulator.requests).toEqual([]);
  server = await startTemporalDevServer(options);

  const results: ReviewSolicitationResult[] = await Promise.all(
    orderIds.map((id) => client.workflow.getHandle(id).result()),
  );
  expect(results.map((result) => result.outcome)).toEqual(orderIds.map(() => 'solicited'));
  for (const id of orderIds) {
    const sent = simulator.solicitations.filter((solicitation) => solicitation.amazonOrderId === id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.at.getTime()).toBeGreaterThanOrEqual(opensAt);
  }
  // The same worker process carried on once the server was back.
  expect(worker.child.exitCode).toBeNull();
});

/** Delivered five days before `opensAt`: Amazon's window and the workflow's both open then. */
function orderOpeningAt(amazonOrderId: string, opensAt: number): ReviewSolicitationInput {
  const delivered = new Date(opensAt - 5 * DAY).toISOString();
  simulator.addOrder({
    amazonOrderId,
    marketplaceId: 'ATVPDKIKX0DER',
    earliestDeliveryDate: delivered,
    latestDeliveryDate: delivered,
  });
  return orderInput({
    amazonOrderId,
    sellerId: 'A1SIMULATEDSELLER',
    shippedAt: new Date(opensAt - 7 * DAY).toISOString(),
    earliestDeliveryDate: delivered,
    latestDeliveryDate: delivered,
  });
}
