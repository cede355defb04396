import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { FailureType, searchAttributes } from '../../../src/domain/contract';
import { BLOCKED_RETRY_INTERVAL_MS, blockedReason, blockingCause } from '../../../src/domain/blocked';
import { OrderState } from '../../../src/domain/order-state';
import { currentDetails } from '../../../src/domain/web-ui';
import { DEFAULT_WINDOW, orderInput } from '../../helpers/orders';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const input = orderInput({ amazonOrderId: '111-0000000-0000002' });
const { opens: OPENS, closes: CLOSES } = DEFAULT_WINDOW;
const REVOKED =
  "getSolicitationActionsForOrder: LWA refused seller A1SELLER's authorization of the app (its refresh token): " +
  'HTTP 400 invalid_grant. The seller must authorize the app again; orders waiting on it resume by themselves';

function failure(type: string, message = REVOKED): ActivityFailure {
  const cause = ApplicationFailure.nonRetryable(message, type);
  return new ActivityFailure('activity failed', 'checkEligibility', '1', RetryState.NON_RETRYABLE_FAILURE, 'w', cause);
}

/** An order whose first check, at the window's opening, met `cause`. */
function blockedAtOpening(cause = REVOKED): OrderState {
  const state = new OrderState(input);
  expect(state.next(OPENS)).toEqual({ action: 'check' });
  state.block(cause, OPENS + 1000);
  return state;
}

describe('failures that block an order', () => {
  it('are the credential refusals and the sellers file, never the order itself', () => {
    for (const type of [FailureType.CredentialRefused, FailureType.SellerNotConfigured, FailureType.SellerPaused]) {
      expect(blockingCause(failure(type))).toBe(REVOKED);
    }
    for (const type of [FailureType.Unauthorized, FailureType.InvalidInput, FailureType.AlreadySolicited]) {
      expect(blockingCause(failure(type))).toBeUndefined();
    }
    const plain = new ActivityFailure('x', 'checkEligibility', '1', RetryState.NON_RETRYABLE_FAILURE, 'w', undefined);
    expect(blockingCause(plain)).toBeUndefined();
  });

  it('say when the order tries again by itself and that an expedite tries at once', () => {
    expect(blockedReason('seller A1 is paused in SPAPI_SELLERS_FILE.', OPENS)).toBe(
      'seller A1 is paused in SPAPI_SELLERS_FILE. The order tries again by itself at 2024-05-08 00:00 UTC; ' +
        'an expedite tries at once',
    );
    expect(blockedReason('x', undefined)).toBe('x. No attempt is left before the window closes');
  });
});

describe('a blocked order', () => {
  it('waits blocked, in words, and tries again an hour after the failure, once an hour', () => {
    const state = blockedAtOpening();
    const retryAt = OPENS + 1000 + BLOCKED_RETRY_INTERVAL_MS;
    expect(BLOCKED_RETRY_INTERVAL_MS).toBe(HOUR);
    expect(state.next(OPENS + 2000)).toEqual({
      action: 'wait',
      phase: 'blocked',
      nextCheckAt: retryAt,
      wakeAt: retryAt,
      summary: 'Blocked until the next attempt',
      movesBefore: 0,
    });
    state.enter('blocked', retryAt);
    const status = state.status();
    expect(status).toMatchObject({ phase: 'blocked', nextCheckAt: new Date(retryAt).toISOString() });
    expect(status.reason).toBe(
      `${REVOKED}. The order tries again by itself at 2024-05-08 01:00 UTC; an expedite tries at once`,
    );
    expect(currentDetails(status)).toBe(`Blocked: ${status.reason}.`);
    expect(state.next(retryAt - 1)).toMatchObject({ action: 'wait', phase: 'blocked' });
    expect(state.next(retryAt)).toEqual({ action: 'check' });
    // Refused again: the next attempt is one more hour away.
    state.block(REVOKED, retryAt + 500);
    expect(state.next(retryAt + 1000)).toMatchObject({ action: 'wait', wakeAt: retryAt + 500 + HOUR });
  });

  it('tries at once on an expedite, as an expedite attempt', () => {
    const state = blockedAtOpening();
    expect(state.wakesEarly(0)).toBe(false);
    state.expedite();
    expect(state.wakesEarly(0)).toBe(true);
    expect(state.next(OPENS + 5000)).toEqual({ action: 'check', attempt: 'expedite' });
  });

  it('wakes on a window move and waits again for its hour', () => {
    const state = blockedAtOpening();
    expect(state.moveWindow({ orderStatus: 'Shipped', latestDeliveryDate: '2024-05-07T00:00:00Z' })).toBeUndefined();
    expect(state.wakesEarly(0)).toBe(true);
    expect(state.next(OPENS + 2000)).toMatchObject({ action: 'wait', phase: 'blocked', movesBefore: 1 });
  });

  it('goes back to its schedule once Amazon answers', () => {
    const state = blockedAtOpening();
    const after3Days = OPENS + 3 * DAY;
    // Regular checks fell due while it was blocked: this attempt is the regular one.
    expect(state.next(after3Days)).toEqual({ action: 'check' });
    expect(state.checked(false, after3Days + 1000)).toBe(false);
    expect(state.next(after3Days + 2000)).toMatchObject({
      action: 'wait',
      phase: 'waiting',
      nextCheckAt: OPENS + 4 * DAY,
      summary: 'Until the next eligibility check',
    });
    state.enter('waiting', OPENS + 4 * DAY);
    expect(state.status().reason).toBeUndefined();
  });

  it('goes back to its schedule after a failure that does not block it', () => {
    const state = blockedAtOpening();
    expect(state.afterFailure(failure(FailureType.OutsideWindow, 'outside'))).toBeUndefined();
    expect(state.next(OPENS + 2 * HOUR)).toMatchObject({ action: 'wait', phase: 'waiting', nextCheckAt: OPENS + DAY });
  });

  it('does not try before the window opens', () => {
    const state = new OrderState(input);
    state.expedite();
    expect(state.next(OPENS - DAY)).toEqual({ action: 'check', attempt: 'expedite' });
    state.block(REVOKED, OPENS - DAY);
    expect(state.next(OPENS - DAY + 1000)).toMatchObject({ action: 'wait', phase: 'blocked', wakeAt: OPENS });
  });

  it('ends expired with the blocking reason when the window closes first', () => {
    const state = new OrderState(input);
    state.next(CLOSES - 30 * 60_000);
    state.block(REVOKED, CLOSES - 30 * 60_000);
    expect(state.status().reason).toBe(`${REVOKED}. No attempt is left before the window closes`);
    expect(state.next(CLOSES - 20 * 60_000)).toMatchObject({
      action: 'wait',
      phase: 'blocked',
      nextCheckAt: undefined,
      wakeAt: CLOSES,
      summary: 'Until the window closes',
    });
    expect(state.next(CLOSES)).toEqual({
      action: 'expire',
      reason: `the window closed on 2024-06-05 00:00 UTC while the order was blocked: ${REVOKED}`,
    });
  });

  it('publishes the phase on entering and leaving blocked, and not while checking quietly', () => {
    const state = new OrderState(input);
    state.searchAttributeChanges(false);
    state.next(OPENS);
    state.enter('checking');
    expect(state.searchAttributeChanges(false)).toEqual([]);
    state.block(REVOKED, OPENS);
    state.enter('blocked', OPENS + HOUR);
    expect(state.searchAttributeChanges(false)).toEqual([{ key: searchAttributes.phase, value: 'blocked' }]);
    state.next(OPENS + HOUR);
    state.enter('checking');
    expect(state.searchAttributeChanges(false)).toEqual([]);
    state.checked(false, OPENS + HOUR);
    state.enter('waiting', OPENS + DAY);
    expect(state.searchAttributeChanges(false)).toEqual([{ key: searchAttributes.phase, value: 'waiting' }]);
  });
});

describe('a blocked order continued as new', () => {
  it('hands its next run the moved window, its checks and its block, and that run goes on the same way', () => {
    const state = new OrderState(input);
    expect(state.next(OPENS)).toEqual({ action: 'check' });
    expect(state.checked(false, OPENS + 1000)).toBe(false);
    const moved = { earliestDeliveryDate: '2024-05-04T00:00:00.000Z', latestDeliveryDate: '2024-05-06T00:00:00.000Z' };
    expect(state.moveWindow({ orderStatus: 'Shipped', ...moved })).toBeUndefined();
    const failedAt = OPENS + 5 * DAY;
    expect(state.next(failedAt).action).toBe('check');
    state.block(REVOKED, failedAt);

    const next = state.carryOver();
    expect(next).toEqual({
      ...input,
      ...moved,
      carriedOver: {
        checks: 1,
        lastRegularCheckAt: new Date(failedAt).toISOString(),
        lastChangeAt: input.shippedAt,
        firstDecisionAt: new Date(OPENS).toISOString(),
        blocked: { cause: REVOKED, at: new Date(failedAt).toISOString() },
      },
    });
    const resumed = new OrderState(next);
    const now = failedAt + 10 * 60_000;
    // The count of window moves is the run's own: it only tells a wait of that run to end early.
    expect(resumed.next(now)).toEqual({ ...state.next(now), movesBefore: 0 });
    expect(resumed.status()).toEqual({ ...state.status(), phase: 'blocked', nextCheckAt: undefined });
    expect(resumed.expiredReason()).toBe(state.expiredReason());
  });

  it('is refused for an order that is not blocked', () => {
    expect(() => new OrderState(input).carryOver()).toThrow('only a blocked order continues as new');
  });
});
