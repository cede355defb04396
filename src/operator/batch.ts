import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { toPayloads, type SignalDefinition } from '@temporalio/common';
import { GrpcStatus, grpcError } from '../grpc';
import { UsageError } from '../errors';

/** `temporal.api.enums.v1.BatchOperationState`, whose numbers are fixed by the wire format. */
const BatchState = { Unspecified: 0, Running: 1, Completed: 2 } as const;

export interface BatchOutcome {
  jobId: string;
  /** Workflows the batch found for the query. */
  total: number;
  signalled: number;
  /** Those it could not signal, typically because they closed in the meantime. */
  failed: number;
}

/**
 * Signals every workflow the visibility query matches through a Temporal batch operation: the server
 * does the work at its batch rate and keeps going if this process stops; operators find the job in the Web
 * UI and in `temporal batch list`. Resolves with the counts once the job has finished.
 */
export async function signalBatch<A>(
  client: Client,
  batch: { query: string; signal: SignalDefinition<[A]>; arg: A; reason: string },
): Promise<BatchOutcome> {
  const { namespace, identity, loadedDataConverter } = client.options;
  const jobId = randomUUID();
  try {
    await client.workflowService.startBatchOperation({
      namespace,
      jobId,
      reason: batch.reason,
      visibilityQuery: batch.query,
      signalOperation: {
        signal: batch.signal.name,
        input: { payloads: await encodeArg(loadedDataConverter, batch.arg) },
        identity,
      },
    });
  } catch (error) {
    const grpc = grpcError(error);
    if (grpc?.code === GrpcStatus.InvalidArgument) {
      throw new UsageError(`bad list filter: ${grpc.details}`, { cause: error });
    }
    if (grpc?.code === GrpcStatus.ResourceExhausted) {
      // The server runs few batch jobs per namespace at a time (one on a default server).
      const message = `Temporal did not start the batch: ${grpc.details} (see 'temporal batch list'; try again later)`;
      throw new Error(message, { cause: error });
    }
    throw error;
  }
  return finished(client, jobId);
}

async function finished(client: Client, jobId: string): Promise<BatchOutcome> {
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    const job = await client.workflowService.describeBatchOperation({ namespace: client.options.namespace, jobId });
    switch (job.state as number) {
      case BatchState.Unspecified:
      case BatchState.Running:
        await sleep(delayMs);
        continue;
      case BatchState.Completed:
        return {
          jobId,
          total: toNumber(job.totalOperationCount),
          signalled: toNumber(job.completeOperationCount),
          failed: toNumber(job.failureOperationCount),
        };
      default:
        throw new Error(`batch job ${jobId} did not complete: ${job.reason || 'no reason given'}`);
    }
  }
}

function toNumber(value: { toNumber(): number } | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** A signal argument as the client would send it: converted to a payload, then through the codecs in order. */
async function encodeArg(converter: Client['options']['loadedDataConverter'], arg: unknown) {
  let payloads = toPayloads(converter.payloadConverter, arg);
  for (const codec of converter.payloadCodecs) if (payloads) payloads = await codec.encode(payloads);
  return payloads;
}
