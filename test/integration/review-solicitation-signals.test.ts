import { forTheFile } from '../helpers/for-the-file';
import {
  cancelSignal,
  expediteSignal,
  orderUpdatedSignal,
  searchAttributes,
  statusQuery,
} from '../../src/domain/contract';
import { SpApiError } from '../../src/spapi/errors';
import {
  DAY,
  HOUR,
  OFFERED,
  expectAt,
  recordHistory,
  startHarness,
  type Harness,
} from '../helpers/solicitation-harness';
import { iso, mfnOrder } from '../helpers/orders';

const h = forTheFile(startHarness);

/** An order whose window opens 6 days after `t0` and closes 33 days after it. */
const orderAt = (t0: number) => mfnOrder(t0, t0 + DAY, t0 + 3 * DAY);

/** An order started now: its window opens in 6 days. */
async function startedNow() {
  const input = orderAt(await h.now());
  return { input, handle: await h.start(input) };
}

describe('expedite', () => {
  it('before the window checks at once and solicits when Amazon already offers the action', async () => {
    const t0 = await h.now();
    const input = orderAt(t0);
    const handle = await h.start(input);
    await handle.signal(expediteSignal, {});
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 1 });
    expectAt(result.solicitedAt, t0);
    expect(Date.parse(result.solicitedAt!)).toBeLessThan(t0 + 6 * DAY);
    expect(h.fake.callsFor(input.amazonOrderId).map((c) => c.operation)).toEqual(['check', 'solicit']);
    await recordHistory(handle, 'expedited-before-window');
  });

  it('before the window never forces a send: not offered, it keeps waiting for the window', async () => {
    const t0 = await h.now();
    const input = orderAt(t0);
    h.fake.script(input.amazonOrderId, { check: (call) => (call === 1 ? [] : OFFERED) });
    const handle = await h.start(input);
    await handle.signal(expediteSignal, {});
    await h.fake.waitForCalls(input.amazonOrderId, 'check', 1);
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 2 });
    const checks = h.fake.callsFor(input.amazonOrderId, 'check');
    expectAt(checks[0]?.at, t0);
    expectAt(checks[1]?.at, t0 + 6 * DAY);
    expect(h.fake.callsFor(input.amazonOrderId, 'solicit')).toHaveLength(1);
    expectAt(result.solicitedAt, t0 + 6 * DAY);
  });

  it('inside the window checks at once instead of at the next daily check', async () => {
    const t0 = await h.now();
    const input = orderAt(t0);
    h.fake.script(input.amazonOrderId, { check: (call) => (call === 1 ? [] : OFFERED) });
    const handle = await h.start(input);
    await h.env.sleep(6 * DAY + 3 * HOUR);
    expect(await handle.query(statusQuery)).toMatchObject({
      phase: 'waiting',
      checks: 1,
      nextCheckAt: iso(t0 + 7 * DAY),
    });
    const expeditedAt = await h.now();
    await handle.signal(expediteSignal, {});
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 2 });
    const checks = h.fake.callsFor(input.amazonOrderId, 'check');
    expectAt(checks[0]?.at, t0 + 6 * DAY);
    expectAt(checks[1]?.at, expeditedAt);
    expect(checks[1]!.at).toBeLessThan(t0 + 7 * DAY);
  });
});

describe('orderUpdated', () => {
  it('moves the window later: no check at the old opening, one at the new', async () => {
    const t0 = await h.now();
    const input = orderAt(t0);
    const handle = await h.start(input);
    await h.env.sleep(2 * DAY);
    await handle.signal(orderUpdatedSignal, {
      orderStatus: 'Shipped',
      earliestDeliveryDate: iso(t0 + 4 * DAY),
      latestDeliveryDate: iso(t0 + 8 * DAY),
    });
    expect(await handle.query(statusQuery)).toMatchObject({
      phase: 'waiting',
      solicitAfter: iso(t0 + 9 * DAY),
      solicitBefore: iso(t0 + 38 * DAY),
      nextCheckAt: iso(t0 + 9 * DAY),
    });
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(searchAttributes.solicitAfter)).toEqual(new Date(t0 + 9 * DAY));
    expect(description.typedSearchAttributes.get(searchAttributes.solicitBefore)).toEqual(new Date(t0 + 38 * DAY));
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 1 });
    const checks = h.fake.callsFor(input.amazonOrderId, 'check');
    expect(checks).toHaveLength(1);
    expectAt(checks[0]?.at, t0 + 9 * DAY);
    await recordHistory(handle, 'window-moved-later');
  });

  it('moves the window earlier, and a duplicate notification with the same dates changes nothing', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0, t0 + 10 * DAY, t0 + 12 * DAY);
    const handle = await h.start(input);
    await handle.signal(orderUpdatedSignal, {
      orderStatus: 'Shipped',
      earliestDeliveryDate: input.earliestDeliveryDate,
      latestDeliveryDate: input.latestDeliveryDate,
    });
    expect(await handle.query(statusQuery)).toMatchObject({ solicitAfter: iso(t0 + 15 * DAY) });
    await h.env.sleep(DAY);
    await handle.signal(orderUpdatedSignal, { orderStatus: 'Shipped', earliestDeliveryDate: iso(t0 + 2 * DAY) });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 1 });
    expectAt(h.fake.callsFor(input.amazonOrderId, 'check')[0]?.at, t0 + 7 * DAY);
    expect(await handle.query(statusQuery)).toMatchObject({
      solicitAfter: iso(t0 + 7 * DAY),
      solicitBefore: iso(t0 + 42 * DAY),
    });
    // Only the real move interrupted the wait for the window.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.timerCanceledEventAttributes)).toHaveLength(1);
  });

  it('ignores dates that do not parse and keeps the window', async () => {
    const t0 = await h.now();
    const input = orderAt(t0);
    const handle = await h.start(input);
    await handle.signal(orderUpdatedSignal, { orderStatus: 'Shipped', earliestDeliveryDate: 'soon' });
    expect(await handle.query(statusQuery)).toMatchObject({ phase: 'waiting', solicitAfter: iso(t0 + 6 * DAY) });
    expect(await handle.result()).toMatchObject({ outcome: 'solicited' });
    expectAt(h.fake.callsFor(input.amazonOrderId, 'check')[0]?.at, t0 + 6 * DAY);
  });

  it('ends the workflow as cancelled when Amazon reports the order Canceled', async () => {
    const { input, handle } = await startedNow();
    await handle.signal(orderUpdatedSignal, { orderStatus: 'Canceled' });
    await h.ended(handle, {
      outcome: 'cancelled',
      checks: 0,
      reason: 'Amazon reports the order as Canceled',
    });
    expect(h.fake.callsFor(input.amazonOrderId)).toHaveLength(0);
    expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('cancelled');
  });
});

describe('cancellation', () => {
  it('by signal while waiting ends at once with the reason given', async () => {
    const t0 = await h.now();
    const input = orderAt(t0);
    const handle = await h.start(input);
    await handle.signal(cancelSignal, { reason: 'buyer asked not to be contacted' });
    await h.ended(handle, {
      outcome: 'cancelled',
      checks: 0,
      reason: 'buyer asked not to be contacted',
    });
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(searchAttributes.phase)).toBe('cancelled');
    expect(h.fake.callsFor(input.amazonOrderId)).toHaveLength(0);
    // Cancelled long before the window would have opened.
    const closedAt = Number((await handle.fetchHistory()).events?.at(-1)?.eventTime?.seconds) * 1000;
    expect(closedAt).toBeLessThan(t0 + DAY);
    await recordHistory(handle, 'cancelled-while-waiting');
  });

  it('by Temporal while waiting completes with the cancelled result', async () => {
    const t0 = await h.now();
    const input = orderAt(t0);
    const handle = await h.start(input);
    await handle.cancel();
    await h.ended(handle, {
      outcome: 'cancelled',
      checks: 0,
      reason: 'cancelled in Temporal',
    });
    expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('cancelled');
    expect(h.fake.callsFor(input.amazonOrderId)).toHaveLength(0);
  });

  describe.each([
    [
      'signal',
      (handle: Awaited<ReturnType<Harness['start']>>) => handle.signal(cancelSignal, {}),
      'cancelled by an operator',
    ],
    ['Temporal', (handle: Awaited<ReturnType<Harness['start']>>) => handle.cancel(), 'cancelled in Temporal'],
  ])('by %s while a check is being retried', (_, cancel, reason) => {
    it('cancels the activity and completes with the cancelled result', async () => {
      const t0 = await h.now();
      // The window is open at start, so the check runs at once; Amazon keeps answering 503.
      const input = mfnOrder(t0 - 7 * DAY, t0 - 6 * DAY, t0);
      h.fake.script(input.amazonOrderId, {
        check: () => {
          throw new SpApiError('transient', 'getSolicitationActionsForOrder', 'ServiceUnavailable', { status: 503 });
        },
      });
      const handle = await h.start(input);
      await h.fake.waitForCalls(input.amazonOrderId, 'check', 2);
      expect(await handle.query(statusQuery)).toMatchObject({ phase: 'checking', checks: 0 });
      await cancel(handle);
      await h.ended(handle, {
        outcome: 'cancelled',
        checks: 0,
        reason,
      });
      const callsAtEnd = h.fake.callsFor(input.amazonOrderId).length;
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.activityTaskCancelRequestedEventAttributes)).toHaveLength(1);
      // No attempt after the workflow ended: the retry was cancelled, not left running.
      await h.env.sleep(HOUR);
      expect(h.fake.callsFor(input.amazonOrderId)).toHaveLength(callsAtEnd);
      if (reason === 'cancelled by an operator') await recordHistory(handle, 'cancelled-while-retrying');
    });
  });
});
