import type { ReviewSolicitationResult } from '../domain/contract';
import type { OrderState } from './order';

/**
 * `solicit status --json` (docs/spec.md, "CLI"): the status query's fields at the top level, so that
 * `solicit status X --json | jq .phase` works, plus Temporal's `workflowStatus` and, once closed, the
 * `result`. A closed order answers no query: its fields come from the result and from visibility.
 */
export type StatusJson = {
  amazonOrderId: string;
  phase: string | null;
  solicitAfter?: string;
  solicitBefore?: string;
  windowEstimated?: boolean;
  checks?: number;
  nextCheckAt?: string;
  solicitedAt?: string;
  reason?: string;
  workflowStatus: string;
  result?: ReviewSolicitationResult;
};

export function statusJson({ order, status, result }: OrderState): StatusJson {
  if (status) return { ...status, workflowStatus: order.workflowStatus };
  return {
    amazonOrderId: order.amazonOrderId,
    phase: result?.outcome ?? order.phase,
    ...(order.solicitAfter !== null && { solicitAfter: order.solicitAfter }),
    ...(order.solicitBefore !== null && { solicitBefore: order.solicitBefore }),
    ...(result && { checks: result.checks }),
    ...(result?.solicitedAt !== undefined && { solicitedAt: result.solicitedAt }),
    ...(result?.reason !== undefined && { reason: result.reason }),
    workflowStatus: order.workflowStatus,
    ...(result && { result }),
  };
}
