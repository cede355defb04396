import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OrderRef } from '../../src/domain/contract';
import type { SolicitationsApi } from '../../src/spapi/solicitations';

/**
 * The time-skipping server's clock, for the SP-API simulator (whose `now` is synchronous) and the client's
 * token cache. It holds the server time read last; `followServerTime` reads it again before every SP-API
 * call. That is exact enough: the server does not skip time while an activity is in flight, so its clock
 * moves in real time, by milliseconds, between the read and the simulator's answer.
 */
export interface ServerClock {
  now(): Date;
  nowMs(): number;
  refresh(): Promise<number>;
}

export async function serverClock(env: TestWorkflowEnvironment): Promise<ServerClock> {
  let at = await env.currentTimeMs();
  return {
    now: () => new Date(at),
    nowMs: () => at,
    async refresh() {
      at = Math.max(at, await env.currentTimeMs());
      return at;
    },
  };
}

/** The product's Solicitations client, with the clock brought up to the server's time before each call. */
export function followServerTime(api: SolicitationsApi, clock: ServerClock): SolicitationsApi {
  return {
    async getSolicitationActionsForOrder(order: OrderRef) {
      await clock.refresh();
      return api.getSolicitationActionsForOrder(order);
    },
    async createProductReviewAndSellerFeedbackSolicitation(order: OrderRef) {
      await clock.refresh();
      return api.createProductReviewAndSellerFeedbackSolicitation(order);
    },
  };
}
