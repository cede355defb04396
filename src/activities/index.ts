import { Context, metricMeter } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from '../logging';
import { METRICS } from '../domain/metrics';
import { PRODUCT_REVIEW_ACTION, type SolicitationsApi } from '../spapi/solicitations';
import { SpApiError } from '../spapi/errors';
import { FailureType, type OrderRef } from '../domain/contract';
import { toApplicationFailure } from './failures';

export interface ActivityDependencies {
  solicitations: SolicitationsApi;
  logger: Logger;
  /** The clock the time left in the window is read from; the SP-API simulator's under the benchmarks. */
  now?: () => number;
}

export interface Eligibility {
  /** Amazon offers `productReviewAndSellerFeedback` for the order now. */
  offered: boolean;
  /** Every action Amazon offered, for the history's sake. */
  actions: string[];
}

/** `checkAndSolicit`'s argument: the order, and whether to send when Amazon offers (false: dry run). */
export interface CheckAndSolicitRequest extends OrderRef {
  send: boolean;
}

/** What `checkAndSolicit` did: the check's answer, and the send if one was made. */
export interface CheckAndSolicitResult extends Eligibility {
  sent?: Solicited;
}

/** A send Amazon accepted. Absent from `solicit` activities that completed before it existed. */
export interface Solicited {
  /** When the send was made (ISO-8601, the activity's clock): for a lost reply, the time of the first attempt. */
  at: string;
  /** Amazon's answer to an earlier attempt never came; it refused this one as "not available". */
  replyLost: boolean;
}

/**
 * Recorded as the activity's heartbeat just before the POST, so that a retried attempt knows the check said
 * yes (it never checks again) and that a send of its own may have reached Amazon (a lost reply).
 */
interface SendAttempt {
  sendAttemptedAt: string;
}

/**
 * The workflow's SP-API activities. They run on the SP-API task queue, whose server-side rate limit paces
 * them; each attempt makes at most one call of each Solicitations operation, checks the time left in the
 * window before each call and classifies its failure.
 */
export function createActivities({ solicitations, logger, now = Date.now }: ActivityDependencies) {
  return {
    async checkEligibility(order: OrderRef): Promise<Eligibility> {
      return check(order);
    },

    async solicit(order: OrderRef): Promise<Solicited | undefined> {
      return send(order, previousAttempt());
    },

    /**
     * One check and, when Amazon offers the action, the send: a solicited order costs one activity. A retry
     * after the check said yes goes straight to the send.
     */
    async checkAndSolicit(request: CheckAndSolicitRequest): Promise<CheckAndSolicitResult> {
      const { send: sending, ...order } = request;
      const attempted = previousAttempt();
      if (attempted !== undefined) {
        return { offered: true, actions: [PRODUCT_REVIEW_ACTION], sent: await send(order, attempted) };
      }
      const eligibility = await check(order);
      if (!eligibility.offered || !sending) return eligibility;
      return { ...eligibility, sent: await send(order, undefined) };
    },
  };

  async function check(order: OrderRef): Promise<Eligibility> {
    requireTimeLeft(order, 'getSolicitationActionsForOrder');
    let actions: string[];
    try {
      actions = await solicitations.getSolicitationActionsForOrder(order);
    } catch (error) {
      throw failure('eligibility check failed', order, error);
    }
    const offered = actions.includes(PRODUCT_REVIEW_ACTION);
    count(METRICS.eligibilityChecks, { offered: String(offered) });
    logger.info('eligibility checked', { amazonOrderId: order.amazonOrderId, offered, actions });
    return { offered, actions };
  }

  /**
   * Sends, after recording the attempt. Amazon's "not available" after an attempt of ours whose reply never
   * came is our own send (docs/spec.md "Phases": `already-solicited`): solicited at that first attempt.
   */
  async function send(order: OrderRef, attempted: SendAttempt | undefined): Promise<Solicited> {
    requireTimeLeft(order, 'createProductReviewAndSellerFeedbackSolicitation');
    const attempt: SendAttempt = attempted ?? { sendAttemptedAt: new Date(now()).toISOString() };
    recordAttempt(attempt);
    try {
      await solicitations.createProductReviewAndSellerFeedbackSolicitation(order);
    } catch (error) {
      if (attempted === undefined || !(error instanceof SpApiError) || error.kind !== 'already-solicited') {
        throw failure('solicitation failed', order, error);
      }
      count(METRICS.solicitationsSent);
      logger.info('solicited: Amazon refuses a second send after an attempt whose reply was lost', {
        amazonOrderId: order.amazonOrderId,
        sentAt: attempted.sendAttemptedAt,
      });
      return { at: attempted.sendAttemptedAt, replyLost: true };
    }
    count(METRICS.solicitationsSent);
    logger.info('solicited', { amazonOrderId: order.amazonOrderId });
    return { at: attempt.sendAttemptedAt, replyLost: false };
  }

  /** No Solicitations call begins past the order's last call instant (docs/spec.md "Eligibility checks"). */
  function requireTimeLeft(order: OrderRef, operation: string): void {
    if (order.lastCallAt === undefined || now() <= Date.parse(order.lastCallAt)) return;
    const message = `${operation} not called: the window leaves no time for it (last call at ${order.lastCallAt})`;
    logger.info(message, { amazonOrderId: order.amazonOrderId });
    throw ApplicationFailure.create({ type: FailureType.WindowClosing, message, nonRetryable: true });
  }

  /** Through the activity's meter, which labels the count with the namespace, task queue and activity type. */
  function count(metric: { name: string; description: string }, tags: Record<string, string> = {}) {
    metricMeter.createCounter(metric.name, undefined, metric.description).add(1, tags);
  }

  function failure(message: string, order: OrderRef, error: unknown) {
    const applicationFailure = toApplicationFailure(error);
    // 429s are part of normal operation under Amazon's 1 request/s limit.
    const level = applicationFailure.type === FailureType.Throttled ? 'debug' : 'warn';
    logger[level](message, {
      amazonOrderId: order.amazonOrderId,
      type: applicationFailure.type,
      error: applicationFailure.message,
    });
    return applicationFailure;
  }
}

/** The send attempt an earlier attempt of this activity recorded, if any. */
function previousAttempt(): SendAttempt | undefined {
  const details: unknown = activityContext()?.info.heartbeatDetails;
  const at = (details as Partial<SendAttempt> | undefined)?.sendAttemptedAt;
  return typeof at === 'string' ? { sendAttemptedAt: at } : undefined;
}

/** The first heartbeat of an attempt reaches the server at once: it outlives a worker killed mid-POST. */
function recordAttempt(attempt: SendAttempt): void {
  activityContext()?.heartbeat(attempt);
}

/** The running activity's context; none when the functions are called directly (unit tests). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
