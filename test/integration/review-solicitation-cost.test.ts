import { policyFromEnv } from '../../src/config/policy';
import { FINAL_CHECK_BEFORE_CLOSE_MS } from '../../src/domain/check-schedule';
import {
  orderUpdatedSignal,
  searchAttributes,
  statusQuery,
  type ReviewSolicitationInput,
} from '../../src/domain/contract';
import { spreadOffsetMs } from '../../src/domain/spread';
import { startOrder } from '../../src/orders/start';
import { SpApiError } from '../../src/spapi/errors';
import type { reviewSolicitation } from '../../src/workflows';
import { temporalActions } from '../../bench/temporal-actions';
import { DAY, HOUR, OFFERED, expectAt, recordHistory, startHarness } from '../helpers/solicitation-harness';
import { backingOffChecks } from '../helpers/backing-off';
import { forTheFile } from '../helpers/for-the-file';
import { iso, mfnOrder } from '../helpers/orders';

/** What `solicit ingest` starts new orders with when no SOLICIT_* variable is set. */
const NEW_ORDERS = policyFromEnv({});

const h = forTheFile(startHarness);

/** Started through the product's start path, with the policy of new orders. */
async function startNew(input: ReviewSolicitationInput) {
  const order = { ...input, policy: NEW_ORDERS };
  expect(await startOrder(h.env.client, h.taskQueue, order)).toBe('started');
  return {
    order,
    handle: h.env.client.workflow.getHandle<typeof reviewSolicitation>(order.amazonOrderId),
    offset: spreadOffsetMs(order.amazonOrderId, HOUR),
  };
}

function activityTypes(
  events: { activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null }[],
) {
  return events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

describe('the cost of an order under the policy of new orders', () => {
  it('checks at its spread offset after the opening and solicits in one activity: four actions', async () => {
    const t0 = await h.now();
    const { order, handle, offset } = await startNew(mfnOrder(t0 - HOUR, t0 + 2 * DAY, t0 + 2 * DAY));
    const solicitAfter = t0 + 7 * DAY;
    expect(await handle.query(statusQuery)).toMatchObject({
      solicitAfter: iso(solicitAfter),
      nextCheckAt: iso(solicitAfter + offset),
    });

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 1 });
    expectAt(result.solicitedAt, solicitAfter + offset);
    const calls = h.fake.callsFor(order.amazonOrderId);
    expect(calls.map((c) => [c.operation, c.attempt])).toEqual([
      ['check', 1],
      ['solicit', 1],
    ]);
    expectAt(calls[0]?.at, solicitAfter + offset);

    const events = (await handle.fetchHistory()).events ?? [];
    expect(activityTypes(events)).toEqual(['checkAndSolicit']);
    // Start, the timer to the check, the activity, the outcome's upsert: no patch marker, no signal.
    expect(temporalActions(events)).toBe(4);
    expect(events.filter((e) => e.markerRecordedEventAttributes)).toHaveLength(0);
    expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('solicited');
    await recordHistory(handle, 'solicited-check-and-send');
  });

  it('checks an order whose window is already open at once, unshifted', async () => {
    const t0 = await h.now();
    const { order, handle } = await startNew(mfnOrder(t0 - 9 * DAY, t0 - 8 * DAY, t0 - 7 * DAY));
    expect(await handle.result()).toMatchObject({ outcome: 'solicited', checks: 1 });
    expectAt(h.fake.callsFor(order.amazonOrderId, 'check')[0]?.at, t0);
  });

  it('backs off once the window is surely open and checks a last time on its final day', async () => {
    const t0 = await h.now();
    const { order, handle, offset } = await startNew(mfnOrder(t0 - HOUR, t0 + 2 * DAY, t0 + 4 * DAY));
    h.fake.script(order.amazonOrderId, { check: () => [] });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'expired', checks: 8 });

    const surelyOpen = t0 + 9 * DAY;
    const solicitBefore = t0 + 34 * DAY;
    const expected = [t0 + 7 * DAY, ...backingOffChecks(surelyOpen), solicitBefore - FINAL_CHECK_BEFORE_CLOSE_MS];
    const checks = h.fake.callsFor(order.amazonOrderId, 'check');
    expect(checks).toHaveLength(expected.length);
    expected.forEach((at, k) => expectAt(checks[k]?.at, at + offset));
    expect(h.fake.callsFor(order.amazonOrderId, 'solicit')).toHaveLength(0);
    await recordHistory(handle, 'expired-backing-off');
  });

  it('ends solicited, at its first attempt, when Amazon refuses as "not available" a send whose reply was lost', async () => {
    const t0 = await h.now();
    const { order, handle } = await startNew(mfnOrder(t0 - 9 * DAY, t0 - 8 * DAY, t0 - 7 * DAY));
    let firstAttemptAt = 0;
    h.fake.script(order.amazonOrderId, {
      solicit: (call) => {
        if (call === 1) {
          // Amazon accepted the send; its answer never reached the worker.
          firstAttemptAt = Date.now();
          throw new Error('socket hang up');
        }
        throw new SpApiError(
          'already-solicited',
          'createProductReviewAndSellerFeedbackSolicitation',
          'The requested solicitation is not available for this amazonOrderId.',
          { status: 403 },
        );
      },
    });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 1 });
    // The activity's clock (the host's) read just before the first POST.
    expect(Date.parse(result.solicitedAt ?? '')).toBeLessThanOrEqual(firstAttemptAt);
    expect(firstAttemptAt - Date.parse(result.solicitedAt ?? '')).toBeLessThan(5_000);
    // The retry never asked Amazon again whether it offers the request.
    expect(h.fake.callsFor(order.amazonOrderId).map((c) => [c.operation, c.attempt])).toEqual([
      ['check', 1],
      ['solicit', 1],
      ['solicit', 2],
    ]);
    await recordHistory(handle, 'solicited-reply-lost');
  });

  it('ignores an update older than the last one applied and applies a newer one', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - HOUR, t0 + 2 * DAY, t0 + 4 * DAY);
    const { order, handle } = await startNew(input);
    const before = await handle.query(statusQuery);
    await handle.signal(orderUpdatedSignal, {
      orderStatus: 'Shipped',
      latestDeliveryDate: iso(t0 + 1 * DAY),
      changedAt: iso(t0 - 2 * HOUR),
    });
    expect(await handle.query(statusQuery)).toMatchObject({ solicitBefore: before.solicitBefore });
    await handle.signal(orderUpdatedSignal, {
      orderStatus: 'Shipped',
      latestDeliveryDate: iso(t0 + 6 * DAY),
      changedAt: iso(t0),
    });
    expect(await handle.query(statusQuery)).toMatchObject({ solicitBefore: iso(t0 + 36 * DAY) });
    h.fake.script(order.amazonOrderId, { check: () => OFFERED });
    expect(await handle.result()).toMatchObject({ outcome: 'solicited' });
    await recordHistory(handle, 'window-update-older-ignored');
  });

  it('makes no call in the last 30 seconds of the window', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - 40 * DAY, t0 - 36 * DAY, t0 - 30 * DAY + 20_000);
    const { order, handle } = await startNew(input);
    expect(await handle.result()).toMatchObject({ outcome: 'expired', checks: 0 });
    expect(h.fake.callsFor(order.amazonOrderId)).toHaveLength(0);
    await recordHistory(handle, 'expired-in-the-last-30-seconds');
  });

  it('checks but never sends in a dry run', async () => {
    const t0 = await h.now();
    const input = { ...mfnOrder(t0 - 9 * DAY, t0 - 8 * DAY, t0 - 7 * DAY) };
    const order = { ...input, policy: { ...NEW_ORDERS, dryRun: true } };
    expect(await startOrder(h.env.client, h.taskQueue, order)).toBe('started');
    const handle = h.env.client.workflow.getHandle(order.amazonOrderId);
    expect(await handle.result()).toMatchObject({ outcome: 'dry-run', checks: 1 });
    expect(h.fake.callsFor(order.amazonOrderId).map((c) => c.operation)).toEqual(['check']);
    await recordHistory(handle, 'dry-run-check-and-send');
  });
});
