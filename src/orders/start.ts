import { WorkflowNotFoundError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import {
  orderUpdatedSignal,
  searchAttributes,
  type OrderUpdatedSignal,
  type Phase,
  type ReviewSolicitationInput,
  type ReviewSolicitationWorkflow,
  WORKFLOW_TYPE,
} from '../domain/contract';
import { sellerFairnessKey } from '../domain/fairness-key';
import { WorkflowTypeConflictError } from '../errors';
import { GrpcStatus, grpcError } from '../grpc';
import { workflowStartSummary } from '../domain/web-ui';
import { solicitationWindow, type SolicitationWindow } from '../domain/window';
import { startOrUseExisting } from './start-request';

/**
 * The one way an order's workflow is started, shared by ingest and backfill. The workflow ID is the
 * order ID and a closed workflow's ID is never reused, so however many notifications, backfill runs,
 * redeliveries and crashes an order goes through, it has one workflow, and a finished order stays
 * finished (as long as the namespace retains it: retention must outlast the window).
 */

/**
 * `started`: this call started the order's workflow. `signalled`: the running workflow got the update.
 * `unchanged`: the running workflow has the same window already, so nothing was sent to it.
 * `closed`: the order's workflow has already ended, nothing to do. `ignored`: nothing asked of Temporal.
 */
export type StartOutcome = 'started' | 'signalled' | 'unchanged' | 'closed';
export type OrderOutcome = StartOutcome | 'ignored';

/**
 * Starts a shipped order's workflow, or signals the running one with the order's dates when they make
 * another window; never restarts a closed one. A new order costs one call (a start; no signal: the input
 * carries the dates); an order whose workflow runs costs the start the server de-duplicates, a describe, and
 * a signal only when the window its search attributes show is not the one the dates make (docs/spec.md
 * "Ingest rules": a repeated notification is counted `unchanged` and costs the workflow nothing).
 */
export async function startOrder(
  client: Client,
  taskQueue: string,
  input: ReviewSolicitationInput,
): Promise<StartOutcome> {
  let started: boolean;
  try {
    started = await startOrUseExisting(client, startOptions(input, taskQueue));
  } catch (error) {
    // REJECT_DUPLICATE: a workflow with the order's ID has closed; only the order's own means it is done.
    if (grpcError(error)?.code === GrpcStatus.AlreadyExists) {
      await assertOrderWorkflow(client, input.amazonOrderId);
      return 'closed';
    }
    throw error;
  }
  if (started) return 'started';
  const outcome = await signalOrder(client, input.amazonOrderId, shippedUpdate(input), {
    unlessWindow: solicitationWindow(input, input.policy),
  });
  // Closed between the start and the signal: nothing to update.
  return outcome === 'ignored' ? 'closed' : outcome;
}

/**
 * Signals a running order's workflow; starts nothing. With `unlessWindow`, a workflow whose search
 * attributes show that window already is left alone (`unchanged`).
 */
export async function signalOrder(
  client: Client,
  amazonOrderId: string,
  update: OrderUpdatedSignal,
  options: { unlessWindow?: Pick<SolicitationWindow, 'solicitAfter' | 'solicitBefore'> } = {},
): Promise<'signalled' | 'unchanged' | 'ignored'> {
  try {
    const handle = client.workflow.getHandle(amazonOrderId);
    const description = await handle.describe();
    const { type } = description;
    if (type !== WORKFLOW_TYPE) throw new WorkflowTypeConflictError(amazonOrderId, type, WORKFLOW_TYPE);
    if (description.status.name !== 'RUNNING') return 'ignored';
    if (options.unlessWindow && sameWindow(description.typedSearchAttributes, options.unlessWindow)) return 'unchanged';
    await handle.signal(orderUpdatedSignal, update);
    return 'signalled';
  } catch (error) {
    // No workflow, or a closed one: nothing to update.
    if (error instanceof WorkflowNotFoundError) return 'ignored';
    throw error;
  }
}

/** The order's workflow handle; a workflow ID held by a workflow of another type is a conflict, never touched. */
async function assertOrderWorkflow(client: Client, amazonOrderId: string) {
  const handle = client.workflow.getHandle(amazonOrderId);
  const { type } = await handle.describe();
  if (type !== WORKFLOW_TYPE) throw new WorkflowTypeConflictError(amazonOrderId, type, WORKFLOW_TYPE);
  return handle;
}

function sameWindow(
  attributes: TypedSearchAttributes,
  window: Pick<SolicitationWindow, 'solicitAfter' | 'solicitBefore'>,
): boolean {
  return (
    attributes.get(searchAttributes.solicitAfter)?.getTime() === window.solicitAfter &&
    attributes.get(searchAttributes.solicitBefore)?.getTime() === window.solicitBefore
  );
}

/**
 * The `orderUpdated` signal for a running workflow, so that it learns the notification's dates. A Shipped
 * notification's time of change is the order's `shippedAt` (src/ingest/order.ts), and the workflow ignores
 * an update older than the last one it applied.
 */
export function shippedUpdate(input: ReviewSolicitationInput): OrderUpdatedSignal {
  return {
    orderStatus: 'Shipped',
    changedAt: input.shippedAt,
    ...(input.earliestDeliveryDate && { earliestDeliveryDate: input.earliestDeliveryDate }),
    ...(input.latestDeliveryDate && { latestDeliveryDate: input.latestDeliveryDate }),
  };
}

export function startOptions(
  input: ReviewSolicitationInput,
  taskQueue: string,
): WorkflowStartOptions<ReviewSolicitationWorkflow> & { args: [ReviewSolicitationInput] } {
  // Computed once: the search attributes and the Web UI's words describe the same window.
  const window = solicitationWindow(input, input.policy);
  const waiting: Phase = 'waiting';
  return {
    workflowId: input.amazonOrderId,
    taskQueue,
    args: [input],
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

/**
 * `started`: this call started the order's workflow. `known`: its workflow is running, left as it is.
 * `closed`: it has ended. `conflict`: a workflow of another type holds the order's ID.
 */
export type StartOnlyOutcome = 'started' | 'known' | 'closed' | 'conflict';

/**
 * Starts a shipped order's workflow like `startOrder`, but never signals a running one: reconciliation's
 * start (docs/spec.md "Reconciliation", "Start only"), which meets every running order again at each sweep
 * and has no news for it. A running workflow costs a describe, to tell an order's from another type's.
 */
export async function startOnly(
  client: Client,
  taskQueue: string,
  input: ReviewSolicitationInput,
): Promise<StartOnlyOutcome> {
  // REJECT_DUPLICATE: a workflow with the order's ID has closed; only the order's own means it is done.
  let closed = false;
  try {
    if (await startOrUseExisting(client, startOptions(input, taskQueue))) return 'started';
  } catch (error) {
    if (grpcError(error)?.code !== GrpcStatus.AlreadyExists) throw error;
    closed = true;
  }
  try {
    const { type } = await client.workflow.getHandle(input.amazonOrderId).describe();
    if (type !== WORKFLOW_TYPE) return 'conflict';
    return closed ? 'closed' : 'known';
  } catch (error) {
    // Gone past retention between the start and the describe: it had ended.
    if (error instanceof WorkflowNotFoundError) return 'closed';
    throw error;
  }
}
