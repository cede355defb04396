import type { Client } from '@temporalio/client';
import { RECONCILE_SELLER_WORKFLOW_TYPE, sellerSweepWorkflowId } from '../reconcile/workflow/contract';

/** The newest completed sweeps read; a seller none of them reached shows as unknown. */
const SWEEPS_READ = 2_000;
/** Several people or tabs looking at once share one reading. */
const CACHE_MS = 10_000;

/**
 * When each seller's orders were last reconciled: the close time of its newest completed `reconcileSeller`
 * sweep (one workflow ID per seller). One visibility listing, newest first, at most 2,000 sweeps read,
 * cached for 10 seconds.
 */
export function lastReconciliations(
  client: Client,
  taskQueue: string,
  now: () => number = Date.now,
): () => Promise<Map<string, Date>> {
  let cached: { at: number; value: Promise<Map<string, Date>> } | undefined;
  return () => {
    if (cached === undefined || now() - cached.at >= CACHE_MS) {
      const value = read(client, taskQueue).catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
      cached = { at: now(), value };
    }
    return cached.value;
  };
}

const SWEEP_ID_PREFIX = sellerSweepWorkflowId('');

async function read(client: Client, taskQueue: string): Promise<Map<string, Date>> {
  const query = [
    `WorkflowType = '${RECONCILE_SELLER_WORKFLOW_TYPE}'`,
    `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}'`,
    "ExecutionStatus = 'Completed'",
  ].join(' AND ');
  const last = new Map<string, Date>();
  let seen = 0;
  for await (const sweep of client.workflow.list({ query, pageSize: 1000 })) {
    const sellerId = sweep.workflowId.startsWith(SWEEP_ID_PREFIX) ? sweep.workflowId.slice(SWEEP_ID_PREFIX.length) : '';
    const closedAt = sweep.closeTime;
    if (sellerId !== '' && closedAt !== undefined && (last.get(sellerId)?.getTime() ?? 0) < closedAt.getTime()) {
      last.set(sellerId, closedAt);
    }
    seen += 1;
    if (seen >= SWEEPS_READ) break;
  }
  return last;
}
