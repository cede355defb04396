import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import { DEFAULT_POLICY } from '../../src/domain/contract';
import { createIngest } from '../../src/ingest/consumer';
import { createIngestMetrics } from '../../src/ingest/metrics';
import { ensureQueueWithDeadLetterQueue, LOCAL_SQS_CREDENTIALS } from '../../src/local/sqs';
import { createLogger } from '../../src/logging';
import { shippedMfn } from '../fixtures/notifications';
import { eventually } from './eventually';
import { queueDepth, sendAll } from './sqs';

export type LogLine = Record<string, unknown> & { level: string; message: string };

/** The redrive policy a Temporal fault must outlast: a message failing this long would reach the dead-letter queue. */
export const VISIBILITY_TIMEOUT_S = 2;
export const MAX_RECEIVE_COUNT = 2;

/**
 * The ingest under a Temporal fault: a queue of its own named `name` (with its dead-letter queue), logs at
 * debug kept in `logs`, and receives and availability probes short enough for a test of seconds. Not started.
 */
export async function ingestUnderFault(sqs: SQSClient, client: Client, name: string) {
  const queue = await ensureQueueWithDeadLetterQueue(sqs, name, {
    maxReceiveCount: MAX_RECEIVE_COUNT,
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_S,
  });
  const logs: LogLine[] = [];
  const metrics = createIngestMetrics();
  const ingest = createIngest({
    sqs: { region: 'us-east-1', endpoint: new URL(queue.queueUrl).origin, credentials: LOCAL_SQS_CREDENTIALS },
    queueUrl: queue.queueUrl,
    client,
    taskQueue: name,
    policy: DEFAULT_POLICY,
    logger: createLogger('debug', (line) => logs.push(JSON.parse(line) as LogLine)),
    metrics,
    waitTimeSeconds: 1,
    probeDelaysMs: { first: 200, max: 1_000 },
  });
  /** Whether ingest logged that it started order `id`. */
  const handled = (id: string) =>
    logs.some((line) => line.message === 'order handled' && line.amazonOrderId === id && line.outcome === 'started');
  /** Sends a Shipped notification of each order. */
  const sendShipped = (ids: string[]) =>
    sendAll(
      sqs,
      queue.queueUrl,
      ids.map((amazonOrderId) => JSON.stringify(shippedMfn({ amazonOrderId }))),
    );
  /** Waits until ingest says the fault is noticed: `ingest_temporal_available 0`. */
  const faultNoticed = (what: string) =>
    eventually(
      what,
      () => Promise.resolve(metrics.render()),
      (text) => text.includes('ingest_temporal_available 0'),
    );
  /** Once the fault is over: every order started, the queue drained, and nothing in the dead-letter queue. */
  const allStarted = async (ids: string[], startedTotal = ids.length) => {
    await eventually(
      'every order started',
      () => Promise.resolve(ids.filter((id) => !handled(id))),
      (missing) => missing.length === 0,
      60_000,
    );
    await eventually(
      'the queue drained',
      () => queueDepth(sqs, queue.queueUrl),
      (depth) => depth.visible === 0 && depth.inFlight === 0,
    );
    expect(await queueDepth(sqs, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(metrics.render()).toContain(`ingest_messages_total{outcome="started"} ${startedTotal}`);
    expect(metrics.render()).toContain('ingest_messages_total{outcome="dead-letter"} 0');
  };
  /** What ingest said of Temporal's availability, in order. */
  const availabilityLines = () =>
    logs.filter((line) => /^Temporal (is not taking calls|answers again)/.test(line.message));
  return { queue, logs, metrics, ingest, handled, sendShipped, faultNoticed, allStarted, availabilityLines };
}

/** Each order has exactly one workflow run. */
export async function expectStartedOnce(client: Client, ids: string[]): Promise<void> {
  for (const id of ids) {
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
  }
}
