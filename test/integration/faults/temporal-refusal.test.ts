import { Client, Connection } from '@temporalio/client';
import { GrpcStatus } from '../../../src/grpc';
import type { Ingest } from '../../../src/ingest/consumer';
import { localSqsClient } from '../../../src/local/sqs';
import {
  ingestUnderFault,
  expectStartedOnce,
  MAX_RECEIVE_COUNT,
  VISIBILITY_TIMEOUT_S,
} from '../../helpers/fault-ingest';
import { startGrpcGate, type GrpcGate } from '../../helpers/grpc-gate';
import { queueDepth } from '../../helpers/sqs';
import { runServers } from '../../setup/servers';

/**
 * Temporal refusing ingest's writes (an API key whose role lost write access: PermissionDenied) for longer
 * than maxReceiveCount x the visibility timeout, while reads still pass: ingest holds receiving, as for an
 * outage, until the server takes its calls again, so no readable message reaches the dead-letter queue.
 */

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
  const fault = await ingestUnderFault(sqs, client, name);
  ingest = fault.ingest;
  await ingest.start();

  gate.refuse(WRITES, GrpcStatus.PermissionDenied);
  const refusedSince = Date.now();
  const orders = Array.from({ length: 6 }, (_, i) => `${name}-${i}`);
  await fault.sendShipped(orders);
  await fault.faultNoticed('the refusal noticed');
  // The refusal's length is what is tested: it must outlast what the redrive policy allows failing messages.
  await new Promise((resolve) => setTimeout(resolve, REFUSAL_MS - (Date.now() - refusedSince)));
  expect(await queueDepth(sqs, fault.queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  expect(gate.refused).toContain('SignalWorkflowExecution');
  gate.open();

  await fault.allStarted(orders);
  expect(fault.availabilityLines().map((line) => [line.message, line.reason])).toEqual([
    ['Temporal is not taking calls: ingest stops receiving until it answers', 'permission denied'],
    ['Temporal answers again: ingest resumes receiving', undefined],
  ]);
  await expectStartedOnce(client, orders);
});
