import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { PHASES, type Phase } from '../domain/contract';
import { listOrders, ordersQuery, phaseCondition } from './visibility';

/** An order picked for the replay check, and the phase visibility gave it. */
export interface SampledOrder {
  amazonOrderId: string;
  phase: Phase;
  running: boolean;
}

/**
 * Up to `perPhase` orders of each phase (docs/spec.md "Deploys"), narrowed by an operator's filter already
 * guarded: the running phases reach the orders a deploy meets mid-sleep, the ended ones (as far back as
 * retention keeps them) the paths a build must still replay for a retry or a reset. Visibility lists
 * running orders first and then the most recently closed.
 */
export async function sampleOrders(client: Client, perPhase: number, filter?: string): Promise<SampledOrder[]> {
  const byPhase = await Promise.all(
    PHASES.map(async (phase) => {
      const { orders } = await listOrders(client, ordersQuery(phaseCondition(phase), filter), perPhase);
      return orders.map((order) => ({
        amazonOrderId: order.amazonOrderId,
        phase,
        running: order.workflowStatus === 'RUNNING',
      }));
    }),
  );
  return byPhase.flat();
}

/** Each sampled order's history, fetched as the replayer asks for the next one. */
export async function* sampledHistories(
  client: Client,
  orders: readonly SampledOrder[],
): AsyncGenerator<HistoryAndWorkflowId> {
  for (const { amazonOrderId } of orders) {
    yield { workflowId: amazonOrderId, history: await client.workflow.getHandle(amazonOrderId).fetchHistory() };
  }
}
