import { rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { Ingest } from '../../../src/ingest/consumer';
import { localSqsClient } from '../../../src/local/sqs';
import { startTemporalDevServer, type DevServer, type DevServerOptions } from '../../../src/local/temporal-dev-server';
import { restartableDevServerOptions } from '../../helpers/dev-server';
import { eventually } from '../../helpers/eventually';
import {
  expectStartedOnce,
  ingestUnderFault,
  MAX_RECEIVE_COUNT,
  VISIBILITY_TIMEOUT_S,
} from '../../helpers/fault-ingest';
import { queueDepth } from '../../helpers/sqs';
import { runServers } from '../../setup/servers';

/**
 * Temporal stopped for longer than maxReceiveCount x the visibility timeout while notifications arrive,
 * then started again on the same database file: ingest waits it out instead of failing each message
 * until the redrive policy takes it, so nothing readable reaches the dead-letter queue and every order
 * is started once.
 */

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
  const fault = await ingestUnderFault(sqs, client, name);
  const { queue, metrics, handled } = fault;
  ingest = fault.ingest;
  await ingest.start();

  const before = `${name}-before`;
  await fault.sendShipped([before]);
  await eventually('the first order started', () => Promise.resolve(handled(before)), Boolean);

  await server!.process.stop();
  server = undefined;
  const outageStarted = Date.now();
  const during = Array.from({ length: 12 }, (_, i) => `${name}-during-${i}`);
  await fault.sendShipped(during);
  await fault.faultNoticed('the outage noticed');
  // The outage itself is what is tested: it must outlast what the redrive policy allows failing messages.
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - outageStarted)));
  expect(await queueDepth(sqs, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  server = await startTemporalDevServer(options);

  await fault.allStarted(during, during.length + 1);
  expect(metrics.render()).toContain('ingest_temporal_available 1');

  await expectStartedOnce(client, [before, ...during]);
  expect(fault.availabilityLines().map((line) => line.message)).toEqual([
    'Temporal is not taking calls: ingest stops receiving until it answers',
    'Temporal answers again: ingest resumes receiving',
  ]);
  const leftForDlq = fault.logs.filter((line) => line.message === 'message left for the dead-letter queue');
  expect(leftForDlq).toEqual([]);
});
