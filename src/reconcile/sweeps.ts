import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { sellerSweepWorkflowId, type SellerSweepResult } from './workflow/contract';

/** A seller's latest sweep, as Temporal holds it: where its cursors live between runs. */
export type LatestSweep =
  | { status: 'running'; run?: string }
  | { status: 'completed'; run?: string; result: SellerSweepResult }
  /** None within the namespace's retention, or one that ended without a result (terminated, timed out). */
  | { status: 'none'; run?: string };

export interface SweepLookup {
  latest(sellerId: string): Promise<LatestSweep>;
  /** Waits for the seller's latest sweep to close: its result, or undefined when it ended without one. */
  result(sellerId: string): Promise<SellerSweepResult | undefined>;
}

/**
 * The cursors live in the result of each seller's last completed `reconcileSeller` (one workflow ID per
 * seller), found by ID alone: durable in Temporal across worker restarts and deploys, for as long as the
 * namespace retains closed workflows (at least 45 days, for an interval of a day).
 */
export function clientSweepLookup(client: Client): SweepLookup {
  return {
    async latest(sellerId) {
      const handle = client.workflow.getHandle<() => Promise<SellerSweepResult>>(sellerSweepWorkflowId(sellerId));
      try {
        const description = await handle.describe();
        const run = typeof description.memo?.run === 'string' ? description.memo.run : undefined;
        if (description.status.name === 'RUNNING') return { status: 'running', run };
        if (description.status.name !== 'COMPLETED') return { status: 'none', run };
        return { status: 'completed', run, result: await handle.result() };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return { status: 'none' };
        throw error;
      }
    },
    async result(sellerId) {
      const handle = client.workflow.getHandle<() => Promise<SellerSweepResult>>(sellerSweepWorkflowId(sellerId));
      try {
        return await handle.result();
      } catch (error) {
        // None, or one that failed, was terminated or timed out: no counts to give.
        if (error instanceof WorkflowNotFoundError || error instanceof WorkflowFailedError) return undefined;
        throw error;
      }
    },
  };
}
