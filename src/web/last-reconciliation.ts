import type { Client } from '@temporalio/client';
import { RECONCILE_WORKFLOW_TYPE, type ReconcileOrdersResult } from '../domain/reconcile';

/** The newest completed runs read; a seller none of them reached shows as unknown. */
const RUNS_READ = 5;
/** Several people or tabs looking at once share one reading. */
const CACHE_MS = 10_000;

/**
 * When each seller's orders were last reconciled completely: the close time of the newest completed
 * `reconcileOrders` run whose result lists the seller without a failure. One visibility list and at most
 * five results read, cached for 10 seconds.
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

async function read(client: Client, taskQueue: string): Promise<Map<string, Date>> {
  const runs: { workflowId: string; runId: string; closedAt: Date }[] = [];
  const query = [
    `WorkflowType = '${RECONCILE_WORKFLOW_TYPE}'`,
    `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}'`,
    "ExecutionStatus = 'Completed'",
  ].join(' AND ');
  for await (const run of client.workflow.list({ query, pageSize: RUNS_READ })) {
    if (run.closeTime !== undefined)
      runs.push({ workflowId: run.workflowId, runId: run.runId, closedAt: run.closeTime });
    if (runs.length >= RUNS_READ) break;
  }
  runs.sort((a, b) => b.closedAt.getTime() - a.closedAt.getTime());
  const results = await Promise.all(
    runs.map((run) => client.workflow.getHandle(run.workflowId, run.runId).result() as Promise<ReconcileOrdersResult>),
  );
  const last = new Map<string, Date>();
  results.forEach((result, index) => {
    for (const seller of result?.sellers ?? []) {
      if (seller.failed === undefined && !last.has(seller.sellerId)) last.set(seller.sellerId, runs[index]!.closedAt);
    }
  });
  return last;
}
