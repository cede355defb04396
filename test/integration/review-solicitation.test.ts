import { forTheFile } from '../helpers/for-the-file';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  INVALID_INPUT_FAILURE_TYPE,
  searchAttributes,
  statusQuery,
  type ReviewSolicitationInput,
} from '../../src/domain/contract';
import { SpApiError } from '../../src/spapi/errors';
import { formatInstant, workflowStartSummary } from '../../src/domain/web-ui';
import { InvalidOrderInputError } from '../../src/domain/window';
import { DAY, HOUR, expectAt, recordHistory, startHarness } from '../helpers/solicitation-harness';
import { afnOrder, iso, mfnOrder } from '../helpers/orders';

// The happy path's history when started without search attributes: started, 4 workflow tasks (3 events each),
// the patch marker and its TemporalChangeVersion upsert, 2 search-attribute upserts (waiting, solicited; no
// `checking`), one timer (2), two activities (3 each), completed: 26 events.
const HAPPY_PATH_MAX_EVENTS = 26;

const h = forTheFile(startHarness);

async function currentDetails(handle: { query: (name: string) => Promise<unknown> }): Promise<string> {
  return ((await handle.query('__temporal_workflow_metadata')) as { currentDetails: string }).currentDetails;
}

describe('reviewSolicitation outcomes', () => {
  it('sleeps until the window opens, checks at exactly solicitAfter and solicits once', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - HOUR, t0 + 2 * DAY, t0 + 4 * DAY);
    const solicitAfter = t0 + 7 * DAY;
    const solicitBefore = t0 + 34 * DAY;
    const handle = await h.start(input);

    const waiting = await handle.query(statusQuery);
    expect(waiting).toEqual({
      amazonOrderId: input.amazonOrderId,
      phase: 'waiting',
      solicitAfter: iso(solicitAfter),
      solicitBefore: iso(solicitBefore),
      windowEstimated: false,
      checks: 0,
      nextCheckAt: iso(solicitAfter),
    });
    expect(await currentDetails(handle)).toMatch(
      /^Waiting for Amazon's window to open on \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    const started = await handle.describe();
    expect(started.typedSearchAttributes.get(searchAttributes.phase)).toBe('waiting');
    expect(await started.staticSummary()).toContain(`Review request for order ${input.amazonOrderId} (ATVPDKIKX0DER)`);
    expect(await started.staticDetails()).toContain('Fulfillment: MFN');

    const result = await h.ended(handle, {
      outcome: 'solicited',
      checks: 1,
      solicitedAt: expect.any(String),
    });
    expectAt(result.solicitedAt, solicitAfter);
    const calls = h.fake.callsFor(input.amazonOrderId);
    expect(calls.map((c) => c.operation)).toEqual(['check', 'solicit']);
    for (const call of calls) expectAt(call.at, solicitAfter);

    const done = await handle.describe();
    expect(done.status.name).toBe('COMPLETED');
    expect(done.typedSearchAttributes.get(searchAttributes.phase)).toBe('solicited');
    expect(done.typedSearchAttributes.get(searchAttributes.solicitAfter)).toEqual(new Date(solicitAfter));
    expect(done.typedSearchAttributes.get(searchAttributes.solicitBefore)).toEqual(new Date(solicitBefore));
    expect(done.typedSearchAttributes.get(searchAttributes.marketplaceId)).toBe('ATVPDKIKX0DER');
    expect(done.typedSearchAttributes.get(searchAttributes.sellerId)).toBe('A2TESTSELLER01');
    expect(await handle.query(statusQuery)).toMatchObject({
      phase: 'solicited',
      checks: 1,
      solicitedAt: result.solicitedAt,
    });
    expect(await currentDetails(handle)).toMatch(/^Solicited at /);

    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.length).toBeLessThanOrEqual(HAPPY_PATH_MAX_EVENTS);
    await recordHistory(handle, 'solicited');
  });

  it('estimates the window of an FBA order from its ship time and says so', async () => {
    const t0 = await h.now();
    const input = afnOrder(t0);
    const handle = await h.start(input);
    expect(await handle.query(statusQuery)).toMatchObject({
      windowEstimated: true,
      solicitAfter: iso(t0 + 6 * DAY),
      solicitBefore: iso(t0 + 40 * DAY),
    });
    expect(await currentDetails(handle)).toContain('(estimated from the ship time)');
    expect(await (await handle.describe()).staticDetails()).toContain('the window is estimated from the ship time');
    const result = await handle.result();
    expect(result.outcome).toBe('solicited');
    expectAt(h.fake.callsFor(input.amazonOrderId, 'check')[0]?.at, t0 + 6 * DAY);
    await recordHistory(handle, 'solicited-fba-estimated-window');
  });

  it('re-checks every 24 hours while the action is not offered and expires when the window closes', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0, t0 + 1 * DAY, t0 + 3 * DAY);
    const solicitAfter = t0 + 6 * DAY;
    const solicitBefore = t0 + 33 * DAY;
    h.fake.script(input.amazonOrderId, { check: () => [] });
    const handle = await h.start(input);
    const result = await handle.result();

    // Checks fall on solicitAfter + k days for every k with solicitAfter + k days < solicitBefore: 27 of them.
    const checks = h.fake.callsFor(input.amazonOrderId, 'check');
    expect(checks).toHaveLength(27);
    checks.forEach((call, k) => expectAt(call.at, solicitAfter + k * DAY));
    expect(h.fake.callsFor(input.amazonOrderId, 'solicit')).toHaveLength(0);
    expect(result).toEqual({
      amazonOrderId: input.amazonOrderId,
      outcome: 'expired',
      checks: 27,
      reason: expect.stringMatching(/^the window closed on .*; Amazon did not offer the review request in 27 checks$/),
    });

    const history = await handle.fetchHistory();
    const activityTimes = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes || e.activityTaskStartedEventAttributes)
      .map((e) => Number(e.eventTime?.seconds) * 1000);
    expect(activityTimes.length).toBe(2 * 27);
    expect(Math.max(...activityTimes)).toBeLessThan(solicitBefore);
    const completedAt = Number(history.events?.at(-1)?.eventTime?.seconds) * 1000;
    expect(completedAt).toBeGreaterThanOrEqual(solicitBefore - 1000);
    expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('expired');
    await recordHistory(handle, 'expired-after-rechecks');
  });

  it('ends as already-solicited when Amazon refuses the send after offering the action', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - 7 * DAY, t0 - 6 * DAY, t0 - 5 * DAY);
    const message = 'The requested solicitation is not available for this amazonOrderId.';
    h.fake.script(input.amazonOrderId, {
      solicit: () => {
        throw new SpApiError('already-solicited', 'createProductReviewAndSellerFeedbackSolicitation', message, {
          status: 403,
        });
      },
    });
    const handle = await h.start(input);
    await h.ended(handle, {
      outcome: 'already-solicited',
      checks: 1,
      reason: `createProductReviewAndSellerFeedbackSolicitation: ${message}`,
    });
    // The non-retryable type is not retried: one send attempt.
    expect(h.fake.callsFor(input.amazonOrderId, 'solicit')).toHaveLength(1);
    expect((await handle.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('already-solicited');
    await recordHistory(handle, 'already-solicited');
  });

  it('fails with the reason when Amazon denies access', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - 7 * DAY, t0 - 6 * DAY, t0 - 5 * DAY);
    h.fake.script(input.amazonOrderId, {
      check: () => {
        throw new SpApiError(
          'unauthorized',
          'getSolicitationActionsForOrder',
          'Unauthorized: Access to requested resource is denied.',
        );
      },
    });
    const handle = await h.start(input);
    await h.ended(handle, {
      outcome: 'failed',
      checks: 0,
      reason: 'getSolicitationActionsForOrder: Unauthorized: Access to requested resource is denied.',
    });
    expect(h.fake.callsFor(input.amazonOrderId)).toHaveLength(1);
    expect(await handle.query(statusQuery)).toMatchObject({
      phase: 'failed',
      reason: expect.stringContaining('denied'),
    });
    expect(await currentDetails(handle)).toMatch(/^Failed: getSolicitationActionsForOrder: Unauthorized/);
    await recordHistory(handle, 'failed-unauthorized');
  });

  it('retries a throttled or failing send and solicits once Amazon accepts it', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - 7 * DAY, t0 - 6 * DAY, t0 - 5 * DAY);
    h.fake.script(input.amazonOrderId, {
      solicit: (call) => {
        if (call === 1)
          throw new SpApiError('throttled', 'createProductReviewAndSellerFeedbackSolicitation', 'QuotaExceeded', {
            retryAfterMs: 10,
          });
        if (call === 2) throw new Error('socket hang up');
      },
    });
    const result = await (await h.start(input)).result();
    expect(result).toMatchObject({ outcome: 'solicited', checks: 1 });
    expect(h.fake.callsFor(input.amazonOrderId, 'solicit').map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it('stops retrying a failing check when the window closes and expires with the last error', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - 40 * DAY, t0 - 39 * DAY, t0 - 30 * DAY + 2 * HOUR);
    const solicitBefore = t0 + 2 * HOUR;
    h.fake.script(input.amazonOrderId, {
      check: () => {
        throw new SpApiError('transient', 'getSolicitationActionsForOrder', 'ServiceUnavailable', { status: 503 });
      },
    });
    const handle = await h.start(input);
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'expired', checks: 0 });
    expect(result.reason).toMatch(/^the window closed on .* while Amazon's API kept failing: .*ServiceUnavailable/);
    const attempts = h.fake.callsFor(input.amazonOrderId, 'check');
    expect(attempts.length).toBeGreaterThan(5);
    expect(Math.max(...attempts.map((a) => a.at))).toBeLessThan(solicitBefore);
    const events = (await handle.fetchHistory()).events ?? [];
    // One activity, retried until the window closed: it ends once, with the last failure.
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(1);
    expect(
      events.filter((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes),
    ).toHaveLength(1);
  });

  it('expires without calling Amazon when the window closed before the workflow started', async () => {
    const t0 = await h.now();
    const input = mfnOrder(t0 - 40 * DAY, t0 - 38 * DAY, t0 - 31 * DAY);
    const handle = await h.start(input);
    await h.ended(handle, {
      outcome: 'expired',
      checks: 0,
      reason: `the window closed on ${formatInstant(t0 - DAY)} before any eligibility check`,
    });
    expect(h.fake.callsFor(input.amazonOrderId)).toHaveLength(0);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
    await recordHistory(handle, 'expired-window-closed-at-start');
  });

  it('fails a workflow whose input has no computable window, without calling Amazon', async () => {
    const t0 = await h.now();
    const input: ReviewSolicitationInput = { ...mfnOrder(t0, t0, t0), latestDeliveryDate: '2024-05-06 00:00' };
    // workflowStartSummary refuses such an input already; start the workflow without it.
    expect(() => workflowStartSummary(input)).toThrow(InvalidOrderInputError);
    const raw = await h.env.client.workflow.start('reviewSolicitation', {
      taskQueue: h.taskQueue,
      workflowId: input.amazonOrderId,
      args: [input],
    });
    const error: unknown = await raw.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(INVALID_INPUT_FAILURE_TYPE);
    expect(cause?.message).toMatch(/^invalid input: latestDeliveryDate must be an ISO-8601 date-time/);
    expect(h.fake.callsFor(input.amazonOrderId)).toHaveLength(0);
    expect((await raw.describe()).typedSearchAttributes.get(searchAttributes.phase)).toBe('failed');
  });
});
