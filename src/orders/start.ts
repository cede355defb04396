import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowSignalWithStartOptions,
} from '@temporalio/client';
import {
  orderUpdatedSignal,
  searchAttributes,
  WORKFLOW_TYPE,
  type OrderUpdatedSignal,
  type Phase,
  type ReviewSolicitationInput,
} from '../domain/contract';
import { sellerFairnessKey } from '../domain/fairness-key';
import { workflowStartSummary } from '../domain/web-ui';
import { solicitationWindow } from '../domain/window';
import type { reviewSolicitation } from '../workflows/review-solicitation';

/**
 * The one way an order's workflow is started, shared by ingest and backfill. The workflow ID is the
 * order ID and a closed workflow's ID is never reused, so however many notifications, backfill runs,
 * redeliveries and crashes an order goes through, it has one workflow, and a finished order stays
 * finished (as long as the namespace retains it: retention must outlast the window).
 */

/**
 * `started`: this call started the order's workflow. `signalled`: the running workflow got the update.
 * `closed`: the order's workflow has already ended, nothing to do. `ignored`: nothing asked of Temporal.
 */
export type StartOutcome = 'started' | 'signalled' | 'closed';
export type OrderOutcome = StartOutcome | 'ignored';

/** The order's workflow ID is held by a workflow of another type: nothing is started or signalled. */
export class WorkflowTypeConflictError extends Error {
  override name = 'WorkflowTypeConflictError';
  constructor(workflowId: string, type: string) {
    super(`workflow ID ${workflowId} is held by a workflow of type ${type}, not ${WORKFLOW_TYPE}`);
  }
}

/** Starts a shipped order's workflow, or signals the running one with the same dates; never restarts a closed one. */
export async function startOrder(
  client: Client,
  taskQueue: string,
  input: ReviewSolicitationInput,
): Promise<StartOutcome> {
  // The server knows whether signal-with-start started the workflow but the SDK does not pass it on; this
  // look-up only labels the outcome. The workflow ID and the reuse policy are what keep orders single.
  const before = await runState(client, input.amazonOrderId);
  if (before === 'closed') return 'closed';
  try {
    await client.workflow.signalWithStart<typeof reviewSolicitation, [OrderUpdatedSignal]>(
      WORKFLOW_TYPE,
      startOptions(input, taskQueue),
    );
  } catch (error) {
    // Closed between the look-up and the start.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'closed';
    throw error;
  }
  return before === 'running' ? 'signalled' : 'started';
}

/** Signals a running order's workflow; starts nothing. */
export async function signalOrder(
  client: Client,
  amazonOrderId: string,
  update: OrderUpdatedSignal,
): Promise<'signalled' | 'ignored'> {
  try {
    const handle = client.workflow.getHandle(amazonOrderId);
    const { type } = await handle.describe();
    if (type !== WORKFLOW_TYPE) throw new WorkflowTypeConflictError(amazonOrderId, type);
    await handle.signal(orderUpdatedSignal, update);
    return 'signalled';
  } catch (error) {
    // No workflow, or a closed one: nothing to update.
    if (error instanceof WorkflowNotFoundError) return 'ignored';
    throw error;
  }
}

/** The `orderUpdated` signal that goes with a start, so that a running workflow learns the same dates. */
export function shippedUpdate(input: ReviewSolicitationInput): OrderUpdatedSignal {
  return {
    orderStatus: 'Shipped',
    ...(input.earliestDeliveryDate && { earliestDeliveryDate: input.earliestDeliveryDate }),
    ...(input.latestDeliveryDate && { latestDeliveryDate: input.latestDeliveryDate }),
  };
}

export function startOptions(
  input: ReviewSolicitationInput,
  taskQueue: string,
): WorkflowSignalWithStartOptions<[OrderUpdatedSignal]> & { args: [ReviewSolicitationInput] } {
  // Computed once: the search attributes and the Web UI's words describe the same window.
  const window = solicitationWindow(input, input.policy);
  const waiting: Phase = 'waiting';
  return {
    workflowId: input.amazonOrderId,
    taskQueue,
    args: [input],
    signal: orderUpdatedSignal,
    signalArgs: [shippedUpdate(input)],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    workflowIdConflictPolicy: 'USE_EXISTING',
    // Workflow tasks are dispatched fairly by seller too, so that one seller's windows opening together
    // do not queue another seller's behind them before they reach the SP-API task queue.
    priority: { fairnessKey: sellerFairnessKey(input.sellerId) },
    typedSearchAttributes: [
      { key: searchAttributes.phase, value: waiting },
      { key: searchAttributes.solicitAfter, value: new Date(window.solicitAfter) },
      { key: searchAttributes.solicitBefore, value: new Date(window.solicitBefore) },
      { key: searchAttributes.marketplaceId, value: input.marketplaceId },
      { key: searchAttributes.sellerId, value: input.sellerId },
    ],
    ...workflowStartSummary(input, window),
  };
}

type RunState = 'none' | 'running' | 'closed';

async function runState(client: Client, workflowId: string): Promise<RunState> {
  try {
    const { status, type } = await client.workflow.getHandle(workflowId).describe();
    if (type !== WORKFLOW_TYPE) throw new WorkflowTypeConflictError(workflowId, type);
    return status.name === 'RUNNING' ? 'running' : 'closed';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'none';
    throw error;
  }
}
