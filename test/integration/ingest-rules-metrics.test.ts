import { freePort } from '../../src/local/processes';
import { ensureQueueWithDeadLetterQueue, localSqsClient } from '../../src/local/sqs';
import { newSecret, secretExpiry } from '../fixtures/application-notifications';
import { canceled, MFN_DELIVERY, shippedMfn, withField } from '../fixtures/notifications';
import { ensureBuilt, spawnSolicit, type SolicitProcess } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { queueDepth, sendAll, localQueueEnv } from '../helpers/sqs';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { forTheFile, readThrough } from '../helpers/for-the-file';
import { runServers } from '../setup/servers';

/**
 * docs/spec.md's "Ingest rules" on a spawned `solicit ingest`, seen from the queues, Temporal, its log and the
 * Prometheus metrics it serves at METRICS_ADDRESS.
 */

const { sqsEndpoint, temporalAddress, temporalNamespace } = runServers();
const sqs = localSqsClient(sqsEndpoint);
const stamp = `${Date.now().toString(36)}-${process.pid}`;
const SUMMARY = ['Payload', 'OrderChangeNotification', 'Summary'];
const SECRET = 'amzn1.oa2-cs.v1.never-logged-0123456789';
const env = forTheFile(connectToDevServer);
const client = readThrough(() => env.client);
let ingest: SolicitProcess | undefined;

beforeAll(() => ensureBuilt());
afterAll(async () => {
  if (ingest?.child.exitCode === null) ingest.child.kill('SIGKILL');
  await ingest?.exited;
  sqs.destroy();
});

async function scrape(address: string): Promise<Map<string, number>> {
  const text = await (await fetch(`http://${address}/metrics`)).text();
  return new Map(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))];
      }),
  );
}

it('applies the input rules, handles application notifications and serves its metrics', async () => {
  const taskQueue = uniqueTaskQueue('ingest-rules');
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `rules-${stamp}`, {
    maxReceiveCount: 1,
    // Longer than any Temporal call here, so that only refused messages are received twice.
    visibilityTimeoutSeconds: 5,
  });
  const id = (name: string) => `rules-${stamp}-${name}`;
  // An order ID held by a workflow of another type: never signalled, never taken over.
  const foreign = await client.workflow.start('someOtherWorkflow', {
    workflowId: id('foreign'),
    taskQueue: `${taskQueue}-nobody`,
    args: [],
  });
  // A closed one is no more the order's workflow than a running one.
  const closedForeign = await client.workflow.start('someOtherWorkflow', {
    workflowId: id('closed-foreign'),
    taskQueue: `${taskQueue}-nobody`,
    args: [],
  });
  await closedForeign.terminate('the order ID was taken by something else');
  const noDates = withField(
    withField(shippedMfn({ amazonOrderId: id('null-dates') }), [...SUMMARY, 'EarliestDeliveryDate'], null) as object,
    [...SUMMARY, 'LatestDeliveryDate'],
    '',
  );
  const bodies = [
    JSON.stringify(noDates),
    JSON.stringify(
      shippedMfn({
        amazonOrderId: id('reversed'),
        deliveryDates: { earliest: MFN_DELIVERY.latest, latest: MFN_DELIVERY.earliest },
      }),
    ),
    JSON.stringify(shippedMfn({ amazonOrderId: id('unroutable'), marketplaceId: 'XNOTAMARKET1' })),
    JSON.stringify(
      shippedMfn({
        amazonOrderId: id('far'),
        deliveryDates: { earliest: MFN_DELIVERY.earliest, latest: '2031-01-01T00:00:00.000Z' },
      }),
    ),
    JSON.stringify(shippedMfn({ amazonOrderId: id('foreign') })),
    JSON.stringify(canceled({ amazonOrderId: id('foreign') })),
    JSON.stringify(shippedMfn({ amazonOrderId: id('closed-foreign') })),
    secretExpiry('2025-04-01T00:00:00.000Z'),
    newSecret(SECRET),
  ];
  await sendAll(sqs, queues.queueUrl, bodies);

  const metricsAddress = `127.0.0.1:${await freePort()}`;
  ingest = spawnSolicit(['ingest'], {
    ...localQueueEnv(queues.queueUrl),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: temporalNamespace,
    TASK_QUEUE: taskQueue,
    METRICS_ADDRESS: metricsAddress,
    LOG_LEVEL: 'debug',
  });
  await ingest.waitForLogs((line) => line.message === 'ingest started');

  await eventually(
    'five refused notifications in the dead-letter queue, nothing left on the queue',
    async () => [await queueDepth(sqs, queues.deadLetterQueueUrl), await queueDepth(sqs, queues.queueUrl)],
    ([dlq, queue]) => dlq!.visible === 5 && queue!.visible === 0 && queue!.inFlight === 0,
  );
  const logs = ingest.logs;
  const started = logs.filter((line) => line.message === 'order handled' && line.outcome === 'started');
  expect(started.map((line) => line.amazonOrderId).sort()).toEqual([id('null-dates'), id('reversed')]);
  const nullDates = await client.workflow.getHandle(id('null-dates')).describe();
  // Without delivery dates the window is estimated from the ship time: opens 1 + 5 days after it.
  expect(nullDates.searchAttributes.SolicitAfter).toEqual([new Date('2025-03-10T10:14:58.000Z')]);
  expect(logs).toContainEqual(
    expect.objectContaining({
      level: 'warn',
      message: 'LatestDeliveryDate is before EarliestDeliveryDate: the window is taken between the two',
      amazonOrderId: id('reversed'),
    }),
  );
  const reasons = logs
    .filter((line) => line.message === 'message left for the dead-letter queue')
    .map((line) => line.reason as string);
  expect(reasons).toEqual(
    expect.arrayContaining([
      'marketplace XNOTAMARKET1 is not one the product can route to an SP-API region',
      expect.stringMatching(/^LatestDeliveryDate 2031-01-01T00:00:00.000Z is more than a year from/),
      `workflow ID ${id('foreign')} is held by a workflow of type someOtherWorkflow, not reviewSolicitation`,
    ]),
  );
  expect(reasons).toContain(
    `workflow ID ${id('closed-foreign')} is held by a workflow of type someOtherWorkflow, not reviewSolicitation`,
  );
  expect(reasons.filter((reason) => reason.includes('someOtherWorkflow'))).toHaveLength(3);
  expect(logs.some((line) => line.message === 'order handled' && line.amazonOrderId === id('closed-foreign'))).toBe(
    false,
  );
  const history = await foreign.fetchHistory();
  expect(history.events?.some((event) => event.workflowExecutionSignaledEventAttributes)).toBe(false);
  await foreign.terminate();

  expect(logs).toContainEqual(
    expect.objectContaining({
      level: 'error',
      message: 'the LWA client secret expires at 2025-04-01T00:00:00.000Z: rotate it before then',
    }),
  );
  // Without LWA_CLIENT_ID nothing can be stored: the error names the old secret's deadline.
  expect(logs).toContainEqual(
    expect.objectContaining({
      level: 'error',
      message:
        'a new client secret was issued but not stored (no writable secret store): store it by hand before the old one expires at 2025-03-11T10:15:02.117Z',
    }),
  );
  expect(JSON.stringify(logs) + ingest.otherOutput.join('\n')).not.toContain(SECRET);

  const metrics = await scrape(metricsAddress);
  expect(metrics.get('ingest_messages_total{outcome="started"}')).toBe(2);
  expect(metrics.get('ingest_messages_total{outcome="conflict"}')).toBe(3);
  expect(metrics.get('ingest_messages_total{outcome="closed"}')).toBe(0);
  expect(metrics.get('ingest_messages_total{outcome="dead-letter"}')).toBe(2);
  expect(metrics.get('ingest_temporal_available')).toBe(1);
  // Both notices set the gauge (the new-secret one to the old secret's deadline), in whichever order they came.
  expect([Date.parse('2025-04-01T00:00:00Z') / 1000, Date.parse('2025-03-11T10:15:02.117Z') / 1000]).toContain(
    metrics.get('lwa_client_secret_expiry_timestamp_seconds'),
  );

  ingest.child.kill('SIGTERM');
  expect((await ingest.exited).code).toBe(0);
});
