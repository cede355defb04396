import { Client, Connection } from '@temporalio/client';
import { DEFAULT_POLICY } from '../../../src/domain/contract';
import { GrpcStatus } from '../../../src/grpc';
import { createIngest, type Ingest } from '../../../src/ingest/consumer';
import { createIngestMetrics } from '../../../src/ingest/metrics';
import { ensureQueueWithDeadLetterQueue, LOCAL_SQS_CREDENTIALS, localSqsClient } from '../../../src/local/sqs';
import { createLogger } from '../../../src/logging';
import { shippedMfn } from '../../fixtures/notifications';
import { eventually } from '../../helpers/eventually';
import { startGrpcGate, type GrpcGate } from '../../helpers/grpc-gate';
import { queueDepth, sendAll } from '../../helpers/sqs';
import { runServers } from '../../setup/servers';

/**
 * Temporal refusing ingest's writes (an API key whose role lost write access: PermissionDenied) for longer
 * than maxReceiveCount x the visibility timeout, while reads still pass: ingest holds receiving, as for an
 * outage, until the server takes its calls again, so no readable message reaches the dead-letter queue.
 */

type LogLine = Record<string, unknown> & { level: string; message: string };

const VISIBILITY_TIMEOUT_S = 2;
const MAX_RECEIVE_COUNT = 2;
const REFUSAL_MS = (MAX_RECEIVE_COUNT * VISIBILITY_TIMEOUT_S + 4) * 1000;
const WRITES = ['StartWorkflowExecution', 'SignalWorkflowExecution', 'SignalWithStartWorkflowExecution'];

const { sqsEndpoint, temporalAddress, temporalNamespace } = runServers();
const sqs = localSqsClient(sqsEndpoint);
let gate: GrpcGate;
let connection: Connection;
let ingest: Ingest | undefined;

beforeAll(async () => {
  gate = await startGrpcGate(temporalAddress);
  connection = await Connection.connect({ address: gate.address });
});

afterAll(async () => {
  await ingest?.stop();
  await connection?.close();
  await gate?.close();
  sqs.destroy();
});

it('holds receiving while Temporal refuses its writes: no message in the dead-letter queue, every order started once', async () => {
  const client = new Client({ connection, namespace: temporalNamespace });
  const name = `refusal-${Date.now().toString(36)}-${process.pid}`;
  const queue = await ensureQueueWithDeadLetterQueue(sqs, name, {
    maxReceiveCount: MAX_RECEIVE_COUNT,
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_S,
  });
  const logs: LogLine[] = [];
  const metrics = createIngestMetrics();
  ingest = createIngest({
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
  await ingest.start();

  gate.refuse(WRITES, GrpcStatus.PermissionDenied);
  const refusedSince = Date.now();
  const orders = Array.from({ length: 6 }, (_, i) => `${name}-${i}`);
  await sendAll(
    sqs,
    queue.queueUrl,
    orders.map((amazonOrderId) => JSON.stringify(shippedMfn({ amazonOrderId }))),
  );
  await eventually(
    'the refusal noticed',
    () => Promise.resolve(metrics.render()),
    (text) => text.includes('ingest_temporal_available 0'),
  );
  // The refusal's length is what is tested: it must outlast what the redrive policy allows failing messages.
  await new Promise((resolve) => setTimeout(resolve, REFUSAL_MS - (Date.now() - refusedSince)));
  expect(await queueDepth(sqs, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  expect(gate.refused).toContain('SignalWorkflowExecution');
  gate.open();

  const handled = (id: string) =>
    logs.some((line) => line.message === 'order handled' && line.amazonOrderId === id && line.outcome === 'started');
  await eventually(
    'every order started',
    () => Promise.resolve(orders.filter((id) => !handled(id))),
    (missing) => missing.length === 0,
    60_000,
  );
  await eventually(
    'the queue drained',
    () => queueDepth(sqs, queue.queueUrl),
    (depth) => depth.visible === 0 && depth.inFlight === 0,
  );
  expect(await queueDepth(sqs, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  expect(metrics.render()).toContain(`ingest_messages_total{outcome="started"} ${orders.length}`);
  expect(metrics.render()).toContain('ingest_messages_total{outcome="dead-letter"} 0');
  const outageLines = logs.filter((line) => /^Temporal (is not taking calls|answers again)/.test(line.message));
  expect(outageLines.map((line) => [line.message, line.reason])).toEqual([
    ['Temporal is not taking calls: ingest stops receiving until it answers', 'permission denied'],
    ['Temporal answers again: ingest resumes receiving', undefined],
  ]);
  for (const id of orders) {
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
  }
});
