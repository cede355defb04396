import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { searchAttributes } from '../domain/contract';
import { formatInstant } from '../domain/web-ui';
import { UsageError } from '../errors';
import { describeOrder, isClosedStatus } from './order';
import { firstWorkflowTaskEventId } from './reset-point';
import { judgingFilter, orderRow, ordersQuery, phaseCondition, type OrderRow } from './visibility';

/**
 * `solicit retry` (docs/spec.md, "CLI"): a `failed` order, or an `expired` one whose window is in fact still open,
 * is reset to its first workflow task. Its workflow runs again from the start of its history with the same
 * input, under the same workflow ID, and the signals it had received are applied again.
 */

/** Kept in the reset's history events, where the Web UI and `temporal workflow describe` show it. */
export const RETRY_REASON = 'solicit retry: reopened by an operator';

/** Resets running at once: enough to be quick, few enough to leave the server to everyone else. */
const CONCURRENCY = 8;

export interface Run {
  workflowId: string;
  runId: string;
}

/** Why the order cannot be retried now, in one line; undefined when it can. */
export function retryRefusal(order: OrderRow, now: number): string | undefined {
  const { amazonOrderId: id, phase } = order;
  if (!isClosedStatus(order.workflowStatus)) {
    return `order ${id} is still running (${phase ?? order.workflowStatus}): nothing to retry`;
  }
  if (phase === 'failed') return undefined;
  if (phase === 'expired') {
    const closes = order.solicitBefore === null ? Number.NaN : Date.parse(order.solicitBefore);
    if (closes > now) return undefined;
    const when = Number.isNaN(closes) ? '' : ` on ${formatInstant(closes)}`;
    return `order ${id} expired and its window closed${when}: Amazon would not take its review request`;
  }
  const ended = phase ?? order.workflowStatus;
  return `order ${id} ended ${ended}: only failed orders, and expired ones whose window is still open, are retried`;
}

/**
 * The closed orders a retry can reopen, narrowed by an operator's list filter (already guarded). The
 * visibility store also lists runs that an earlier retry replaced, so `retryCandidates` keeps only rows
 * that are still their order's current run.
 */
export function retryQuery(now: Date, filter?: string): string {
  const windowOpen = `${searchAttributes.solicitBefore.name} > '${now.toISOString()}'`;
  const retryable = `${phaseCondition('failed')} OR (${phaseCondition('expired')} AND ${windowOpen})`;
  return ordersQuery("ExecutionStatus != 'Running'", retryable, filter);
}

/**
 * Same base run, same ID: the server de-duplicates reset requests by it, so a retry sent twice (two
 * operators, a command run again after a timeout) reopens the order once.
 */
export function retryRequestId(runId: string): string {
  const hex = createHash('sha256').update(`solicit retry ${runId}`).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
}

/** Resets one closed run to its first workflow task; resolves with the new run's ID. */
export async function resetToStart(client: Client, run: Run): Promise<string> {
  const { runId } = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: run,
    reason: RETRY_REASON,
    workflowTaskFinishEventId: await firstWorkflowTaskEventId(client, run),
    requestId: retryRequestId(run.runId),
    identity: client.options.identity,
  });
  return runId;
}

/** `solicit retry <orderId>`: an order that cannot be retried is bad input, with the reason. */
export async function retryOrder(client: Client, amazonOrderId: string, now = Date.now()): Promise<string> {
  const description = await describeOrder(client, amazonOrderId);
  const refusal = retryRefusal(orderRow(description), now);
  if (refusal !== undefined) throw new UsageError(refusal);
  return resetToStart(client, { workflowId: amazonOrderId, runId: description.runId });
}

/** The runs `solicit retry --query` would reset: each the current run of its order, and retryable now. */
export async function retryCandidates(client: Client, filter: string | undefined, now: Date): Promise<Run[]> {
  const rows = await judgingFilter(async () => {
    const listed: Run[] = [];
    for await (const { workflowId, runId } of client.workflow.list({ query: retryQuery(now, filter) })) {
      listed.push({ workflowId, runId });
    }
    return listed;
  });
  const current = await inBatches(rows, async (row) => {
    const description = await client.workflow.getHandle(row.workflowId).describe();
    const retryable = retryRefusal(orderRow(description), now.getTime()) === undefined;
    return description.runId === row.runId && retryable ? row : undefined;
  });
  return current.filter((run): run is Run => run !== undefined);
}

export interface RetryOutcome {
  reopened: number;
  /** The orders that could not be reset, with what the server said. */
  failed: { amazonOrderId: string; message: string }[];
}

export async function retryRuns(client: Client, runs: readonly Run[]): Promise<RetryOutcome> {
  const results = await inBatches(runs, (run) =>
    resetToStart(client, run).then(
      () => undefined,
      (error: unknown) => ({ amazonOrderId: run.workflowId, message: (error as Error).message.split('\n')[0] ?? '' }),
    ),
  );
  const failed = results.filter((result) => result !== undefined);
  return { reopened: runs.length - failed.length, failed };
}

async function inBatches<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(start, start + CONCURRENCY).map(each))));
  }
  return results;
}
