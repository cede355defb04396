import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { defaultPayloadConverter, WorkflowNotFoundError } from '@temporalio/client';
import { DEFAULT_POLICY, searchAttributes, type ReviewSolicitationInput } from '../../src/domain/contract';
import { createIngest, type Ingest } from '../../src/ingest/consumer';
import { startOrder } from '../../src/orders/start';
import { LOCAL_SQS_CREDENTIALS, ensureQueueWithDeadLetterQueue, localSqsClient } from '../../src/local/sqs';
import { createLogger } from '../../src/logging';
import { canceled, MFN_DELIVERY, pending, shippedAfn, shippedMfn } from '../fixtures/notifications';
import { eventually } from '../helpers/eventually';
import { peekMessages, queueDepth, sendAll } from '../helpers/sqs';
import { connectToDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { forTheFile, readThrough } from '../helpers/for-the-file';
import { runServers } from '../setup/servers';
import { orderInput } from '../helpers/orders';
import { fixtureWorkflows, withWorker } from '../helpers/workers';

type LogLine = Record<string, unknown> & { level: string; message: string };

const SELLER = 'A3TH9S8BH6GOGM';
const { sqsEndpoint } = runServers();
const sqs = localSqsClient(sqsEndpoint);
const env = forTheFile(connectToDevServer);
const client = readThrough(() => env.client);
const running: Ingest[] = [];
let names = 0;

afterEach(async () => {
  await Promise.all(running.splice(0).map((ingest) => ingest.stop()));
});
afterAll(() => sqs.destroy());

/** A name no other test (or earlier run against the same servers) uses, valid as an order ID and a queue name. */
function unique(prefix: string): string {
  names += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${names}`;
}

/** The server names its queues by the host it was given; the same origin spares the SDK's mismatch warning. */
function sqsSettings(queueUrl: string) {
  return { region: 'us-east-1', endpoint: new URL(queueUrl).origin, credentials: LOCAL_SQS_CREDENTIALS };
}

async function runIngest(
  queueUrl: string,
  taskQueue: string,
  sellerIds?: ReadonlySet<string>,
): Promise<{ logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const ingest = createIngest({
    sqs: sqsSettings(queueUrl),
    queueUrl,
    client,
    taskQueue,
    policy: DEFAULT_POLICY,
    sellerIds,
    logger: createLogger('debug', (line) => logs.push(JSON.parse(line) as LogLine)),
  });
  running.push(ingest);
  await ingest.start();
  return { logs };
}

function outcomes(logs: LogLine[]): Map<string, unknown> {
  return new Map(
    logs.filter((line) => line.message === 'order handled').map((line) => [line.messageId as string, line.outcome]),
  );
}

const queueEmpty = (queueUrl: string) =>
  eventually(
    `messages left on ${queueUrl}`,
    () => queueDepth(sqs, queueUrl),
    (depth) => depth.visible === 0 && depth.inFlight === 0,
  );

/** Visibility is eventually consistent: wait until it shows at least one run, then count them all. */
async function runsOf(workflowId: string): Promise<number> {
  const { count } = await eventually(
    `runs of ${workflowId}`,
    () => client.workflow.count(`WorkflowId = "${workflowId}"`),
    (result) => result.count > 0,
  );
  return count;
}

function shippedInput(amazonOrderId: string): ReviewSolicitationInput {
  return orderInput({
    amazonOrderId,
    sellerId: SELLER,
    shippedAt: '2025-03-04T10:14:58.000Z',
    earliestDeliveryDate: MFN_DELIVERY.earliest,
    latestDeliveryDate: MFN_DELIVERY.latest,
  });
}

async function signalsOf(workflowId: string): Promise<unknown[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((event) => event.workflowExecutionSignaledEventAttributes)
    .filter((signal) => signal !== null && signal !== undefined)
    .map((signal) => {
      expect(signal.signalName).toBe('orderUpdated');
      return defaultPayloadConverter.fromPayload<unknown>(signal.input!.payloads![0]!);
    });
}

it('starts one workflow for five copies of a notification received concurrently', async () => {
  const taskQueue = uniqueTaskQueue('ingest-copies');
  const { queueUrl } = await ensureQueueWithDeadLetterQueue(sqs, unique('copies'));
  const orderId = unique('copies');
  const body = JSON.stringify(shippedMfn({ amazonOrderId: orderId }));
  await Promise.all(
    Array.from({ length: 5 }, () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))),
  );

  // Two ingest processes' worth of consumers compete for the copies.
  const [first, second] = await Promise.all([runIngest(queueUrl, taskQueue), runIngest(queueUrl, taskQueue)]);
  await queueEmpty(queueUrl);

  expect(await runsOf(orderId)).toBe(1);
  const description = await client.workflow.getHandle(orderId).describe();
  expect(description).toMatchObject({ type: 'reviewSolicitation', taskQueue, status: { name: 'RUNNING' } });
  expect(description.typedSearchAttributes.get(searchAttributes.phase)).toBe('waiting');
  expect(description.typedSearchAttributes.get(searchAttributes.solicitAfter)).toEqual(
    new Date('2025-03-12T08:00:00.000Z'),
  );
  expect(description.typedSearchAttributes.get(searchAttributes.sellerId)).toBe(SELLER);
  expect(await description.staticSummary()).toContain(`Review request for order ${orderId}`);
  const started = (await client.workflow.getHandle(orderId).fetchHistory()).events![0]!;
  const [input] = started.workflowExecutionStartedEventAttributes!.input!.payloads!;
  expect(defaultPayloadConverter.fromPayload(input!)).toEqual(shippedInput(orderId));
  // The first copy started the workflow with the dates in its input; every other copy found the same window
  // in its search attributes and sent nothing.
  expect(await signalsOf(orderId)).toEqual([]);
  const handled = [...outcomes(first.logs).values(), ...outcomes(second.logs).values()];
  expect(handled.sort()).toEqual(['started', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
});

it('signals a running order only when a notification makes another window, with its time of change', async () => {
  const taskQueue = uniqueTaskQueue('ingest-window');
  const { queueUrl } = await ensureQueueWithDeadLetterQueue(sqs, unique('window'));
  const orderId = unique('window');
  expect(await startOrder(client, taskQueue, shippedInput(orderId))).toBe('started');
  const { logs } = await runIngest(queueUrl, taskQueue);

  const [sameId] = await sendAll(sqs, queueUrl, [JSON.stringify(shippedMfn({ amazonOrderId: orderId }))]);
  await queueEmpty(queueUrl);
  expect(outcomes(logs).get(sameId!)).toBe('unchanged');
  expect(await signalsOf(orderId)).toEqual([]);

  const later = { earliest: '2025-03-08T08:00:00.000Z', latest: '2025-03-14T07:59:59.000Z' };
  const changedAt = '2025-03-05T09:00:00.000Z';
  const [movedId] = await sendAll(sqs, queueUrl, [
    JSON.stringify(shippedMfn({ amazonOrderId: orderId, deliveryDates: later, timeOfOrderChange: changedAt })),
  ]);
  await queueEmpty(queueUrl);
  expect(outcomes(logs).get(movedId!)).toBe('signalled');
  expect(await signalsOf(orderId)).toEqual([
    { orderStatus: 'Shipped', changedAt, earliestDeliveryDate: later.earliest, latestDeliveryDate: later.latest },
  ]);
});

describe('a Shipped notification for an order whose workflow has closed', () => {
  async function expectNothingStarted(orderId: string, taskQueue: string, closedRunId: string, status: string) {
    const { queueUrl } = await ensureQueueWithDeadLetterQueue(sqs, unique('closed'));
    const [messageId] = await sendAll(sqs, queueUrl, [JSON.stringify(shippedMfn({ amazonOrderId: orderId }))]);
    const { logs } = await runIngest(queueUrl, taskQueue);
    await queueEmpty(queueUrl);

    expect(outcomes(logs).get(messageId!)).toBe('closed');
    const description = await client.workflow.getHandle(orderId).describe();
    expect({ runId: description.runId, status: description.status.name }).toEqual({ runId: closedRunId, status });
    expect(await runsOf(orderId)).toBe(1);
  }

  it('starts nothing when it was terminated, and deletes the message', async () => {
    const taskQueue = uniqueTaskQueue('ingest-terminated');
    const orderId = unique('terminated');
    expect(await startOrder(client, taskQueue, shippedInput(orderId))).toBe('started');
    const handle = client.workflow.getHandle(orderId);
    await handle.terminate('operator ended it');
    const { runId } = await handle.describe();
    await expectNothingStarted(orderId, taskQueue, runId, 'TERMINATED');
  });

  it('starts nothing when it completed, and deletes the message', async () => {
    const taskQueue = uniqueTaskQueue('ingest-completed');
    const orderId = unique('completed');
    await withWorker(env, { taskQueue, workflowsPath: fixtureWorkflows('review-solicitation-stub') }, async () => {
      expect(await startOrder(client, taskQueue, shippedInput(orderId))).toBe('started');
      await client.workflow.getHandle(orderId).result();
    });
    const { runId } = await client.workflow.getHandle(orderId).describe();
    await expectNothingStarted(orderId, taskQueue, runId, 'COMPLETED');
  });
});

it('leaves unreadable messages to the dead-letter queue while valid ones keep flowing', async () => {
  const taskQueue = uniqueTaskQueue('ingest-dlq');
  const queues = await ensureQueueWithDeadLetterQueue(sqs, unique('dlq'), {
    maxReceiveCount: 2,
    visibilityTimeoutSeconds: 1,
  });
  const valid = [unique('valid'), unique('valid'), unique('valid')];
  const missingOrderId = shippedMfn();
  delete (
    missingOrderId.Payload.OrderChangeNotification as Partial<typeof missingOrderId.Payload.OrderChangeNotification>
  ).AmazonOrderId;
  const bad = [
    'not json',
    JSON.stringify({ ...shippedMfn(), NotificationType: 'ANY_OFFER_CHANGED' }),
    JSON.stringify(missingOrderId),
    JSON.stringify(shippedMfn({ amazonOrderId: unique('stranger'), sellerId: 'A1UNKNOWNSELLER' })),
  ];
  const bodies = [
    bad[0]!,
    ...valid.slice(0, 1).map((id) => JSON.stringify(shippedMfn({ amazonOrderId: id }))),
    ...bad.slice(1),
  ];
  bodies.push(...valid.slice(1).map((id) => JSON.stringify(shippedAfn({ amazonOrderId: id }))));
  const ids = await sendAll(sqs, queues.queueUrl, bodies);
  const badIds = ids.filter((_, i) => bad.includes(bodies[i]!));

  const { logs } = await runIngest(queues.queueUrl, taskQueue, new Set([SELLER]));
  await eventually(
    'dead-letter queue',
    () => queueDepth(sqs, queues.deadLetterQueueUrl),
    (depth) => depth.visible === bad.length,
  );
  await queueEmpty(queues.queueUrl);

  const deadLetters = await peekMessages(sqs, queues.deadLetterQueueUrl, bad.length);
  expect([...deadLetters.values()].sort()).toEqual([...bad].sort());
  for (const orderId of valid) {
    expect((await client.workflow.getHandle(orderId).describe()).status.name).toBe('RUNNING');
  }
  expect([...outcomes(logs).values()]).toEqual(['started', 'started', 'started']);
  const leftReasons = new Map(
    logs
      .filter((line) => line.message === 'message left for the dead-letter queue')
      .map((line) => [line.messageId as string, line.reason]),
  );
  expect(new Map(badIds.map((id) => [id, leftReasons.get(id)]))).toEqual(
    new Map([
      [badIds[0], 'not JSON'],
      [badIds[1], 'NotificationType: must be ORDER_CHANGE'],
      [badIds[2], 'Payload.OrderChangeNotification.AmazonOrderId: is required'],
      [badIds[3], 'seller A1UNKNOWNSELLER is not in SPAPI_SELLERS_FILE'],
    ]),
  );
  // The stranger's order was never started.
  const strangerOrder = JSON.parse(bad[3]!).Payload.OrderChangeNotification.AmazonOrderId as string;
  await expect(client.workflow.getHandle(strangerOrder).describe()).rejects.toThrow(WorkflowNotFoundError);
});

describe('notifications other than Shipped', () => {
  it('signals a running order on Canceled, starts nothing for an unknown one, ignores Pending', async () => {
    const taskQueue = uniqueTaskQueue('ingest-canceled');
    const { queueUrl } = await ensureQueueWithDeadLetterQueue(sqs, unique('canceled'));
    const runningOrder = unique('running');
    const unknownOrder = unique('unknown');
    const pendingOrder = unique('pending');
    await startOrder(client, taskQueue, shippedInput(runningOrder));

    const [runningId, unknownId, pendingId] = await sendAll(sqs, queueUrl, [
      JSON.stringify(canceled({ amazonOrderId: runningOrder })),
      JSON.stringify(canceled({ amazonOrderId: unknownOrder })),
      JSON.stringify(pending({ amazonOrderId: pendingOrder })),
    ]);
    const { logs } = await runIngest(queueUrl, taskQueue);
    await queueEmpty(queueUrl);

    expect(outcomes(logs)).toEqual(
      new Map([
        [runningId, 'signalled'],
        [unknownId, 'ignored'],
        [pendingId, 'ignored'],
      ]),
    );
    expect((await signalsOf(runningOrder)).at(-1)).toEqual({ orderStatus: 'Canceled', changedAt: expect.any(String) });
    for (const orderId of [unknownOrder, pendingOrder]) {
      await expect(client.workflow.getHandle(orderId).describe()).rejects.toThrow(WorkflowNotFoundError);
    }
  });
});

it('stops at once even while long-polling an empty queue', async () => {
  const { queueUrl } = await ensureQueueWithDeadLetterQueue(sqs, unique('idle'));
  const ingest = createIngest({
    sqs: sqsSettings(queueUrl),
    queueUrl,
    client,
    taskQueue: uniqueTaskQueue('ingest-idle'),
    policy: DEFAULT_POLICY,
    logger: createLogger('error', () => undefined),
  });
  await ingest.start();
  const stopping = Date.now();
  await ingest.stop();
  expect(Date.now() - stopping).toBeLessThan(5_000);
  // Nothing was received and dropped on the way out.
  await sendAll(sqs, queueUrl, ['after stop']);
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2 }));
  expect(Messages?.map((message) => message.Body)).toEqual(['after stop']);
});
