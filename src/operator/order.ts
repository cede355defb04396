import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import { ApplicationFailure, type SignalDefinition } from '@temporalio/common';
import { statusQuery, WORKFLOW_TYPE, type ReviewSolicitationResult, type SolicitationStatus } from '../domain/contract';
import { GrpcStatus, grpcError } from '../grpc';
import { orderRow, type OrderRow } from './visibility';
import { UsageError } from '../errors';

/** How long `status` waits for a worker to answer the query: a running order with no worker never answers. */
const QUERY_TIMEOUT_MS = 10_000;

/** One order, for `solicit status`. */
export interface OrderState {
  /** What visibility holds: phase, window, marketplace, seller, Temporal's execution status. */
  order: OrderRow;
  /** The running workflow's answer to the `status` query; null once it has closed. */
  status: SolicitationStatus | null;
  /**
   * The closed workflow's result. A workflow that failed (an input it could not use) reads as outcome
   * `failed`; one ended by Temporal itself (terminated, timed out) has none.
   */
  result: ReviewSolicitationResult | null;
}

const CLOSED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT']);

/** The order's workflow; an unknown ID or another workflow type is bad input. */
export async function describeOrder(client: Client, amazonOrderId: string): Promise<WorkflowExecutionDescription> {
  let description: WorkflowExecutionDescription;
  try {
    description = await client.workflow.getHandle(amazonOrderId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new UsageError(`no order ${amazonOrderId} in namespace ${client.options.namespace}`, { cause: error });
    }
    throw error;
  }
  if (description.type !== WORKFLOW_TYPE) {
    throw new UsageError(`${amazonOrderId} is a ${description.type} workflow, not an order's ${WORKFLOW_TYPE}`);
  }
  return description;
}

function isClosed(description: Pick<WorkflowExecutionDescription, 'status'>): boolean {
  return isClosedStatus(description.status.name);
}

/** Whether Temporal's execution status (RUNNING, COMPLETED, ...) is one of a closed run. */
export function isClosedStatus(workflowStatus: string): boolean {
  return CLOSED.has(workflowStatus);
}

export async function orderState(client: Client, amazonOrderId: string): Promise<OrderState> {
  const description = await describeOrder(client, amazonOrderId);
  const order = orderRow(description);
  const handle = client.workflow.getHandle(amazonOrderId, description.runId);
  if (!isClosed(description)) {
    const status = await client
      .withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(statusQuery))
      .catch((error: unknown) => {
        // The server answers FAILED_PRECONDITION when no worker has polled the task queue lately.
        const grpc = grpcError(error);
        if (grpc?.code !== GrpcStatus.DeadlineExceeded && grpc?.code !== GrpcStatus.FailedPrecondition) throw error;
        const why =
          grpc.code === GrpcStatus.DeadlineExceeded ? `within ${QUERY_TIMEOUT_MS / 1000} s` : `(${grpc.details})`;
        throw new Error(
          `order ${amazonOrderId}: no worker answered its status query ${why}; ` +
            `is 'solicit worker' running for task queue ${description.taskQueue}?`,
          { cause: error },
        );
      });
    return { order, status, result: null };
  }
  try {
    return { order, status: null, result: (await handle.result()) as ReviewSolicitationResult };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    if (!(error.cause instanceof ApplicationFailure)) return { order, status: null, result: null };
    return {
      order,
      status: null,
      result: { amazonOrderId, outcome: 'failed', checks: 0, reason: error.cause.message },
    };
  }
}

/**
 * Signals a running order. An order that has already ended cannot take it: bad input, with its outcome.
 */
export async function signalRunningOrder<A>(
  client: Client,
  amazonOrderId: string,
  signal: SignalDefinition<[A]>,
  arg: A,
): Promise<void> {
  const description = await describeOrder(client, amazonOrderId);
  if (isClosed(description)) {
    const ended = orderRow(description).phase ?? description.status.name;
    throw new UsageError(`order ${amazonOrderId} has already ended (${ended})`);
  }
  try {
    await client.workflow.getHandle(amazonOrderId, description.runId).signal(signal, arg);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new UsageError(`order ${amazonOrderId} ended before the signal reached it`, { cause: error });
    }
    throw error;
  }
}
