import { ensureQueueWithDeadLetterQueue, localSqsClient } from '../../src/local/sqs';
import { shippedAfn, shippedMfn } from '../fixtures/notifications';
import { ensureBuilt, spawnSolicit, type LogLine, type SolicitProcess } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy';
import { queueDepth, sendAll, localQueueEnv } from '../helpers/sqs';
import { connectToDevServer, countWorkflowsOn, uniqueTaskQueue } from '../helpers/temporal';
import { forTheFile, readThrough } from '../helpers/for-the-file';
import { runServers } from '../setup/servers';

/** `solicit ingest` as a process: what a crash or a deployment's SIGTERM does to messages in its hands. */

const { sqsEndpoint, temporalAddress, temporalNamespace } = runServers();
const sqs = localSqsClient(sqsEndpoint);
const env = forTheFile(connectToDevServer);
const client = readThrough(() => env.client);
let proxy: SlowProxy;
const processes: SolicitProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  // Every call to Temporal through the proxy takes at least this long, so messages stay in hand a while.
  proxy = await startSlowProxy(temporalAddress, 150);
});
afterEach(() => {
  for (const { child } of processes.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  sqs.destroy();
  await proxy?.close();
});

const stamp = `${Date.now().toString(36)}-${process.pid}`;

function ingest(queueUrl: string, taskQueue: string, temporal: string, extra: Record<string, string> = {}) {
  const started = spawnSolicit(['ingest'], {
    ...localQueueEnv(queueUrl),
    TEMPORAL_ADDRESS: temporal,
    TEMPORAL_NAMESPACE: temporalNamespace,
    TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'debug',
    ...extra,
  });
  processes.push(started);
  return started;
}

const handled = (line: LogLine) => line.message === 'order handled';

it('sends every SQS request to AWS_ENDPOINT_URL_SQS, whatever host the queue URL names, and writes only log lines', async () => {
  const taskQueue = uniqueTaskQueue('ingest-endpoint');
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `endpoint-${stamp}`);
  await sendAll(sqs, queues.queueUrl, [JSON.stringify(shippedMfn({ amazonOrderId: `endpoint-${stamp}` }))]);
  // A host that resolves nowhere: only the endpoint setting can reach the queue.
  const queueUrl = new URL(queues.queueUrl);
  queueUrl.host = 'queue-host.invalid';
  const running = ingest(queueUrl.toString(), taskQueue, temporalAddress, { AWS_ENDPOINT_URL_SQS: sqsEndpoint });
  await running.waitForLogs(handled, 1);
  running.child.kill('SIGTERM');
  expect(await running.exited).toEqual({ code: 0, signal: null });
  expect(running.logs.filter(handled)).toEqual([expect.objectContaining({ outcome: 'started' })]);
  expect(running.otherOutput).toEqual([]);
});

it('loses and duplicates nothing when killed with -9 in the middle of 200 notifications', async () => {
  const taskQueue = uniqueTaskQueue('ingest-kill');
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `kill-${stamp}`, {
    maxReceiveCount: 10,
    visibilityTimeoutSeconds: 2,
  });
  const orders = Array.from({ length: 200 }, (_, i) => `kill-${stamp}-${i}`);
  await sendAll(
    sqs,
    queues.queueUrl,
    orders.map((id, i) =>
      JSON.stringify(i % 2 ? shippedAfn({ amazonOrderId: id }) : shippedMfn({ amazonOrderId: id })),
    ),
  );

  const first = ingest(queues.queueUrl, taskQueue, proxy.address);
  await first.waitForLogs(handled, 30);
  first.child.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');
  const handledBeforeKill = first.logs.filter(handled).length;
  const receivedBeforeKill = first.logs
    .filter((line) => line.message === 'messages received')
    .flatMap((line) => line.messageIds as string[]).length;
  // It died holding messages it had received but not finished.
  expect(receivedBeforeKill).toBeGreaterThan(handledBeforeKill);
  expect(handledBeforeKill).toBeLessThan(200);

  const second = ingest(queues.queueUrl, taskQueue, temporalAddress);
  await eventually(
    'messages left after the restart',
    () => queueDepth(sqs, queues.queueUrl),
    (depth) => depth.visible === 0 && depth.inFlight === 0,
  );
  second.child.kill('SIGTERM');
  expect(await second.exited).toEqual({ code: 0, signal: null });

  const descriptions = await Promise.all(orders.map((id) => client.workflow.getHandle(id).describe()));
  expect(descriptions.map((description) => description.status.name)).toEqual(Array(200).fill('RUNNING'));
  expect(await countWorkflowsOn(client, taskQueue, 200)).toBe(200);
  expect(await queueDepth(sqs, queues.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  // Each order was started once, by one of the two processes.
  const startedBy = [...first.logs, ...second.logs].filter((line) => handled(line) && line.outcome === 'started');
  expect(new Set(startedBy.map((line) => line.amazonOrderId)).size).toBe(startedBy.length);
});

it('finishes the messages in hand on SIGTERM and exits 0', async () => {
  const taskQueue = uniqueTaskQueue('ingest-drain');
  const queues = await ensureQueueWithDeadLetterQueue(sqs, `drain-${stamp}`);
  const total = 60;
  await sendAll(
    sqs,
    queues.queueUrl,
    Array.from({ length: total }, (_, i) => JSON.stringify(shippedMfn({ amazonOrderId: `drain-${stamp}-${i}` }))),
  );

  const worker = ingest(queues.queueUrl, taskQueue, proxy.address);
  await worker.waitForLogs((line) => line.message === 'messages received');
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toEqual({ code: 0, signal: null });

  const stoppingAt = worker.logs.findIndex((line) => line.message.startsWith('stopping'));
  expect(stoppingAt).toBeGreaterThan(-1);
  expect(worker.logs.at(-1)?.message).toBe('ingest stopped');
  // Work in hand when the signal came was finished after it.
  expect(worker.logs.slice(stoppingAt).filter(handled).length).toBeGreaterThan(0);
  const received = worker.logs
    .filter((line) => line.message === 'messages received')
    .flatMap((line) => line.messageIds as string[]);
  const finished = worker.logs.filter(handled).map((line) => line.messageId);
  expect(finished.sort()).toEqual(received.sort());
  expect(worker.logs.filter((line) => line.level === 'error')).toEqual([]);

  // Finished means started and deleted; the rest is still on the queue for the next process.
  expect(await countWorkflowsOn(client, taskQueue, finished.length)).toBe(finished.length);
  const depth = await queueDepth(sqs, queues.queueUrl);
  expect(depth.visible + depth.inFlight).toBe(total - finished.length);
});

describe('refusing to start', () => {
  const local = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: temporalNamespace,
  };
  const missingQueue = `${sqsEndpoint}/000000000000/no-such-queue-${stamp}`;

  it.each([
    ['without SQS_QUEUE_URL', {}, 'solicit ingest: SQS_QUEUE_URL: is required: the URL of the ORDER_CHANGE queue'],
    [
      'with a bad policy duration',
      { SQS_QUEUE_URL: missingQueue, SOLICIT_RECHECK_INTERVAL: '24' },
      "solicit ingest: SOLICIT_RECHECK_INTERVAL: must be a duration with a unit, such as '24 hours', '10 days' or '90m'",
    ],
    [
      'with an SQS endpoint that is not a URL',
      { SQS_QUEUE_URL: missingQueue, AWS_ENDPOINT_URL_SQS: 'localhost:9324' },
      'solicit ingest: AWS_ENDPOINT_URL_SQS: must be an http(s) URL',
    ],
    [
      'without a region',
      { SQS_QUEUE_URL: missingQueue, AWS_REGION: '' },
      'solicit ingest: AWS_REGION: not set, and no region in the AWS profile',
    ],
  ])('%s: one line naming the setting, exit code 2', async (_name, settings, line) => {
    const refused = spawnSolicit(['ingest'], { ...local, AWS_ENDPOINT_URL_SQS: sqsEndpoint, ...settings });
    processes.push(refused);
    expect(await refused.exited).toEqual({ code: 2, signal: null });
    expect(refused.otherOutput.filter((output) => output.startsWith('solicit'))).toEqual([line]);
  });

  it('exits 1 when the queue cannot be reached', async () => {
    const refused = spawnSolicit(['ingest'], {
      ...local,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      SQS_QUEUE_URL: missingQueue,
    });
    processes.push(refused);
    expect(await refused.exited).toEqual({ code: 1, signal: null });
    expect(refused.otherOutput.filter((output) => output.startsWith('solicit'))).toEqual([
      expect.stringMatching(new RegExp(`^solicit ingest: cannot reach the SQS queue ${missingQueue}: `)),
    ]);
  });
});
