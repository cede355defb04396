import { rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_POLICY } from '../../../src/domain/contract';
import { createIngest, type Ingest } from '../../../src/ingest/consumer';
import { createIngestMetrics } from '../../../src/ingest/metrics';
import { ensureQueueWithDeadLetterQueue, LOCAL_SQS_CREDENTIALS, localSqsClient } from '../../../src/local/sqs';
import { startTemporalDevServer, type DevServer, type DevServerOptions } from '../../../src/local/temporal-dev-server';
import { createLogger } from '../../../src/logging';
import { shippedMfn } from '../../fixtures/notifications';
import { restartableDevServerOptions } from '../../helpers/dev-server';
import { eventually } from '../../helpers/eventually';
import { queueDepth, sendAll } from '../../helpers/sqs';
import { runServers } from '../../setup/servers';

/**
 * Temporal stopped for longer than maxReceiveCount x the visibility timeout while notifications arrive,
 * then started again on the same database file: ingest waits it out instead of failing each message
 * until the redrive policy takes it, so nothing readable reaches the dead-letter queue and every order
 * is started once.
 */

type LogLine = Record<string, unknown> & { level: string; message: string };

const VISIBILITY_TIMEOUT_S = 2;
const MAX_RECEIVE_COUNT = 2;
const OUTAGE_MS = (MAX_RECEIVE_COUNT * VISIBILITY_TIMEOUT_S + 4) * 1000;

const { sqsEndpoint } = runServers();
const sqs = localSqsClient(sqsEndpoint);
let dir: string;
let options: DevServerOptions;
let server: DevServer | undefined;
let connection: Connection | undefined;
let ingest: Ingest | undefined;

beforeAll(async () => {
  ({ dir, options } = await restartableDevServerOptions('temporal-outage-'));
  server = await startTemporalDevServer(options);
  connection = await Connection.connect({ address: server.address });
});

afterAll(async () => {
  await ingest?.stop();
  await connection?.close();
  await server?.process.stop();
  sqs.destroy();
  rmSync(dir, { recursive: true, force: true });
});

it('waits out a Temporal outage: no readable message in the dead-letter queue, every order started once', async () => {
  const client = new Client({ connection: connection! });
  const name = `outage-${Date.now().toString(36)}-${process.pid}`;
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
  const handled = (id: string) =>
    logs.some((line) => line.message === 'order handled' && line.amazonOrderId === id && line.outcome === 'started');

  const before = `${name}-before`;
  await sendAll(sqs, queue.queueUrl, [JSON.stringify(shippedMfn({ amazonOrderId: before }))]);
  await eventually('the first order started', () => Promise.resolve(handled(before)), Boolean);

  await server!.process.stop();
  server = undefined;
  const outageStarted = Date.now();
  const during = Array.from({ length: 12 }, (_, i) => `${name}-during-${i}`);
  await sendAll(
    sqs,
    queue.queueUrl,
    during.map((amazonOrderId) => JSON.stringify(shippedMfn({ amazonOrderId }))),
  );
  await eventually(
    'the outage noticed',
    () => Promise.resolve(metrics.render()),
    (text) => text.includes('ingest_temporal_available 0'),
  );
  // The outage itself is what is tested: it must outlast what the redrive policy allows failing messages.
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - outageStarted)));
  expect(await queueDepth(sqs, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  server = await startTemporalDevServer(options);

  await eventually(
    'every order started',
    () => Promise.resolve(during.filter((id) => !handled(id))),
    (missing) => missing.length === 0,
    60_000,
  );
  await eventually(
    'the queue drained',
    () => queueDepth(sqs, queue.queueUrl),
    (depth) => depth.visible === 0 && depth.inFlight === 0,
  );
  expect(await queueDepth(sqs, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  expect(metrics.render()).toContain('ingest_temporal_available 1');
  expect(metrics.render()).toContain(`ingest_messages_total{outcome="started"} ${during.length + 1}`);
  expect(metrics.render()).toContain('ingest_messages_total{outcome="dead-letter"} 0');

  for (const id of [before, ...during]) {
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
  }
  const outageLines = logs.filter((line) => /^Temporal (is not taking calls|answers again)/.test(line.message));
  expect(outageLines.map((line) => line.message)).toEqual([
    'Temporal is not taking calls: ingest stops receiving until it answers',
    'Temporal answers again: ingest resumes receiving',
  ]);
  const leftForDlq = logs.filter((line) => line.message === 'message left for the dead-letter queue');
  expect(leftForDlq).toEqual([]);
});
