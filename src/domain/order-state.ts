/**
 * One order's solicitation as a state machine, without Temporal: what the workflow knows about the order,
 * how signals change it, what to do next at a given instant and how a failed SP-API call ends the order.
 * The workflow (src/workflows/review-solicitation.ts) owns the loop, the timers and the activity calls and
 * asks this class every decision, so each decision is unit-tested without a server.
 */
import {
  type ActivityFailure,
  ApplicationFailure,
  RetryState,
  TimeoutFailure,
  type SearchAttributeUpdatePair,
  type TypedSearchAttributes,
} from '@temporalio/common';
import {
  FailureType,
  LAST_CALL_MARGIN_MS,
  PHASES,
  TERMINAL_PHASES,
  searchAttributes,
  type CancelSignal,
  type OrderRef,
  type OrderUpdatedSignal,
  type Outcome,
  type Phase,
  type ReviewSolicitationInput,
  type ReviewSolicitationResult,
  type SolicitationStatus,
} from './contract';
import { checkTimeWithinSendHours } from './check-time';
import { formatInstant } from './web-ui';
import { nextCheckAt } from './check-schedule';
import { spreadCheckAt, spreadOffsetMs } from './spread';
import { BLOCKED_RETRY_INTERVAL_MS, blockedReason } from './blocked';
import {
  InvalidOrderInputError,
  parseInstant,
  policyDurationMs,
  recheckIntervalMs,
  solicitationWindow,
  type OrderDates,
  type SolicitationWindow,
} from './window';

/**
 * What the workflow does next: end as expired, wait in `phase` (until `wakeAt` at the latest), or check
 * now; an operator's expedite makes the check an `expedite` attempt, which the worker lets through even
 * while it holds the credential as refused.
 */
export type Step =
  | { action: 'expire'; reason: string }
  | {
      action: 'wait';
      phase: 'waiting' | 'blocked';
      nextCheckAt: number | undefined;
      wakeAt: number;
      summary: string;
      movesBefore: number;
    }
  | { action: 'check'; attempt?: 'expedite' };

/** How a failed SP-API call ends the order, or undefined to keep checking on schedule. */
export type Verdict = { outcome: Outcome; reason: string } | undefined;

export const CANCELLED_BY_OPERATOR = 'cancelled by an operator';
export const CANCELLED_BY_AMAZON = 'Amazon reports the order as Canceled';
export const CANCELLED_IN_TEMPORAL = 'cancelled in Temporal';
export const NOT_SENT_DRY_RUN = 'Amazon offered the request; not sent: dry run';

export class OrderState {
  readonly order: OrderRef;
  private dates: OrderDates;
  private window: SolicitationWindow;
  private phase: Phase = 'waiting';
  private checks = 0;
  private nextCheckAt: number | undefined;
  private solicitedAt: number | undefined;
  private reason: string | undefined;
  private lastRegularCheckAt: number | undefined;
  private lastApiFailure: string | undefined;
  private expediteRequested = false;
  private windowMoves = 0;
  private cancelReason: string | undefined;
  /** The time of change of the last notification applied: an older `orderUpdated` is ignored. */
  private lastChangeAt: number;
  /** When the workflow first decided: a window already open then is checked at once, unshifted. */
  private firstDecisionAt: number | undefined;
  private readonly spreadOffset: number;
  /** Why the order is `blocked`, and when the failure that blocked it came. */
  private blocked: { cause: string; at: number } | undefined;
  private published: { identity?: boolean; phase?: Phase; solicitAfter?: number; solicitBefore?: number } = {};

  /** Throws `InvalidOrderInputError` for input without an order or a computable window. */
  constructor(private readonly input: ReviewSolicitationInput) {
    const { amazonOrderId, marketplaceId, sellerId, policy } = input;
    for (const field of ['amazonOrderId', 'marketplaceId', 'sellerId'] as const) requireText(input[field], field);
    this.order = { amazonOrderId, marketplaceId, sellerId };
    this.dates = {
      shippedAt: input.shippedAt,
      earliestDeliveryDate: input.earliestDeliveryDate,
      latestDeliveryDate: input.latestDeliveryDate,
    };
    this.window = solicitationWindow(this.dates, policy);
    // A start's dates come from a notification whose time of change is the ship time (or later).
    this.lastChangeAt = parseInstant(input.shippedAt, 'shippedAt');
    // Validated here so that input with an unusable interval fails at once, not at its first re-check.
    recheckIntervalMs(policy);
    if (policy.maxRecheckGap !== undefined) policyDurationMs(policy, 'maxRecheckGap', true);
    this.spreadOffset =
      policy.spread === undefined ? 0 : spreadOffsetMs(amazonOrderId, policyDurationMs(policy, 'spread'));
    const carried = input.carriedOver;
    if (carried !== undefined) {
      this.checks = carried.checks;
      this.lastRegularCheckAt = optionalInstant(carried.lastRegularCheckAt);
      if (carried.lastChangeAt !== undefined) this.lastChangeAt = Date.parse(carried.lastChangeAt);
      this.firstDecisionAt = optionalInstant(carried.firstDecisionAt);
      this.phase = 'blocked';
      this.block(carried.blocked.cause, Date.parse(carried.blocked.at));
    }
  }

  /**
   * The input of the next run, for an order blocked so long that its history should start afresh: the same
   * order and policy, the window's current dates, and what the checks and the block have told so far.
   */
  carryOver(): ReviewSolicitationInput {
    if (this.blocked === undefined) throw new Error('only a blocked order continues as new');
    return {
      ...this.input,
      earliestDeliveryDate: this.dates.earliestDeliveryDate,
      latestDeliveryDate: this.dates.latestDeliveryDate,
      carriedOver: {
        checks: this.checks,
        lastRegularCheckAt: optionalIso(this.lastRegularCheckAt),
        lastChangeAt: new Date(this.lastChangeAt).toISOString(),
        firstDecisionAt: optionalIso(this.firstDecisionAt),
        blocked: { cause: this.blocked.cause, at: new Date(this.blocked.at).toISOString() },
      },
    };
  }

  get solicitBefore(): number {
    return this.window.solicitBefore;
  }

  /**
   * The last instant a Solicitations call may begin: 30 seconds before the window closes for orders started
   * with `checkAndSend`, the last millisecond of the window for older ones (so that their histories replay).
   */
  get lastCallAt(): number {
    return this.window.solicitBefore - (this.checkAndSend ? LAST_CALL_MARGIN_MS : 1);
  }

  /** One activity checks and sends (policy `checkAndSend`); absent in older inputs: two activities. */
  get checkAndSend(): boolean {
    return this.input.policy.checkAndSend === true;
  }

  /** True when the caller should cancel the work in flight: the first request while the order is open. */
  requestCancel(why: string): boolean {
    if (this.cancelReason !== undefined || isTerminal(this.phase)) return false;
    this.cancelReason = why;
    return true;
  }

  /** Why an order that Temporal cancelled ended: the reason a signal gave, if one came first. */
  cancelledReason(): string {
    return this.cancelReason ?? CANCELLED_IN_TEMPORAL;
  }

  expedite(): void {
    this.expediteRequested = true;
  }

  /**
   * Applies new delivery dates; the window moves if they give another one. Returns why the update was
   * ignored when its dates make no window or when it is older than the last notification applied.
   */
  moveWindow(update: OrderUpdatedSignal | undefined): string | undefined {
    if (isTerminal(this.phase)) return undefined;
    let changedAt: number | undefined;
    if (update?.changedAt !== undefined) {
      try {
        changedAt = parseInstant(update.changedAt, 'changedAt');
      } catch (error) {
        return String(error);
      }
      if (changedAt < this.lastChangeAt) {
        return `changedAt ${update.changedAt} is older than the last update applied (${formatInstant(this.lastChangeAt)})`;
      }
    }
    const moved: OrderDates = {
      ...this.dates,
      ...(update?.earliestDeliveryDate !== undefined && { earliestDeliveryDate: update.earliestDeliveryDate }),
      ...(update?.latestDeliveryDate !== undefined && { latestDeliveryDate: update.latestDeliveryDate }),
    };
    let next: SolicitationWindow;
    try {
      next = solicitationWindow(moved, this.input.policy);
    } catch (error) {
      return String(error);
    }
    this.dates = moved;
    if (changedAt !== undefined) this.lastChangeAt = changedAt;
    if (
      next.solicitAfter !== this.window.solicitAfter ||
      next.solicitBefore !== this.window.solicitBefore ||
      next.estimated !== this.window.estimated
    ) {
      this.window = next;
      this.windowMoves += 1;
    }
    return undefined;
  }

  /**
   * What to do at `now`. Choosing to check counts a regular check when one is due (an expedited one is
   * extra). A blocked order's next attempt comes an hour after the failure that blocked it, whatever its
   * schedule; an attempt that succeeds puts it back on the schedule.
   */
  next(now: number): Step {
    const window = this.window;
    this.firstDecisionAt ??= now;
    if (now > this.lastCallAt) return { action: 'expire', reason: this.expiredReason() };
    const due = this.regularCheckAt();
    const attemptAt = this.blocked === undefined ? due : this.blockedAttemptAt(this.blocked.at);
    if (now < attemptAt && !this.expediteRequested) {
      const checkFits = attemptAt <= this.lastCallAt;
      const summary = !checkFits
        ? 'Until the window closes'
        : this.blocked !== undefined
          ? 'Blocked until the next attempt'
          : due === window.solicitAfter
            ? "Until Amazon's window opens"
            : 'Until the next eligibility check';
      return {
        action: 'wait',
        phase: this.blocked === undefined ? 'waiting' : 'blocked',
        nextCheckAt: checkFits ? attemptAt : undefined,
        wakeAt: checkFits ? attemptAt : window.solicitBefore,
        summary,
        movesBefore: this.windowMoves,
      };
    }
    // An expedited check is an extra one: it leaves the regular schedule where it was.
    if (now >= due) this.lastRegularCheckAt = now;
    const expedited = this.expediteRequested;
    this.expediteRequested = false;
    return expedited ? { action: 'check', attempt: 'expedite' } : { action: 'check' };
  }

  /**
   * A failure outside the order (src/domain/blocked.ts) holds it `blocked` with `cause` in its reason,
   * until an attempt succeeds or the window closes.
   */
  block(cause: string, now: number): void {
    this.blocked = { cause, at: now };
    const attemptAt = this.blockedAttemptAt(now);
    this.reason = blockedReason(cause, attemptAt < this.window.solicitBefore ? attemptAt : undefined);
  }

  /**
   * The schedule's next check, inside the send hours, shifted by the order's spread offset: the first check
   * of a window already open when the workflow started runs at once.
   */
  private regularCheckAt(): number {
    const at = this.withinSendHours(
      nextCheckAt(this.window, this.input.policy, this.lastRegularCheckAt),
      this.lastRegularCheckAt,
    );
    const openAtStart =
      this.lastRegularCheckAt === undefined && this.firstDecisionAt !== undefined && at <= this.firstDecisionAt;
    return openAtStart ? at : this.spread(at);
  }

  /** An hour after the failure, never before the window opens, inside the send hours. */
  private blockedAttemptAt(failedAt: number): number {
    return this.withinSendHours(Math.max(failedAt + BLOCKED_RETRY_INTERVAL_MS, this.window.solicitAfter), failedAt);
  }

  private withinSendHours(due: number, lastCheckAt: number | undefined): number {
    return checkTimeWithinSendHours(
      { due, lastCheckAt, solicitBefore: this.window.solicitBefore },
      this.input.policy,
      this.order.marketplaceId,
    );
  }

  /**
   * A scheduled check shifted by the order's offset; one that the shift would move out of the send hours
   * (hours shorter than the spread) keeps its unshifted time.
   */
  private spread(at: number): number {
    if (this.spreadOffset === 0) return at;
    const shifted = spreadCheckAt(at, this.spreadOffset, this.lastCallAt);
    return this.withinSendHours(shifted, this.lastRegularCheckAt) === shifted ? shifted : at;
  }

  /** Amazon answered: whatever held the order no longer does. */
  private unblock(): void {
    if (this.blocked === undefined) return;
    this.blocked = undefined;
    this.reason = undefined;
  }

  /** A wait started with `movesBefore` ends early on an expedite request or a move of the window. */
  wakesEarly(movesBefore: number): boolean {
    return this.expediteRequested || this.windowMoves !== movesBefore;
  }

  /** After Amazon answered a check: whether to send now. The window may have moved while the check ran. */
  checked(offered: boolean, now: number): boolean {
    this.checks += 1;
    this.unblock();
    return offered && now <= this.lastCallAt;
  }

  /** A dry-run order (policy `dryRun`) ends where it would send. Absent in older inputs: they send. */
  get dryRun(): boolean {
    return this.input.policy.dryRun === true;
  }

  solicited(now: number): void {
    this.solicitedAt = now;
  }

  /** Maps an SP-API activity's failure to the order's outcome, classified by the activities' failure types. */
  afterFailure(error: ActivityFailure): Verdict {
    const cause = error.cause;
    this.unblock();
    if (error.retryState === RetryState.TIMEOUT) {
      // Retrying stopped at the end of the window: the loop ends as expired, unless the window moved.
      this.lastApiFailure =
        (cause instanceof TimeoutFailure ? (cause.cause ?? cause) : cause)?.message ?? error.message;
      return undefined;
    }
    if (!(cause instanceof ApplicationFailure)) return { outcome: 'failed', reason: cause?.message ?? error.message };
    switch (cause.type) {
      case FailureType.AlreadySolicited:
        return { outcome: 'already-solicited', reason: cause.message };
      case FailureType.WindowClosing:
        // The activity found too little of the window left to begin a call: no check or send can come now.
        return { outcome: 'expired', reason: this.expiredReason() };
      case FailureType.OutsideWindow:
        // Amazon's view of its window decides: like an action not offered, check again on schedule.
        return undefined;
      default:
        return { outcome: 'failed', reason: cause.message };
    }
  }

  expiredReason(): string {
    const closed = `the window closed on ${formatInstant(this.window.solicitBefore)}`;
    const checks = this.checks;
    if (this.blocked !== undefined) return `${closed} while the order was blocked: ${this.blocked.cause}`;
    if (this.lastApiFailure !== undefined) return `${closed} while Amazon's API kept failing: ${this.lastApiFailure}`;
    if (checks === 0) return `${closed} before any eligibility check`;
    return `${closed}; Amazon did not offer the review request in ${checks} ${checks === 1 ? 'check' : 'checks'}`;
  }

  enter(next: Phase, nextCheck?: number): void {
    this.phase = next;
    this.nextCheckAt = nextCheck;
  }

  finish(outcome: Outcome, why?: string): ReviewSolicitationResult {
    this.reason = why;
    this.enter(outcome);
    const { amazonOrderId } = this.order;
    return { amazonOrderId, outcome, checks: this.checks, solicitedAt: optionalIso(this.solicitedAt), reason: why };
  }

  status(): SolicitationStatus {
    return {
      amazonOrderId: this.order.amazonOrderId,
      phase: this.phase,
      solicitAfter: new Date(this.window.solicitAfter).toISOString(),
      solicitBefore: new Date(this.window.solicitBefore).toISOString(),
      windowEstimated: this.window.estimated,
      checks: this.checks,
      nextCheckAt: optionalIso(this.nextCheckAt),
      solicitedAt: optionalIso(this.solicitedAt),
      reason: this.reason,
    };
  }

  /** Search attributes the workflow was started with count as published: upserting them again costs an action. */
  startedWith(attributes: TypedSearchAttributes): void {
    const phase = attributes.get(searchAttributes.phase);
    this.published = {
      identity:
        attributes.get(searchAttributes.marketplaceId) === this.order.marketplaceId &&
        attributes.get(searchAttributes.sellerId) === this.order.sellerId,
      phase: (PHASES as readonly string[]).includes(phase ?? '') ? (phase as Phase) : undefined,
      solicitAfter: attributes.get(searchAttributes.solicitAfter)?.getTime(),
      solicitBefore: attributes.get(searchAttributes.solicitBefore)?.getTime(),
    };
  }

  /**
   * Search attributes that changed since the last call (each upsert is a history event and a billed action).
   * Without `checkingVisible`, a check in progress leaves the published phase as it was: it lasts seconds
   * and nobody filters on it (the `status` query and the current details still say `checking`).
   */
  searchAttributeChanges(checkingVisible = true): SearchAttributeUpdatePair[] {
    const { window, published } = this;
    const phase = this.phase === 'checking' && !checkingVisible ? (published.phase ?? this.phase) : this.phase;
    const updates: SearchAttributeUpdatePair[] = [];
    if (!published.identity) {
      updates.push({ key: searchAttributes.marketplaceId, value: this.order.marketplaceId });
      updates.push({ key: searchAttributes.sellerId, value: this.order.sellerId });
    }
    if (phase !== published.phase) updates.push({ key: searchAttributes.phase, value: phase });
    if (window.solicitAfter !== published.solicitAfter) {
      updates.push({ key: searchAttributes.solicitAfter, value: new Date(window.solicitAfter) });
    }
    if (window.solicitBefore !== published.solicitBefore) {
      updates.push({ key: searchAttributes.solicitBefore, value: new Date(window.solicitBefore) });
    }
    this.published = { identity: true, phase, solicitAfter: window.solicitAfter, solicitBefore: window.solicitBefore };
    return updates;
  }
}

/** The reason a `cancel` signal gives, or the default one. */
export function cancelReasonOf(signal: CancelSignal | undefined): string {
  const given = typeof signal?.reason === 'string' ? signal.reason.trim() : '';
  return given === '' ? CANCELLED_BY_OPERATOR : given;
}

/** The failure message of input the workflow rejects. */
export function invalidInputMessage(error: unknown): string {
  return `invalid input: ${error instanceof Error ? error.message : String(error)}`;
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOrderInputError(`${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
}

function isTerminal(phase: Phase): boolean {
  return (TERMINAL_PHASES as readonly Phase[]).includes(phase);
}

function optionalInstant(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso);
}

function optionalIso(instant: number | undefined): string | undefined {
  return instant === undefined ? undefined : new Date(instant).toISOString();
}
