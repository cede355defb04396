import { RetryState, type SearchAttributeUpdatePair } from '@temporalio/common';
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TimeoutFailure,
  condition,
  isCancellation,
  log,
  metricMeter,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  FailureType,
  INVALID_INPUT_FAILURE_TYPE,
  NON_RETRYABLE_FAILURE_TYPES,
  TERMINAL_PHASES,
  cancelSignal,
  expediteSignal,
  orderUpdatedSignal,
  searchAttributes,
  spApiTaskQueue,
  statusQuery,
  type OrderRef,
  type OrderUpdatedSignal,
  type Outcome,
  type Phase,
  type ReviewSolicitationInput,
  type ReviewSolicitationResult,
  type SolicitationStatus,
} from '../definitions';
import { METRICS } from '../metrics';
import { currentDetails, formatInstant } from './summary';
import {
  InvalidOrderInputError,
  nextRegularCheckAt,
  recheckIntervalMs,
  solicitationWindow,
  type OrderDates,
  type SolicitationWindow,
} from './window';

const { checkEligibility, solicit } = proxyActivities<ReturnType<typeof createActivities>>({
  // One Solicitations call per attempt. Each call also gets the SP-API task queue and a schedule-to-close
  // timeout that ends with the window (see `spApiCall`), so retries stop when the window closes.
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '15 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES],
  },
});

/**
 * One shipped order's review request (SPEC.md, "Workflow contract"): sleep until Amazon's window opens,
 * check eligibility, solicit once if Amazon offers the action, otherwise re-check on schedule until the
 * window closes.
 *
 * Cancellation: the `cancel` signal, an `orderUpdated` signal with status `Canceled` and Temporal's own
 * cancellation all end the same way: the workflow completes with outcome `cancelled`, so that operators and
 * the CLI read one shape of result. A wait ends at once; an SP-API call in flight is cancelled and awaited,
 * so a send that Amazon accepted in the meantime is still reported as `solicited`.
 */
export async function reviewSolicitation(input: ReviewSolicitationInput): Promise<ReviewSolicitationResult> {
  const { amazonOrderId, marketplaceId, sellerId, policy } = input;
  const order: OrderRef = { amazonOrderId, marketplaceId, sellerId };
  let dates: OrderDates = {
    shippedAt: input.shippedAt,
    earliestDeliveryDate: input.earliestDeliveryDate,
    latestDeliveryDate: input.latestDeliveryDate,
  };
  let window: SolicitationWindow;
  let intervalMs: number;
  try {
    for (const field of ['amazonOrderId', 'marketplaceId', 'sellerId'] as const) requireText(input[field], field);
    window = solicitationWindow(dates, policy);
    intervalMs = recheckIntervalMs(policy);
  } catch (error) {
    return rejectInput(error);
  }

  let phase: Phase = 'waiting';
  let checks = 0;
  let nextCheckAt: number | undefined;
  let solicitedAt: number | undefined;
  let reason: string | undefined;
  let lastRegularCheckAt: number | undefined;
  let lastApiFailure: string | undefined;
  let expediteRequested = false;
  let windowMoves = 0;
  let cancelReason: string | undefined;
  let published: { phase?: Phase; solicitAfter?: number; solicitBefore?: number } = {};
  // Everything that waits or calls Amazon runs in this scope, so that cancelling it ends a wait or an
  // SP-API call in flight, even one between retries.
  const solicitation = new CancellationScope();

  setHandler(cancelSignal, (signal) => {
    const given = typeof signal?.reason === 'string' ? signal.reason.trim() : '';
    requestCancel(given === '' ? 'cancelled by an operator' : given);
  });
  setHandler(expediteSignal, () => {
    expediteRequested = true;
  });
  setHandler(orderUpdatedSignal, (update) => {
    if (update?.orderStatus === 'Canceled') requestCancel('Amazon reports the order as Canceled');
    else moveWindow(update);
  });
  setHandler(statusQuery, status);

  publish();
  try {
    return await solicitation.run(solicitUntilWindowCloses);
  } catch (error) {
    if (!isCancellation(error) && !solicitation.consideredCancelled) throw error;
    return finish('cancelled', cancelReason ?? 'cancelled in Temporal');
  }

  async function solicitUntilWindowCloses(): Promise<ReviewSolicitationResult> {
    for (;;) {
      const now = Date.now();
      if (now >= window.solicitBefore) return finish('expired', expiredReason());
      const due = nextRegularCheckAt(window, intervalMs, lastRegularCheckAt);
      if (now < due && !expediteRequested) {
        await waitFor(due);
        continue;
      }
      // An expedited check is an extra one: it leaves the regular schedule where it was.
      if (now >= due) lastRegularCheckAt = now;
      expediteRequested = false;
      const ended = await checkAndSolicit();
      if (ended) return ended;
    }
  }

  /** Until the check due (or the window's close), an expedite request, or a move of the window. */
  async function waitFor(due: number): Promise<void> {
    const checkFits = due < window.solicitBefore;
    enter('waiting', checkFits ? due : undefined);
    const summary = !checkFits
      ? 'Until the window closes'
      : due === window.solicitAfter
        ? "Until Amazon's window opens"
        : 'Until the next eligibility check';
    const movesBefore = windowMoves;
    const wakeAt = checkFits ? due : window.solicitBefore;
    await condition(() => expediteRequested || windowMoves !== movesBefore, wakeAt - Date.now(), { summary });
  }

  /** The outcome if the order's workflow ends here, or undefined to keep waiting for the next check. */
  async function checkAndSolicit(): Promise<ReviewSolicitationResult | undefined> {
    enter('checking');
    let offered: boolean;
    try {
      ({ offered } = await checkEligibility.executeWithOptions(
        spApiCall('Ask Amazon whether it offers the review request', 'getSolicitationActionsForOrder'),
        [order],
      ));
    } catch (error) {
      return afterFailure(error);
    }
    checks += 1;
    // The window may have moved while the check ran: nothing is sent once it has closed.
    if (!offered || Date.now() >= window.solicitBefore) return undefined;
    try {
      await solicit.executeWithOptions(
        spApiCall("Send Amazon's review request", 'createProductReviewAndSellerFeedbackSolicitation'),
        [order],
      );
    } catch (error) {
      return afterFailure(error);
    }
    solicitedAt = Date.now();
    return finish('solicited');
  }

  function spApiCall(summary: string, operation: string): ActivityOptions {
    return {
      summary,
      taskQueue: spApiTaskQueue(workflowInfo().taskQueue),
      // The server paces each key to Amazon's allowance for one seller and operation (SPEC: SP-API pacing).
      priority: { fairnessKey: `${sellerId}:${operation}` },
      // Retrying stops when the window closes, so no attempt reaches Amazon after it.
      scheduleToCloseTimeout: window.solicitBefore - Date.now(),
    };
  }

  function afterFailure(error: unknown): ReviewSolicitationResult | undefined {
    if (isCancellation(error) || solicitation.consideredCancelled || !(error instanceof ActivityFailure)) throw error;
    const cause = error.cause;
    if (error.retryState === RetryState.TIMEOUT) {
      // Retrying stopped at the end of the window: the loop ends as expired, unless the window moved.
      lastApiFailure = (cause instanceof TimeoutFailure ? (cause.cause ?? cause) : cause)?.message ?? error.message;
      return undefined;
    }
    if (!(cause instanceof ApplicationFailure)) return finish('failed', cause?.message ?? error.message);
    switch (cause.type) {
      case FailureType.AlreadySolicited:
        return finish('already-solicited', cause.message);
      case FailureType.OutsideWindow:
        // Amazon's view of its window decides: like an action not offered, check again on schedule.
        return undefined;
      default:
        return finish('failed', cause.message);
    }
  }

  function requestCancel(why: string): void {
    if (cancelReason !== undefined || isTerminal(phase)) return;
    cancelReason = why;
    solicitation.cancel();
  }

  function moveWindow(update: OrderUpdatedSignal | undefined): void {
    if (isTerminal(phase)) return;
    const moved: OrderDates = {
      ...dates,
      ...(update?.earliestDeliveryDate !== undefined && { earliestDeliveryDate: update.earliestDeliveryDate }),
      ...(update?.latestDeliveryDate !== undefined && { latestDeliveryDate: update.latestDeliveryDate }),
    };
    let next: SolicitationWindow;
    try {
      next = solicitationWindow(moved, policy);
    } catch (error) {
      log.warn('orderUpdated ignored: its dates do not make a window', { amazonOrderId, error: String(error) });
      return;
    }
    dates = moved;
    if (
      next.solicitAfter !== window.solicitAfter ||
      next.solicitBefore !== window.solicitBefore ||
      next.estimated !== window.estimated
    ) {
      window = next;
      windowMoves += 1;
    }
  }

  function expiredReason(): string {
    const closed = `the window closed on ${formatInstant(window.solicitBefore)}`;
    if (lastApiFailure !== undefined) return `${closed} while Amazon's API kept failing: ${lastApiFailure}`;
    if (checks === 0) return `${closed} before any eligibility check`;
    return `${closed}; Amazon did not offer the review request in ${checks} ${checks === 1 ? 'check' : 'checks'}`;
  }

  function finish(outcome: Outcome, why?: string): ReviewSolicitationResult {
    reason = why;
    enter(outcome);
    countOutcome(outcome);
    return { amazonOrderId, outcome, checks, solicitedAt: optionalIso(solicitedAt), reason };
  }

  function enter(next: Phase, nextCheck?: number): void {
    phase = next;
    nextCheckAt = nextCheck;
    publish();
  }

  function status(): SolicitationStatus {
    return {
      amazonOrderId,
      phase,
      solicitAfter: new Date(window.solicitAfter).toISOString(),
      solicitBefore: new Date(window.solicitBefore).toISOString(),
      windowEstimated: window.estimated,
      checks,
      nextCheckAt: optionalIso(nextCheckAt),
      solicitedAt: optionalIso(solicitedAt),
      reason,
    };
  }

  /** Search attributes that changed (each upsert is a history event) and the Web UI's current details. */
  function publish(): void {
    const updates: SearchAttributeUpdatePair[] = [];
    if (published.phase === undefined) {
      updates.push({ key: searchAttributes.marketplaceId, value: marketplaceId });
      updates.push({ key: searchAttributes.sellerId, value: sellerId });
    }
    if (phase !== published.phase) updates.push({ key: searchAttributes.phase, value: phase });
    if (window.solicitAfter !== published.solicitAfter) {
      updates.push({ key: searchAttributes.solicitAfter, value: new Date(window.solicitAfter) });
    }
    if (window.solicitBefore !== published.solicitBefore) {
      updates.push({ key: searchAttributes.solicitBefore, value: new Date(window.solicitBefore) });
    }
    if (updates.length > 0) upsertSearchAttributes(updates);
    published = { phase, solicitAfter: window.solicitAfter, solicitBefore: window.solicitBefore };
    setCurrentDetails(currentDetails(status()));
  }
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOrderInputError(`${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
}

/** Input without an order or a computable window fails the workflow; visibility still shows the phase. */
function rejectInput(error: unknown): never {
  const message = `invalid input: ${error instanceof Error ? error.message : String(error)}`;
  upsertSearchAttributes([{ key: searchAttributes.phase, value: 'failed' }]);
  setCurrentDetails(`Failed: ${message}`);
  countOutcome('failed');
  throw ApplicationFailure.nonRetryable(message, INVALID_INPUT_FAILURE_TYPE);
}

/** Workflow metrics are not emitted during replay: a worker that picks up an ended history counts nothing. */
function countOutcome(outcome: Outcome): void {
  metricMeter.createCounter(METRICS.outcomes.name, undefined, METRICS.outcomes.description).add(1, { outcome });
}

function isTerminal(phase: Phase): boolean {
  return (TERMINAL_PHASES as readonly Phase[]).includes(phase);
}

function optionalIso(instant: number | undefined): string | undefined {
  return instant === undefined ? undefined : new Date(instant).toISOString();
}
