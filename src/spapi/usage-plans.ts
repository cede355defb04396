/**
 * Amazon's default usage plans (requests per second) of the operations this product calls, from the
 * models' "Usage Plan" tables. They serve the retry delay of a 429 when Amazon does not send
 * `x-amzn-RateLimit-Limit` (the models say it is no longer returned with 429s), and the pace of
 * `solicit backfill`, a one-off process and the product's only caller of `searchOrders`.
 *
 * The client itself never waits for a rate limit. Pacing is decided elsewhere, on purpose: every SP-API
 * activity runs on its own task queue (`spApiTaskQueue` in src/domain/contract.ts) with the fairness key
 * `<sellerId>:<operation>`, and that queue is configured with a per-key rate limit of SPAPI_MAX_RPS
 * (src/temporal/spapi-task-queue.ts). The Temporal server enforces it for the deployment as a whole, so
 * each seller stays under Amazon's 1 request/s however many workers run, and a burst of windows opening
 * together waits as durable tasks in the queue. A per-process limiter would multiply the rate by the
 * number of workers, forget its state on every restart, and hold waiting calls in memory where a crash
 * loses track of them.
 */
export const DEFAULT_RATE_PER_SECOND: Readonly<Record<string, number>> = {
  getSolicitationActionsForOrder: 1,
  createProductReviewAndSellerFeedbackSolicitation: 1,
  getDestinations: 1,
  createDestination: 1,
  getSubscription: 1,
  createSubscription: 1,
  deleteSubscriptionById: 1,
  searchOrders: 0.0056,
};

/** The burst (requests allowed at once) of the operations the product paces on its own. */
export const DEFAULT_BURST: Readonly<Record<string, number>> = {
  searchOrders: 20,
};

/** LWA publishes no rate; one second is a polite wait. */
const FALLBACK_RATE_PER_SECOND = 1;

/**
 * The delay until the token bucket behind a 429 holds one token again: one request's share of a second at
 * the rate Amazon applied (`x-amzn-RateLimit-Limit`, requests per second), or at the operation's default.
 */
export function retryAfterMs(operation: string, rateLimitHeader: string | null | undefined): number {
  const announced = rateLimitHeader === null || rateLimitHeader === undefined ? NaN : Number(rateLimitHeader.trim());
  const rate =
    Number.isFinite(announced) && announced > 0
      ? announced
      : (DEFAULT_RATE_PER_SECOND[operation] ?? FALLBACK_RATE_PER_SECOND);
  return Math.ceil(1000 / rate);
}
