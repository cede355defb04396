import type { Client } from '@temporalio/client';
import {
  DEFAULT_POLICY,
  WORKFLOW_TYPE,
  orderUpdatedSignal,
  type OrderUpdatedSignal,
  type ReviewSolicitationInput,
} from '../src/domain/contract';
import { shippedUpdate, startOptions } from '../src/orders/start';
import { ensureQueueWithDeadLetterQueue } from '../src/local/sqs';
import type { reviewSolicitation } from '../src/workflows';
import { orderChange } from '../test/fixtures/notifications';
import { spawnSolicit, type LogLine } from '../test/helpers/cli';
import { eventually } from '../test/helpers/eventually';
import { localQueueEnv, queueDepth, sendAll } from '../test/helpers/sqs';
import type { Cleanup } from './cleanup';
import type { DevServer, SqsServer } from './servers';
import { round } from './stats';

const DAY = 24 * 60 * 60 * 1000;
/** `solicit ingest` handles this many receive batches of up to 10 messages at a time (its default). */
const INGEST_CONCURRENCY = 4 * 10;
const INGEST_WARM_UP = 1000;

export interface IngestReport {
  figures: {
    ingest_notifications_per_second: number;
    raw_starts_per_second: number;
    ingest_vs_raw_start_ratio: number;
  };
  rows: { path: string; workflows: number; seconds: number; perSecond: number }[];
}

/**
 * `solicit ingest` as a process, turning queued ORDER_CHANGE notifications into started workflows, against
 * bare `client.workflow.start` calls with the same concurrency and the same start options, on one server.
 */
export async function ingestThroughput(
  temporal: DevServer,
  sqs: SqsServer,
  cleanup: Cleanup,
  notifications: number,
  progress: (line: string) => void,
): Promise<IngestReport> {
  const { client } = temporal;
  const run = Date.now().toString(36);

  // The server's first starts pay for warming its database and caches; neither path should.
  await startConcurrently(client, inputs(`${run}w`, 100), 'bench-warm-up', 'start');

  // Nor should ElasticMQ's first receives and deletes, which its JIT compiles during the first thousand.
  progress(`  warming up: solicit ingest with ${INGEST_WARM_UP} notifications`);
  await ingestProcess(
    temporal,
    sqs,
    cleanup,
    `${run}-warm-up`,
    inputs(`${run}u`, INGEST_WARM_UP),
    'bench-ingest-warm-up',
  );
  progress(`  solicit ingest with ${notifications} notifications`);
  const ingestSeconds = await ingestProcess(
    temporal,
    sqs,
    cleanup,
    run,
    inputs(`${run}i`, notifications),
    'bench-ingest',
  );

  progress('  bare client.workflow.start');
  const rawSeconds = await startConcurrently(client, inputs(`${run}r`, notifications), 'bench-raw', 'start');
  await expectWorkflows(client, 'bench-raw', notifications);
  progress('  bare signalWithStart');
  const swsSeconds = await startConcurrently(client, inputs(`${run}s`, notifications), 'bench-sws', 'signalWithStart');
  await expectWorkflows(client, 'bench-sws', notifications);

  const rate = (seconds: number) => round(notifications / seconds, 1);
  return {
    figures: {
      ingest_notifications_per_second: rate(ingestSeconds),
      raw_starts_per_second: rate(rawSeconds),
      ingest_vs_raw_start_ratio: round(rawSeconds / ingestSeconds, 2),
    },
    rows: [
      { path: 'solicit ingest (SQS -> start, USE_EXISTING)', seconds: ingestSeconds },
      { path: 'bare client.workflow.start (USE_EXISTING)', seconds: rawSeconds },
      { path: 'bare client.workflow.signalWithStart', seconds: swsSeconds },
    ].map((row) => ({
      ...row,
      workflows: notifications,
      seconds: round(row.seconds, 2),
      perSecond: rate(row.seconds),
    })),
  };
}

/**
 * Queues a notification for each order, then runs `solicit ingest` until it has started them all and the
 * queue is empty; the seconds from its 'ingest started' line to its last start.
 */
async function ingestProcess(
  temporal: DevServer,
  sqs: SqsServer,
  cleanup: Cleanup,
  queueName: string,
  orders: ReviewSolicitationInput[],
  taskQueue: string,
): Promise<number> {
  const queues = await ensureQueueWithDeadLetterQueue(sqs.client, `bench-${queueName}`);
  await sendAll(sqs.client, queues.queueUrl, orders.map(notificationFor));
  const ingest = spawnSolicit(['ingest'], {
    ...localQueueEnv(queues.queueUrl),
    // The address the server listens on; its queue URLs name localhost.
    AWS_ENDPOINT_URL_SQS: sqs.server.endpoint,
    TEMPORAL_ADDRESS: temporal.temporalAddress,
    TASK_QUEUE: taskQueue,
  });
  cleanup.add(() => ingest.child.kill('SIGKILL'));
  const started = (line: LogLine) => line.message === 'order handled' && line.outcome === 'started';
  await ingest.waitForLogs(started, orders.length, 300_000);
  const firstLog = ingest.logs.find((line) => line.message === 'ingest started');
  const lastStart = ingest.logs.filter(started).at(-1);
  const seconds = (Date.parse(String(lastStart?.time)) - Date.parse(String(firstLog?.time))) / 1000;
  await eventually(
    'the queue drained',
    () => queueDepth(sqs.client, queues.queueUrl),
    (depth) => depth.visible === 0 && depth.inFlight === 0,
  );
  ingest.child.kill('SIGTERM');
  const exit = await ingest.exited;
  if (exit.code !== 0) throw new Error(`solicit ingest exited with ${exit.code ?? exit.signal}`);
  await expectWorkflows(temporal.client, taskQueue, orders.length);
  const deadLetters = await queueDepth(sqs.client, queues.deadLetterQueueUrl);
  if (deadLetters.visible + deadLetters.inFlight > 0) throw new Error('notifications went to the dead-letter queue');
  return seconds;
}

/** Orders shipped now, 70 % seller-fulfilled with delivery dates; their windows open in about a week. */
function inputs(prefix: string, count: number): ReviewSolicitationInput[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const mfn = i % 10 < 7;
    return {
      amazonOrderId: `${prefix}-${String(i).padStart(7, '0')}`,
      marketplaceId: 'ATVPDKIKX0DER',
      sellerId: 'A1SIMULATEDSELLER',
      fulfillmentChannel: mfn ? 'MFN' : 'AFN',
      shippedAt: new Date(now).toISOString(),
      ...(mfn && {
        earliestDeliveryDate: new Date(now + 2 * DAY).toISOString(),
        latestDeliveryDate: new Date(now + 5 * DAY).toISOString(),
      }),
      policy: DEFAULT_POLICY,
    };
  });
}

function notificationFor(input: ReviewSolicitationInput): string {
  return JSON.stringify(
    orderChange({
      amazonOrderId: input.amazonOrderId,
      sellerId: input.sellerId,
      fulfillmentType: input.fulfillmentChannel,
      eventTime: input.shippedAt,
      timeOfOrderChange: input.shippedAt,
      ...(input.earliestDeliveryDate &&
        input.latestDeliveryDate && {
          deliveryDates: { earliest: input.earliestDeliveryDate, latest: input.latestDeliveryDate },
        }),
    }),
  );
}

/** Starts every order, INGEST_CONCURRENCY calls at a time, with ingest's start options; seconds taken. */
async function startConcurrently(
  client: Client,
  orders: ReviewSolicitationInput[],
  taskQueue: string,
  call: 'start' | 'signalWithStart',
): Promise<number> {
  const began = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: INGEST_CONCURRENCY }, async () => {
      while (next < orders.length) {
        const input = orders[next++]!;
        const options = startOptions(input, taskQueue);
        if (call === 'signalWithStart') {
          await client.workflow.signalWithStart<typeof reviewSolicitation, [OrderUpdatedSignal]>(WORKFLOW_TYPE, {
            ...options,
            signal: orderUpdatedSignal,
            signalArgs: [shippedUpdate(input)],
          });
        } else {
          await client.workflow.start(WORKFLOW_TYPE, options);
        }
      }
    }),
  );
  return (performance.now() - began) / 1000;
}

async function expectWorkflows(client: Client, taskQueue: string, count: number): Promise<void> {
  await eventually(
    `workflows on ${taskQueue}`,
    () => client.workflow.count(`TaskQueue = "${taskQueue}"`),
    (result) => result.count === count,
    60_000,
  );
}
