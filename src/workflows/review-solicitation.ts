import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  metricMeter,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Solicited, createActivities } from '../activities';
import {
  INVALID_INPUT_FAILURE_TYPE,
  NON_RETRYABLE_FAILURE_TYPES,
  cancelSignal,
  expediteSignal,
  orderUpdatedSignal,
  searchAttributes,
  spApiTaskQueue,
  statusQuery,
  type OrderRef,
  type Outcome,
  type Phase,
  type ReviewSolicitationInput,
  type ReviewSolicitationResult,
} from '../domain/contract';
import { blockingCause } from '../domain/blocked';
import { sellerFairnessKey } from '../domain/fairness-key';
import { METRICS } from '../domain/metrics';
import {
  CANCELLED_BY_AMAZON,
  NOT_SENT_DRY_RUN,
  OrderState,
  cancelReasonOf,
  invalidInputMessage,
} from '../domain/order-state';
import { currentDetails } from '../domain/web-ui';

const {
  checkEligibility,
  solicit,
  checkAndSolicit: checkAndSend,
} = proxyActivities<ReturnType<typeof createActivities>>({
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
 * One shipped order's review request (docs/spec.md, "Workflow contract"): sleep until Amazon's window opens,
 * check eligibility, solicit once if Amazon offers the action, otherwise re-check on schedule until the
 * window closes. A failure outside the order (a refused credential, the sellers file) holds it `blocked`:
 * it tries again hourly, at once on `expedite`, and expires with that reason if the window closes first.
 *
 * Cancellation: the `cancel` signal, an `orderUpdated` signal with status `Canceled` and Temporal's own
 * cancellation all end the same way: the workflow completes with outcome `cancelled`, so that operators and
 * the CLI read one shape of result. A wait ends at once; an SP-API call in flight is cancelled and awaited,
 * so a send that Amazon accepted in the meantime is still reported as `solicited`.
 */
export async function reviewSolicitation(input: ReviewSolicitationInput): Promise<ReviewSolicitationResult> {
  let state: OrderState;
  try {
    state = new OrderState(input);
  } catch (error) {
    return rejectInput(error);
  }
  const { order } = state;
  // Orders started before this patch upserted every search attribute at their first task and the phase
  // `checking` at every check; a patch marker is recorded once, at the first task. Orders started with
  // `checkAndSend` came later: their input says it, and they spare the marker (a billed action).
  const quietSearchAttributes = state.checkAndSend || patched(QUIET_SEARCH_ATTRIBUTES_PATCH);
  if (quietSearchAttributes) state.startedWith(workflowInfo().typedSearchAttributes);
  // Everything that waits or calls Amazon runs in this scope, so that cancelling it ends a wait or an
  // SP-API call in flight, even one between retries.
  const solicitation = new CancellationScope();

  setHandler(cancelSignal, (signal) => requestCancel(cancelReasonOf(signal)));
  setHandler(expediteSignal, () => state.expedite());
  setHandler(orderUpdatedSignal, (update) => {
    if (update?.orderStatus === 'Canceled') return requestCancel(CANCELLED_BY_AMAZON);
    const ignored = state.moveWindow(update);
    if (ignored !== undefined) {
      log.warn('orderUpdated ignored', {
        amazonOrderId: order.amazonOrderId,
        error: ignored,
      });
    }
  });
  setHandler(statusQuery, () => state.status());

  publish();
  try {
    return await solicitation.run(solicitUntilWindowCloses);
  } catch (error) {
    if (!isCancellation(error) && !solicitation.consideredCancelled) throw error;
    return finish('cancelled', state.cancelledReason());
  }

  async function solicitUntilWindowCloses(): Promise<ReviewSolicitationResult> {
    for (;;) {
      const step = state.next(Date.now());
      if (step.action === 'expire') return finish('expired', step.reason);
      if (step.action === 'wait') {
        // Orders that were blocked this long before this patch kept one history; it replays so.
        if (
          step.phase === 'blocked' &&
          workflowInfo().historyLength >= BLOCKED_RUN_HISTORY_EVENTS &&
          patched(CONTINUE_BLOCKED_AS_NEW_PATCH)
        ) {
          return continueBlockedAsNew();
        }
        enter(step.phase, step.nextCheckAt);
        const { movesBefore, summary } = step;
        await condition(() => state.wakesEarly(movesBefore), step.wakeAt - Date.now(), { summary });
        continue;
      }
      const ended = await checkAndSolicit(step.attempt === undefined ? order : { ...order, attempt: step.attempt });
      if (ended) return ended;
    }
  }

  /** The outcome if the order's workflow ends here, or undefined to keep waiting for the next check. */
  async function checkAndSolicit(order: OrderRef): Promise<ReviewSolicitationResult | undefined> {
    enter('checking');
    const attempt: OrderRef = { ...order, lastCallAt: new Date(state.lastCallAt).toISOString() };
    if (state.checkAndSend) return checkAndSendOnce(attempt);
    let offered: boolean;
    try {
      ({ offered } = await checkEligibility.executeWithOptions(
        spApiCall('Ask Amazon whether it offers the review request', 'getSolicitationActionsForOrder'),
        [attempt],
      ));
    } catch (error) {
      return afterFailure(error);
    }
    // Nothing is sent once the window has closed.
    if (!state.checked(offered, Date.now())) return undefined;
    if (state.dryRun) return finish('dry-run', NOT_SENT_DRY_RUN);
    let sent;
    try {
      sent = await solicit.executeWithOptions(
        spApiCall("Send Amazon's review request", 'createProductReviewAndSellerFeedbackSolicitation'),
        [attempt],
      );
    } catch (error) {
      return afterFailure(error);
    }
    state.solicited(solicitedAt(sent));
    return finish('solicited');
  }

  /**
   * One activity checks and, when Amazon offers the action, sends: a solicited order's check and send cost
   * one activity. It is paced by the check's fairness key; it makes at most one call of each operation per
   * attempt, so neither operation exceeds the key's rate.
   */
  async function checkAndSendOnce(attempt: OrderRef): Promise<ReviewSolicitationResult | undefined> {
    let result;
    try {
      result = await checkAndSend.executeWithOptions(
        spApiCall(
          state.dryRun
            ? 'Ask Amazon whether it offers the review request (dry run: never sent)'
            : "Ask Amazon whether it offers the review request, and send Amazon's review request if so",
          'getSolicitationActionsForOrder',
        ),
        [{ ...attempt, send: !state.dryRun }],
      );
    } catch (error) {
      return afterFailure(error);
    }
    const offered = state.checked(result.offered, Date.now());
    if (result.sent !== undefined) {
      state.solicited(solicitedAt(result.sent));
      return finish('solicited');
    }
    if (offered && state.dryRun) return finish('dry-run', NOT_SENT_DRY_RUN);
    return undefined;
  }

  /** The workflow's clock, as ever; for a send whose reply was lost, the time of that first attempt. */
  function solicitedAt(sent: Solicited | undefined): number {
    return sent?.replyLost === true ? Date.parse(sent.at) : Date.now();
  }

  function spApiCall(summary: string, operation: string): ActivityOptions {
    return {
      summary,
      taskQueue: spApiTaskQueue(workflowInfo().taskQueue),
      // The server paces each key to Amazon's allowance for one seller and operation (docs/spec.md, "SP-API pacing").
      priority: { fairnessKey: sellerFairnessKey(order.sellerId, operation) },
      // Retrying stops when the window closes, so no attempt reaches Amazon after it.
      scheduleToCloseTimeout: (state.checkAndSend ? state.lastCallAt : state.solicitBefore) - Date.now(),
    };
  }

  function afterFailure(error: unknown): ReviewSolicitationResult | undefined {
    if (isCancellation(error) || solicitation.consideredCancelled || !(error instanceof ActivityFailure)) throw error;
    const blocking = blockingCause(error);
    // Orders that met such a failure before this patch ended `failed`; their histories replay so.
    if (blocking !== undefined && patched(BLOCKED_ON_CREDENTIAL_REFUSAL_PATCH)) {
      state.block(blocking, Date.now());
      return undefined;
    }
    const verdict = state.afterFailure(error);
    return verdict && finish(verdict.outcome, verdict.reason);
  }

  /**
   * The next run goes on where this one stops, with a short history. This run's phase is taken off its
   * search attributes first, so that visibility counts the order once, as its new run.
   */
  async function continueBlockedAsNew(): Promise<never> {
    upsertSearchAttributes([{ key: searchAttributes.phase, value: null }]);
    return continueAsNew<typeof reviewSolicitation>(state.carryOver());
  }

  function requestCancel(why: string): void {
    if (state.requestCancel(why)) solicitation.cancel();
  }

  function finish(outcome: Outcome, why?: string): ReviewSolicitationResult {
    const result = state.finish(outcome, why);
    publish();
    countOutcome(outcome);
    return result;
  }

  function enter(next: Phase, nextCheck?: number): void {
    state.enter(next, nextCheck);
    publish();
  }

  /** Search attributes that changed and the Web UI's current details. */
  function publish(): void {
    const updates = state.searchAttributeChanges(!quietSearchAttributes);
    if (updates.length > 0) upsertSearchAttributes(updates);
    setCurrentDetails(currentDetails(state.status()));
  }
}

/**
 * Search attributes only where visibility needs them: none of those the start already set, no `checking`
 * phase. Each upsert is a billed action on Temporal Cloud and a history event.
 */
const QUIET_SEARCH_ATTRIBUTES_PATCH = 'quiet-search-attributes';

/** A refused credential or a seller missing from or paused in the sellers file holds the order `blocked`. */
const BLOCKED_ON_CREDENTIAL_REFUSAL_PATCH = 'blocked-on-credential-refusal';

/**
 * An order blocked for long (every hour it tries again: about 11 history events) continues as new once its
 * history passes this many events, so that a whole window spent blocked never nears Temporal's limits.
 */
const BLOCKED_RUN_HISTORY_EVENTS = 1_000;
const CONTINUE_BLOCKED_AS_NEW_PATCH = 'continue-blocked-as-new';

/** Input without an order or a computable window fails the workflow; visibility still shows the phase. */
function rejectInput(error: unknown): never {
  const message = invalidInputMessage(error);
  upsertSearchAttributes([{ key: searchAttributes.phase, value: 'failed' }]);
  setCurrentDetails(`Failed: ${message}`);
  countOutcome('failed');
  throw ApplicationFailure.nonRetryable(message, INVALID_INPUT_FAILURE_TYPE);
}

/** Workflow metrics are not emitted during replay: a worker that picks up an ended history counts nothing. */
function countOutcome(outcome: Outcome): void {
  metricMeter.createCounter(METRICS.outcomes.name, undefined, METRICS.outcomes.description).add(1, { outcome });
}
