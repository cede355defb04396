import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { PHASES, type Phase } from '../domain/contract';
import { RECONCILE_WORKFLOW_TYPE } from '../reconcile/workflow/contract';
import { judgingFilter, listOrders, ordersQuery, phaseCondition } from './visibility';

/** What a sampled workflow stands for in the check's report: an order's phase, or a reconciliation run. */
export type SampleGroup = Phase | typeof RECONCILE_WORKFLOW_TYPE;

export interface SampledWorkflow {
  workflowId: string;
  group: SampleGroup;
  running: boolean;
}

/**
 * Up to `perGroup` orders of each phase (docs/spec.md "Deploys") and as many reconciliation runs (they move
 * to a new version too), narrowed by an operator's filter already guarded. The running phases reach the
 * orders a deploy meets mid-sleep, the ended ones (as far back as retention keeps them) the paths a build
 * must still replay for a retry or a reset. Visibility lists running workflows first, then the most
 * recently closed.
 */
export async function sampleWorkflows(client: Client, perGroup: number, filter?: string): Promise<SampledWorkflow[]> {
  const groups = await Promise.all([
    ...PHASES.map(async (phase) => {
      const { orders } = await listOrders(client, ordersQuery(phaseCondition(phase), filter), perGroup);
      return orders.map((order) => ({
        workflowId: order.amazonOrderId,
        group: phase,
        running: order.workflowStatus === 'RUNNING',
      }));
    }),
    reconcileRuns(client, perGroup, filter),
  ]);
  return groups.flat();
}

function reconcileRuns(client: Client, limit: number, filter?: string): Promise<SampledWorkflow[]> {
  const conditions = [`WorkflowType = '${RECONCILE_WORKFLOW_TYPE}'`, ...(filter === undefined ? [] : [`(${filter})`])];
  return judgingFilter(async () => {
    const runs: SampledWorkflow[] = [];
    for await (const info of client.workflow.list({ query: conditions.join(' AND '), pageSize: limit })) {
      if (runs.length === limit) break;
      runs.push({
        workflowId: info.workflowId,
        group: RECONCILE_WORKFLOW_TYPE,
        running: info.status.name === 'RUNNING',
      });
    }
    return runs;
  });
}

/** Each sampled workflow's history (its latest run), fetched as the replayer asks for the next one. */
export async function* sampledHistories(
  client: Client,
  workflows: readonly SampledWorkflow[],
): AsyncGenerator<HistoryAndWorkflowId> {
  for (const { workflowId } of workflows) {
    yield { workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() };
  }
}
