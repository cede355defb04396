import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { FailureType, searchAttributes, type SolicitationPolicy } from '../../../src/domain/contract';
import { OrderState, cancelReasonOf, invalidInputMessage } from '../../../src/domain/order-state';
import { InvalidOrderInputError } from '../../../src/domain/window';
import { DEFAULT_WINDOW, orderInput } from '../../helpers/orders';

const DAY = 24 * 3600_000;
const input = orderInput({ amazonOrderId: '111-0000000-0000001' });
const { opens: OPENS, closes: CLOSES } = DEFAULT_WINDOW;

/** An ORDER_CHANGE update of a Shipped order: its latest delivery date, as of `changedAt`. */
function shippedUpdate(latestDeliveryDate: string, changedAt: string) {
  return { orderStatus: 'Shipped', latestDeliveryDate, changedAt };
}

function activityFailure(
  cause: Error | undefined,
  retryState: RetryState = RetryState.NON_RETRYABLE_FAILURE,
): ActivityFailure {
  return new ActivityFailure('activity failed', 'checkEligibility', '1', retryState, 'worker', cause);
}

describe('OrderState', () => {
  it('rejects input without an order or a window', () => {
    expect(() => new OrderState({ ...input, sellerId: ' ' })).toThrow(InvalidOrderInputError);
    expect(() => new OrderState({ ...input, shippedAt: 'yesterday' })).toThrow(/shippedAt/);
    expect(invalidInputMessage(new Error('x'))).toBe('invalid input: x');
  });

  it('waits for the window, checks when it opens, then on the regular schedule', () => {
    const state = new OrderState(input);
    expect(state.next(OPENS - DAY)).toEqual({
      action: 'wait',
      phase: 'waiting',
      nextCheckAt: OPENS,
      wakeAt: OPENS,
      summary: "Until Amazon's window opens",
      movesBefore: 0,
    });
    expect(state.next(OPENS + 1000)).toEqual({ action: 'check' });
    expect(state.checked(false, OPENS + 2000)).toBe(false);
    expect(state.next(OPENS + 3000)).toMatchObject({
      action: 'wait',
      nextCheckAt: OPENS + DAY,
      summary: 'Until the next eligibility check',
    });
  });

  it('wakes early on an expedite request and keeps the regular schedule', () => {
    const state = new OrderState(input);
    state.expedite();
    expect(state.wakesEarly(0)).toBe(true);
    // The attempt says it is an operator's, so that the worker makes it even while it holds the credential as refused.
    expect(state.next(OPENS - DAY)).toEqual({ action: 'check', attempt: 'expedite' });
    expect(state.next(OPENS - DAY)).toMatchObject({ action: 'wait', nextCheckAt: OPENS });
  });

  it('moves the window on new delivery dates and ignores dates that make none', () => {
    const state = new OrderState(input);
    expect(state.moveWindow({ orderStatus: 'Shipped', latestDeliveryDate: '2024-05-10T00:00:00Z' })).toBeUndefined();
    expect(state.wakesEarly(0)).toBe(true);
    expect(state.status().solicitBefore).toBe('2024-06-09T00:00:00.000Z');
    expect(state.moveWindow({ orderStatus: 'Shipped', latestDeliveryDate: '2024-05-10T00:00:00Z' })).toBeUndefined();
    expect(state.wakesEarly(1)).toBe(false);
    expect(state.moveWindow({ orderStatus: 'Shipped', earliestDeliveryDate: 'soon' })).toMatch(
      /InvalidOrderInputError: earliestDeliveryDate/,
    );
  });

  it('takes the first cancel request only, and none after the order ended', () => {
    const state = new OrderState(input);
    expect(cancelReasonOf({ reason: '  ' })).toBe('cancelled by an operator');
    expect(cancelReasonOf({ reason: ' duplicate ' })).toBe('duplicate');
    expect(state.requestCancel('first')).toBe(true);
    expect(state.requestCancel('second')).toBe(false);
    expect(state.cancelledReason()).toBe('first');
    const ended = new OrderState(input);
    ended.finish('solicited');
    expect(ended.requestCancel('late')).toBe(false);
    expect(ended.cancelledReason()).toBe('cancelled in Temporal');
  });

  it('maps SP-API failures to outcomes', () => {
    const state = new OrderState(input);
    const already = ApplicationFailure.nonRetryable('not available', FailureType.AlreadySolicited);
    expect(state.afterFailure(activityFailure(already))).toEqual({
      outcome: 'already-solicited',
      reason: 'not available',
    });
    const outside = ApplicationFailure.nonRetryable('outside', FailureType.OutsideWindow);
    expect(state.afterFailure(activityFailure(outside))).toBeUndefined();
    const denied = ApplicationFailure.nonRetryable('denied', FailureType.Unauthorized);
    expect(state.afterFailure(activityFailure(denied))).toEqual({ outcome: 'failed', reason: 'denied' });
    expect(state.afterFailure(activityFailure(undefined))).toEqual({ outcome: 'failed', reason: 'activity failed' });
  });

  it('explains an expiry by the API failures that ran out the window, or by the checks made', () => {
    const timedOut = new OrderState(input);
    const last = ApplicationFailure.retryable('503 Service Unavailable', FailureType.Transient);
    const timeout = new TimeoutFailure('timeout', undefined, TimeoutType.SCHEDULE_TO_CLOSE);
    Object.assign(timeout, { cause: last });
    expect(timedOut.afterFailure(activityFailure(timeout, RetryState.TIMEOUT))).toBeUndefined();
    expect(timedOut.next(CLOSES)).toEqual({
      action: 'expire',
      reason: "the window closed on 2024-06-05 00:00 UTC while Amazon's API kept failing: 503 Service Unavailable",
    });
    const checkedOnce = new OrderState(input);
    checkedOnce.checked(false, OPENS);
    expect(checkedOnce.expiredReason()).toBe(
      'the window closed on 2024-06-05 00:00 UTC; Amazon did not offer the review request in 1 check',
    );
    expect(new OrderState(input).expiredReason()).toMatch(/before any eligibility check$/);
  });

  it('does not send once the window has closed', () => {
    expect(new OrderState(input).checked(true, CLOSES)).toBe(false);
    expect(new OrderState(input).checked(true, CLOSES - 1)).toBe(true);
  });

  it('reports status and publishes only changed search attributes', () => {
    const state = new OrderState(input);
    expect(state.searchAttributeChanges().map(({ key }) => key.name)).toEqual([
      searchAttributes.marketplaceId.name,
      searchAttributes.sellerId.name,
      searchAttributes.phase.name,
      searchAttributes.solicitAfter.name,
      searchAttributes.solicitBefore.name,
    ]);
    state.enter('checking');
    expect(state.searchAttributeChanges()).toEqual([{ key: searchAttributes.phase, value: 'checking' }]);
    expect(state.searchAttributeChanges()).toEqual([]);
    state.solicited(OPENS);
    expect(state.finish('solicited')).toEqual({
      amazonOrderId: input.amazonOrderId,
      outcome: 'solicited',
      checks: 0,
      solicitedAt: '2024-05-08T00:00:00.000Z',
      reason: undefined,
    });
    expect(state.status()).toMatchObject({ phase: 'solicited', windowEstimated: false, nextCheckAt: undefined });
  });
});

describe('OrderState with the policy of new orders (spread, back-off, check and send)', () => {
  const HOUR = 3600_000;
  const policy: SolicitationPolicy = {
    ...input.policy,
    checkSchedule: 'window-aware',
    maxRecheckGap: '7 days',
    spread: '1 hour',
    checkAndSend: true,
  };
  const order = (id: string) => orderInput({ amazonOrderId: id, policy });
  const offsetOf = (id: string) => {
    const state = new OrderState(order(id));
    const step = state.next(OPENS - DAY);
    return step.action === 'wait' ? (step.nextCheckAt ?? Number.NaN) - OPENS : Number.NaN;
  };

  it('shifts the first check by a stable offset under an hour, different for other orders', () => {
    const offsets = ['111-0000000-0000001', '111-0000000-0000002', '111-0000000-0000003'].map(offsetOf);
    for (const offset of offsets) {
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(HOUR);
    }
    expect(new Set(offsets).size).toBe(3);
    expect(offsetOf('111-0000000-0000001')).toBe(offsets[0]);
  });

  it('shifts the re-checks by the same offset', () => {
    const id = '111-0000000-0000004';
    const offset = offsetOf(id);
    const state = new OrderState(order(id));
    state.next(OPENS - DAY);
    expect(state.next(OPENS + offset)).toEqual({ action: 'check' });
    state.checked(false, OPENS + offset);
    const surelyOpen = Date.parse('2024-05-11T00:00:00Z');
    expect(state.next(OPENS + offset + 1000)).toMatchObject({ action: 'wait', nextCheckAt: surelyOpen + offset });
    expect(state.status().solicitAfter).toBe(new Date(OPENS).toISOString());
  });

  it('checks at once an order whose window is already open when it starts, and an expedite is never delayed', () => {
    const state = new OrderState(order('111-0000000-0000005'));
    expect(state.next(OPENS + 2 * DAY)).toEqual({ action: 'check' });
    const later = new OrderState(order('111-0000000-0000006'));
    later.next(OPENS - DAY);
    later.expedite();
    expect(later.next(OPENS - DAY + 1)).toEqual({ action: 'check', attempt: 'expedite' });
  });

  it('makes no call in the last 30 seconds of the window', () => {
    const state = new OrderState(order('111-0000000-0000007'));
    expect(state.lastCallAt).toBe(CLOSES - 30_000);
    state.next(OPENS + DAY);
    expect(state.next(CLOSES - 30_000 + 1)).toMatchObject({ action: 'expire' });
    expect(state.checked(true, CLOSES - 29_000)).toBe(false);
  });

  it('keeps the last millisecond of the window for orders started without checkAndSend', () => {
    expect(new OrderState(input).lastCallAt).toBe(CLOSES - 1);
  });

  it('ends expired when the activity found no time left to call', () => {
    const state = new OrderState(order('111-0000000-0000008'));
    const closing = ApplicationFailure.create({
      type: FailureType.WindowClosing,
      message: 'no time',
      nonRetryable: true,
    });
    expect(state.afterFailure(activityFailure(closing))).toMatchObject({ outcome: 'expired' });
  });

  it('ignores an update older than the last one applied, and applies one without a time', () => {
    const state = new OrderState(order('111-0000000-0000009'));
    const later = shippedUpdate('2024-05-10T00:00:00Z', '2024-05-02T00:00:00Z');
    expect(state.moveWindow(later)).toBeUndefined();
    const movedBefore = state.status().solicitBefore;
    const older = shippedUpdate('2024-05-06T00:00:00Z', '2024-05-01T12:00:00Z');
    expect(state.moveWindow(older)).toMatch(/older than the last update applied/);
    expect(state.status().solicitBefore).toBe(movedBefore);
    expect(state.moveWindow({ orderStatus: 'Shipped', latestDeliveryDate: '2024-05-06T00:00:00Z' })).toBeUndefined();
    expect(state.status().solicitBefore).toBe(new Date(CLOSES).toISOString());
  });

  it('ignores an update older than the ship time the order started with', () => {
    const state = new OrderState(order('111-0000000-0000010'));
    const stale = shippedUpdate('2024-05-20T00:00:00Z', '2024-04-30T00:00:00Z');
    expect(state.moveWindow(stale)).toMatch(/older/);
  });
});
