import { metricMeter } from '@temporalio/activity';
import type { Logger } from '../logging';
import { METRICS } from '../domain/metrics';
import { PRODUCT_REVIEW_ACTION, type SolicitationsApi } from '../spapi/solicitations';
import { FailureType, type OrderRef } from '../domain/contract';
import { toApplicationFailure } from './failures';

export interface ActivityDependencies {
  solicitations: SolicitationsApi;
  logger: Logger;
}

export interface Eligibility {
  /** Amazon offers `productReviewAndSellerFeedback` for the order now. */
  offered: boolean;
  /** Every action Amazon offered, for the history's sake. */
  actions: string[];
}

/**
 * The workflow's two SP-API activities. They run on the SP-API task queue, whose server-side rate limit
 * paces them; each attempt makes exactly one Solicitations call and classifies its failure.
 */
export function createActivities({ solicitations, logger }: ActivityDependencies) {
  return {
    async checkEligibility(order: OrderRef): Promise<Eligibility> {
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
    },

    async solicit(order: OrderRef): Promise<void> {
      try {
        await solicitations.createProductReviewAndSellerFeedbackSolicitation(order);
      } catch (error) {
        throw failure('solicitation failed', order, error);
      }
      count(METRICS.solicitationsSent);
      logger.info('solicited', { amazonOrderId: order.amazonOrderId });
    },
  };

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
