import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { freePort } from '../../src/local/processes';
import { ensureQueueWithDeadLetterQueue, localSqsClient } from '../../src/local/sqs';
import { startOrder } from '../../src/orders/start';
import { canceled, MFN_DELIVERY, shippedMfn } from '../fixtures/notifications';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { queueDepth, sendAll, localQueueEnv } from '../helpers/sqs';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { forTheFile, readThrough } from '../helpers/for-the-file';
import { runServers } from '../setup/servers';
import { orderInput } from '../helpers/orders';

/**
 * Marketplaces served, on a spawned `solicit ingest` against the real SQS server and Temporal: a
 * notification for a marketplace not served is deleted, counted `ignored`, and starts and signals nothing.
 */

const UNITED_STATES = 'ATVPDKIKX0DER';
const CANADA = 'A2EUQ1WTGCTBG2';
const { sqsEndpoint, temporalAddress, temporalNamespace } = runServers();
const sqs = localSqsClient(sqsEndpoint);
const stamp = `${Date.now().toString(36)}-${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'ingest-marketplaces-'));
const env = forTheFile(connectToDevServer);
const client = readThrough(() => env.client);
const spawned: SolicitProcess[] = [];

beforeAll(() => ensureBuilt());
afterAll(async () => {
  for (const ingest of spawned) if (ingest.child.exitCode === null) ingest.child.kill('SIGKILL');
  await Promise.all(spawned.map((ingest) => ingest.exited));
  sqs.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function spawnIngest(queueUrl: string, taskQueue: string, extra: Record<string, string>) {
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const ingest = spawnSolicit(['ingest'], {
    ...localQueueEnv(queueUrl),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: temporalNamespace,
    TASK_QUEUE: taskQueue,
    METRICS_ADDRESS: metricsAddress,
    ...extra,
  });
  spawned.push(ingest);
  await ingest.waitForLogs((line) => line.message === 'ingest started');
  return { ingest, metricsAddress };
}

/** The samples ingest serves at METRICS_ADDRESS, by series. */
async function scrapeMetrics(address: string): Promise<Map<string, number>> {
  const text = await (await fetch(`http://${address}/metrics`)).text();
  return new Map(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]),
  );
}

/** Every message of the queue deleted: none visible, none in anyone's hands (a refused one would stay in flight). */
const queueDrained = (queueUrl: string) =>
  eventually(
    `messages left on ${queueUrl}`,
    () => queueDepth(sqs, queueUrl),
    (depth) => depth.visible === 0 && depth.inFlight === 0,
  );

const ignoredLines = (ingest: SolicitProcess) =>
  ingest.logs.filter((line) => line.message === 'notification ignored: marketplace not served');

async function hasNoWorkflow(orderId: string): Promise<void> {
  await expect(client.workflow.getHandle(orderId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

it('with SOLICIT_MARKETPLACES, deletes the notifications of other marketplaces and starts or signals nothing for them', async () => {
  const taskQueue = uniqueTaskQueue('ingest-marketplaces');
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `markets-${stamp}`, {
    maxReceiveCount: 1,
    visibilityTimeoutSeconds: 5,
  });
  const id = (name: string) => `markets-${stamp}-${name}`;
  // Started before the Canadian marketplace was left out: its workflow runs, and hears no more of the order.
  await startOrder(
    client,
    taskQueue,
    orderInput({
      amazonOrderId: id('held'),
      marketplaceId: CANADA,
      sellerId: 'A3TH9S8BH6GOGM',
      shippedAt: '2025-03-04T10:14:58.000Z',
      earliestDeliveryDate: MFN_DELIVERY.earliest,
      latestDeliveryDate: MFN_DELIVERY.latest,
    }),
  );
  await sendAll(sqs, queues.queueUrl, [
    JSON.stringify(shippedMfn({ amazonOrderId: id('served'), marketplaceId: UNITED_STATES })),
    JSON.stringify(shippedMfn({ amazonOrderId: id('canadian'), marketplaceId: CANADA })),
    JSON.stringify(shippedMfn({ amazonOrderId: id('held'), marketplaceId: CANADA })),
    JSON.stringify(canceled({ amazonOrderId: id('held'), marketplaceId: CANADA })),
  ]);

  const { ingest, metricsAddress } = await spawnIngest(queues.queueUrl, taskQueue, {
    SOLICIT_MARKETPLACES: UNITED_STATES,
  });
  expect(ingest.logs.find((line) => line.message === 'ingest started')).toMatchObject({ marketplaces: UNITED_STATES });
  await queueDrained(queues.queueUrl);

  expect(await queueDepth(sqs, queues.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  const metrics = await scrapeMetrics(metricsAddress);
  expect(metrics.get('ingest_messages_total{outcome="ignored"}')).toBe(3);
  expect(metrics.get('ingest_messages_total{outcome="started"}')).toBe(1);
  expect(metrics.get('ingest_messages_total{outcome="signalled"}')).toBe(0);
  expect(metrics.get('ingest_messages_total{outcome="dead-letter"}')).toBe(0);
  const ignored = ignoredLines(ingest);
  expect(ignored.map((line) => [line.level, line.amazonOrderId, line.marketplaceId, line.orderStatus]).sort()).toEqual([
    ['info', id('canadian'), CANADA, 'Shipped'],
    ['info', id('held'), CANADA, 'Canceled'],
    ['info', id('held'), CANADA, 'Shipped'],
  ]);
  expect(ignored[0]).toMatchObject({ setting: 'SOLICIT_MARKETPLACES', sellerId: 'A3TH9S8BH6GOGM' });

  expect(await client.workflow.getHandle(id('served')).describe()).toMatchObject({ type: 'reviewSolicitation' });
  await hasNoWorkflow(id('canadian'));
  const held = client.workflow.getHandle(id('held'));
  const history = await held.fetchHistory();
  expect(history.events?.some((event) => event.workflowExecutionSignaledEventAttributes)).toBe(false);
  expect((await held.describe()).status.name).toBe('RUNNING');
  await held.terminate();

  ingest.child.kill('SIGTERM');
  expect((await ingest.exited).code).toBe(0);
});

it("with SPAPI_SELLERS_FILE, serves each seller's marketplaces as the file says now", async () => {
  const taskQueue = uniqueTaskQueue('ingest-seller-marketplaces');
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `seller-markets-${stamp}`, {
    maxReceiveCount: 1,
    visibilityTimeoutSeconds: 5,
  });
  const id = (name: string) => `seller-markets-${stamp}-${name}`;
  const limited = 'A1MARKETSLIMITED';
  const open = 'A2MARKETSOPEN';
  const sellersFile = path.join(dir, 'sellers.json');
  const writeSellers = (limitedTo: string[]) =>
    writeFileSync(
      sellersFile,
      JSON.stringify({ [limited]: { refreshToken: 'Atzr|limited', marketplaces: limitedTo }, [open]: 'Atzr|open' }),
    );
  writeSellers([UNITED_STATES]);
  const { ingest, metricsAddress } = await spawnIngest(queues.queueUrl, taskQueue, { SPAPI_SELLERS_FILE: sellersFile });

  await sendAll(sqs, queues.queueUrl, [
    JSON.stringify(shippedMfn({ amazonOrderId: id('limited-ca'), sellerId: limited, marketplaceId: CANADA })),
    JSON.stringify(shippedMfn({ amazonOrderId: id('limited-us'), sellerId: limited, marketplaceId: UNITED_STATES })),
    JSON.stringify(shippedMfn({ amazonOrderId: id('open-ca'), sellerId: open, marketplaceId: CANADA })),
  ]);
  await queueDrained(queues.queueUrl);
  expect(ignoredLines(ingest).map((line) => line.amazonOrderId)).toEqual([id('limited-ca')]);
  expect(ignoredLines(ingest)[0]).toMatchObject({ setting: 'SPAPI_SELLERS_FILE', sellerId: limited });
  await hasNoWorkflow(id('limited-ca'));

  writeSellers([UNITED_STATES, CANADA]);
  await ingest.waitForLogs((line) => line.message === 'SPAPI_SELLERS_FILE re-read');
  await sendAll(sqs, queues.queueUrl, [
    JSON.stringify(shippedMfn({ amazonOrderId: id('limited-ca-later'), sellerId: limited, marketplaceId: CANADA })),
  ]);
  await queueDrained(queues.queueUrl);

  expect(await queueDepth(sqs, queues.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  const metrics = await scrapeMetrics(metricsAddress);
  expect(metrics.get('ingest_messages_total{outcome="ignored"}')).toBe(1);
  expect(metrics.get('ingest_messages_total{outcome="started"}')).toBe(3);
  for (const name of ['limited-us', 'open-ca', 'limited-ca-later']) {
    expect(await client.workflow.getHandle(id(name)).describe()).toMatchObject({ type: 'reviewSolicitation' });
  }
  await Promise.all(
    ['limited-us', 'open-ca', 'limited-ca-later'].map((name) => client.workflow.getHandle(id(name)).terminate()),
  );
  ingest.child.kill('SIGTERM');
  expect((await ingest.exited).code).toBe(0);
});
