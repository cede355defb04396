import { forTheFile } from '../helpers/for-the-file';
import { DEFAULT_POLICY, searchAttributes, type ReviewSolicitationInput } from '../../src/domain/contract';
import { startOrder } from '../../src/orders/start';
import { DAY, HOUR, OFFERED, expectAt, recordHistory, startHarness } from '../helpers/solicitation-harness';
import { afnOrder, mfnOrder } from '../helpers/orders';

const windowAware = { ...DEFAULT_POLICY, checkSchedule: 'window-aware' as const };

const h = forTheFile(startHarness);

async function startWindowAware(input: ReviewSolicitationInput) {
  const order = { ...input, policy: windowAware };
  expect(await startOrder(h.env.client, h.taskQueue, order)).toBe('started');
  return { order, handle: h.env.client.workflow.getHandle(order.amazonOrderId) };
}

describe('window-aware check schedule', () => {
  it('checks at the opening, then at the latest delivery + 5 days, and solicits there', async () => {
    const t0 = await h.now();
    const { order, handle } = await startWindowAware(mfnOrder(t0 - HOUR, t0 + 2 * DAY, t0 + 5 * DAY));
    h.fake.script(order.amazonOrderId, { check: (call) => (call === 1 ? [] : OFFERED) });

    expect(await handle.result()).toMatchObject({ outcome: 'solicited', checks: 2 });
    const checks = h.fake.callsFor(order.amazonOrderId, 'check');
    expect(checks).toHaveLength(2);
    expectAt(checks[0]?.at, t0 + 7 * DAY);
    expectAt(checks[1]?.at, t0 + 10 * DAY);
    expect(h.fake.callsFor(order.amazonOrderId, 'solicit')).toHaveLength(1);

    const events = (await handle.fetchHistory()).events ?? [];
    // The start set every search attribute and nobody filters on `checking`: one upsert, for the outcome
    // (besides the SDK's TemporalChangeVersion of the patch).
    const upserted = events.flatMap((e) =>
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}),
    );
    expect(upserted.sort()).toEqual(['SolicitationPhase', 'TemporalChangeVersion']);
    expect(events.filter((e) => e.workflowExecutionSignaledEventAttributes)).toHaveLength(0);
    expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('solicited');
    await recordHistory(handle, 'solicited-window-aware-at-latest-delivery');
  });

  it('re-checks an estimated window after 1, then 2 days', async () => {
    const t0 = await h.now();
    const { order, handle } = await startWindowAware(afnOrder(t0));
    h.fake.script(order.amazonOrderId, { check: (call) => (call < 3 ? [] : OFFERED) });

    expect(await handle.result()).toMatchObject({ outcome: 'solicited', checks: 3 });
    const checks = h.fake.callsFor(order.amazonOrderId, 'check');
    [6, 7, 9].forEach((days, k) => expectAt(checks[k]?.at, t0 + days * DAY));
    await recordHistory(handle, 'solicited-fba-window-aware-backing-off');
  });

  it('keeps the daily schedule for an input without the field', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - HOUR, t0 + 2 * DAY, t0 + 5 * DAY);
    expect(await startOrder(h.env.client, h.taskQueue, input)).toBe('started');
    h.fake.script(input.amazonOrderId, { check: (call) => (call === 1 ? [] : OFFERED) });
    expect(await h.env.client.workflow.getHandle(input.amazonOrderId).result()).toMatchObject({ outcome: 'solicited' });
    expectAt(h.fake.callsFor(input.amazonOrderId, 'check')[1]?.at, t0 + 8 * DAY);
  });
});
