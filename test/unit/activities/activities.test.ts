import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type CheckAndSolicitResult } from '../../../src/activities';
import {
  BLOCKING_FAILURE_TYPES,
  FailureType,
  NON_RETRYABLE_FAILURE_TYPES,
  type OrderRef,
} from '../../../src/domain/contract';
import type { Logger } from '../../../src/logging';
import { SpApiError, type SpApiErrorKind } from '../../../src/spapi/errors';
import type { SolicitationsApi } from '../../../src/spapi/solicitations';
import { recordingMeter } from '../../helpers/metrics';

const order: OrderRef = { amazonOrderId: '902-3159896-1390916', marketplaceId: 'ATVPDKIKX0DER', sellerId: 'A2SELLER' };

function logger(): Logger & { lines: { level: string; message: string; fields?: object }[] } {
  const lines: { level: string; message: string; fields?: object }[] = [];
  const at = (level: string) => (message: string, fields?: object) => lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function activitiesFailingWith(error: unknown) {
  // Thrown as is, not wrapped in an Error: the activities must classify whatever a client throws.
  const fail = () =>
    new Promise<never>(() => {
      throw error;
    });
  const api: SolicitationsApi = {
    getSolicitationActionsForOrder: fail,
    createProductReviewAndSellerFeedbackSolicitation: fail,
  };
  return createActivities({ solicitations: api, logger: logger() });
}

async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  const error: unknown = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('checkEligibility', () => {
  it.each([
    [['productReviewAndSellerFeedback'], true],
    [['legalDisclosure', 'productReviewAndSellerFeedback'], true],
    [['legalDisclosure'], false],
    [[], false],
  ])('with actions %j says offered = %s, and counts the check by it', async (actions, offered) => {
    const calls: OrderRef[] = [];
    const api: SolicitationsApi = {
      getSolicitationActionsForOrder: (ref) => {
        calls.push(ref);
        return Promise.resolve(actions);
      },
      createProductReviewAndSellerFeedbackSolicitation: () => Promise.reject(new Error('not expected')),
    };
    const { checkEligibility } = createActivities({ solicitations: api, logger: logger() });
    const { meter, recorded } = recordingMeter();
    const env = new MockActivityEnvironment(undefined, { metricMeter: meter });
    await expect(env.run(checkEligibility, order)).resolves.toEqual({ offered, actions });
    expect(calls).toEqual([order]);
    // The activity's meter adds the namespace, task queue and activity type.
    expect(recorded).toEqual([
      { name: 'eligibility_checks_total', value: 1, tags: expect.objectContaining({ offered: String(offered) }) },
    ]);
  });
});

describe('solicit', () => {
  it('sends the solicitation for the order once, and counts it', async () => {
    const calls: OrderRef[] = [];
    const api: SolicitationsApi = {
      getSolicitationActionsForOrder: () => Promise.reject(new Error('not expected')),
      createProductReviewAndSellerFeedbackSolicitation: (ref) => {
        calls.push(ref);
        return Promise.resolve();
      },
    };
    const log = logger();
    const { meter, recorded } = recordingMeter();
    const env = new MockActivityEnvironment(undefined, { metricMeter: meter });
    await env.run(createActivities({ solicitations: api, logger: log }).solicit, order);
    expect(calls).toEqual([order]);
    expect(recorded).toEqual([{ name: 'solicitations_sent_total', value: 1, tags: expect.any(Object) }]);
    expect(log.lines).toContainEqual({
      level: 'info',
      message: 'solicited',
      fields: { amazonOrderId: order.amazonOrderId },
    });
  });
});

describe('failure classification at the activity boundary', () => {
  const cases: [SpApiErrorKind, FailureType, boolean][] = [
    ['throttled', FailureType.Throttled, false],
    ['transient', FailureType.Transient, false],
    ['already-solicited', FailureType.AlreadySolicited, true],
    ['outside-window', FailureType.OutsideWindow, true],
    ['unauthorized', FailureType.Unauthorized, true],
    ['invalid-input', FailureType.InvalidInput, true],
    ['credential-refused', FailureType.CredentialRefused, true],
    ['seller-not-configured', FailureType.SellerNotConfigured, true],
    ['seller-paused', FailureType.SellerPaused, true],
  ];

  it.each(cases)('maps %s to %s (non-retryable: %s) for both activities', async (kind, type, nonRetryable) => {
    expect(NON_RETRYABLE_FAILURE_TYPES.includes(type)).toBe(nonRetryable);
    const error = new SpApiError(kind, 'createProductReviewAndSellerFeedbackSolicitation', `Amazon said ${kind}`, {
      status: 400,
    });
    const { checkEligibility, solicit } = activitiesFailingWith(error);
    for (const call of [checkEligibility(order), solicit(order)]) {
      const failure = await failureOf(call);
      expect(failure.type).toBe(type);
      expect(failure.nonRetryable).toBe(nonRetryable);
      expect(failure.message).toBe(`createProductReviewAndSellerFeedbackSolicitation: Amazon said ${kind}`);
    }
  });

  it.each([
    ['credential-refused', FailureType.CredentialRefused, { kind: 'app' }],
    ['seller-not-configured', FailureType.SellerNotConfigured, { kind: 'seller', sellerId: 'A2SELLER' }],
    ['seller-paused', FailureType.SellerPaused, { kind: 'seller', sellerId: 'A2SELLER' }],
  ] as const)('holds %s as a blocking failure that says whose credential', async (kind, type, credential) => {
    expect(BLOCKING_FAILURE_TYPES).toContain(type);
    const error = new SpApiError(kind, 'getSolicitationActionsForOrder', 'words', {
      code: 'invalid_client',
      credential,
    });
    const failure = await failureOf(activitiesFailingWith(error).checkEligibility(order));
    expect(failure).toMatchObject({ type, nonRetryable: true, details: [{ credential, code: 'invalid_client' }] });
  });

  it('keeps the type of old histories apart from the blocking ones', () => {
    expect(FailureType.Unauthorized).toBe('SpApiUnauthorized');
    expect(FailureType.CredentialRefused).toBe('SpApiCredentialRefused');
    expect(BLOCKING_FAILURE_TYPES).not.toContain(FailureType.Unauthorized);
  });

  it('retries a 429 after the delay Amazon asked for', async () => {
    const error = new SpApiError('throttled', 'getSolicitationActionsForOrder', 'QuotaExceeded', {
      retryAfterMs: 2_500,
    });
    const failure = await failureOf(activitiesFailingWith(error).checkEligibility(order));
    expect(failure.type).toBe(FailureType.Throttled);
    expect(failure.nextRetryDelay).toBe(2_500);
  });

  it('leaves the retry delay to the policy when Amazon gave none, and for other kinds', async () => {
    const throttled = new SpApiError('throttled', 'getSolicitationActionsForOrder', 'QuotaExceeded');
    expect((await failureOf(activitiesFailingWith(throttled).checkEligibility(order))).nextRetryDelay).toBeUndefined();
    const transient = new SpApiError('transient', 'getSolicitationActionsForOrder', 'InternalFailure', {
      retryAfterMs: 9_000,
    });
    expect((await failureOf(activitiesFailingWith(transient).checkEligibility(order))).nextRetryDelay).toBeUndefined();
  });

  it('retries any other error as transient', async () => {
    const failure = await failureOf(activitiesFailingWith(new TypeError('fetch failed')).solicit(order));
    expect(failure.type).toBe(FailureType.Transient);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe('TypeError: fetch failed');
    const thrownString = await failureOf(activitiesFailingWith('socket hang up').checkEligibility(order));
    expect(thrownString.type).toBe(FailureType.Transient);
    expect(thrownString.message).toBe('socket hang up');
  });

  it('logs a 429 at debug level and other failures as warnings, with the order ID', async () => {
    const log = logger();
    const api: SolicitationsApi = {
      getSolicitationActionsForOrder: () =>
        Promise.reject(new SpApiError('throttled', 'getSolicitationActionsForOrder', 'x')),
      createProductReviewAndSellerFeedbackSolicitation: () =>
        Promise.reject(
          new SpApiError('unauthorized', 'createProductReviewAndSellerFeedbackSolicitation', 'Unauthorized'),
        ),
    };
    const { checkEligibility, solicit } = createActivities({ solicitations: api, logger: log });
    await failureOf(checkEligibility(order));
    await failureOf(solicit(order));
    expect(log.lines.map(({ level, fields }) => [level, (fields as { type: string }).type])).toEqual([
      ['debug', FailureType.Throttled],
      ['warn', FailureType.Unauthorized],
    ]);
    expect(log.lines.every(({ fields }) => (fields as OrderRef).amazonOrderId === order.amazonOrderId)).toBe(true);
  });
});

describe('checkAndSolicit', () => {
  function recordingApi(actions: string[], sendError?: Error) {
    const calls: string[] = [];
    const api: SolicitationsApi = {
      getSolicitationActionsForOrder: () => {
        calls.push('check');
        return Promise.resolve(actions);
      },
      createProductReviewAndSellerFeedbackSolicitation: () => {
        calls.push('send');
        return sendError === undefined ? Promise.resolve() : Promise.reject(sendError);
      },
    };
    return { api, calls };
  }
  const notAvailable = new SpApiError(
    'already-solicited',
    'createProductReviewAndSellerFeedbackSolicitation',
    'The requested solicitation is not available for this amazonOrderId.',
    { status: 403 },
  );
  const NOW = Date.parse('2024-05-10T12:00:00Z');

  it('checks, then sends when Amazon offers, recording the attempt before the POST', async () => {
    const { api, calls } = recordingApi(['productReviewAndSellerFeedback']);
    const { meter, recorded } = recordingMeter();
    const env = new MockActivityEnvironment(undefined, { metricMeter: meter });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const { checkAndSolicit } = createActivities({ solicitations: api, logger: logger(), now: () => NOW });
    await expect(env.run(checkAndSolicit, { ...order, send: true })).resolves.toEqual({
      offered: true,
      actions: ['productReviewAndSellerFeedback'],
      sent: { at: new Date(NOW).toISOString(), replyLost: false },
    });
    expect(calls).toEqual(['check', 'send']);
    expect(heartbeats).toEqual([{ sendAttemptedAt: new Date(NOW).toISOString() }]);
    expect(recorded.map((metric) => metric.name)).toEqual(['eligibility_checks_total', 'solicitations_sent_total']);
  });

  it('sends nothing when Amazon does not offer the action, or in a dry run', async () => {
    for (const [actions, send] of [
      [[], true],
      [['productReviewAndSellerFeedback'], false],
    ] as const) {
      const { api, calls } = recordingApi([...actions]);
      const { checkAndSolicit } = createActivities({ solicitations: api, logger: logger() });
      const result: CheckAndSolicitResult = await new MockActivityEnvironment().run(checkAndSolicit, {
        ...order,
        send,
      });
      expect(result.sent).toBeUndefined();
      expect(calls).toEqual(['check']);
    }
  });

  it('never checks again on a retry once the check said yes', async () => {
    const { api, calls } = recordingApi([]);
    const env = new MockActivityEnvironment({
      attempt: 2,
      heartbeatDetails: { sendAttemptedAt: '2024-05-10T11:00:00.000Z' },
    });
    const result = await env.run(createActivities({ solicitations: api, logger: logger() }).checkAndSolicit, {
      ...order,
      send: true,
    });
    expect(calls).toEqual(['send']);
    expect(result).toMatchObject({ offered: true, sent: { at: '2024-05-10T11:00:00.000Z', replyLost: false } });
  });

  it("reads Amazon's 'not available' after an attempt of ours whose reply was lost as our own send", async () => {
    const { api } = recordingApi([], notAvailable);
    const { meter, recorded } = recordingMeter();
    const env = new MockActivityEnvironment(
      { attempt: 2, heartbeatDetails: { sendAttemptedAt: '2024-05-10T11:00:00.000Z' } },
      { metricMeter: meter },
    );
    const activities = createActivities({ solicitations: api, logger: logger() });
    await expect(env.run(activities.checkAndSolicit, { ...order, send: true })).resolves.toMatchObject({
      sent: { at: '2024-05-10T11:00:00.000Z', replyLost: true },
    });
    expect(recorded).toEqual([{ name: 'solicitations_sent_total', value: 1, tags: expect.any(Object) }]);
    await expect(env.run(activities.solicit, order)).resolves.toEqual({
      at: '2024-05-10T11:00:00.000Z',
      replyLost: true,
    });
  });

  it("keeps 'not available' at a first attempt as already solicited", async () => {
    const { api } = recordingApi(['productReviewAndSellerFeedback'], notAvailable);
    const env = new MockActivityEnvironment();
    const failure = await failureOf(
      env.run(createActivities({ solicitations: api, logger: logger() }).checkAndSolicit, { ...order, send: true }),
    );
    expect(failure.type).toBe(FailureType.AlreadySolicited);
  });

  it('makes no call past the last call instant, checking the time before each call', async () => {
    const lastCallAt = new Date(NOW).toISOString();
    for (const [now, expected] of [
      [NOW + 1, []],
      [NOW, ['check', 'send']],
    ] as const) {
      const { api, calls } = recordingApi(['productReviewAndSellerFeedback']);
      const run = new MockActivityEnvironment().run(
        createActivities({ solicitations: api, logger: logger(), now: () => now }).checkAndSolicit,
        { ...order, send: true, lastCallAt },
      );
      if (expected.length === 0) expect((await failureOf(run)).type).toBe(FailureType.WindowClosing);
      else await run;
      expect(calls).toEqual(expected);
    }
    let clock = NOW;
    const { api, calls } = recordingApi(['productReviewAndSellerFeedback']);
    api.getSolicitationActionsForOrder = () => {
      calls.push('check');
      clock = NOW + 1;
      return Promise.resolve(['productReviewAndSellerFeedback']);
    };
    const late = new MockActivityEnvironment().run(
      createActivities({ solicitations: api, logger: logger(), now: () => clock }).checkAndSolicit,
      { ...order, send: true, lastCallAt },
    );
    const failure = await failureOf(late);
    expect(failure).toMatchObject({ type: FailureType.WindowClosing, nonRetryable: true });
    expect(calls).toEqual(['check']);
  });
});
