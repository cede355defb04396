/**
 * Orders held `blocked` (docs/spec.md, "Workflow contract"): a failure outside the order (a refused credential,
 * a seller missing from or paused in SPAPI_SELLERS_FILE) holds the order instead of ending it. Pure, so
 * the workflow and its unit tests decide the same.
 */
import { type ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { BLOCKING_FAILURE_TYPES, type FailureType } from './contract';
import { formatInstant } from './web-ui';

/** While blocked, an order calls Amazon at most once per this interval (an expedite excepted). */
export const BLOCKED_RETRY_INTERVAL_MS = 60 * 60_000;

/** The activity's words (whose credential, what Amazon said, what to do) when the failure blocks the order. */
export function blockingCause(error: ActivityFailure): string | undefined {
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  return BLOCKING_FAILURE_TYPES.includes(cause.type as FailureType) ? cause.message : undefined;
}

/** The reason a blocked order shows: the cause, and when it tries again by itself. */
export function blockedReason(cause: string, nextAttemptAt: number | undefined): string {
  const words = cause.replace(/\.\s*$/, '');
  if (nextAttemptAt === undefined) return `${words}. No attempt is left before the window closes`;
  return `${words}. The order tries again by itself at ${formatInstant(nextAttemptAt)}; an expedite tries at once`;
}
