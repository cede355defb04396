/**
 * The product's own metrics, beside the Temporal SDK's `temporal_*` ones. They go through the SDK's
 * metric meters, so `solicit worker` exports both to Prometheus when METRICS_ADDRESS is set. Names carry
 * their `_total` suffix: the exporter adds none.
 *
 * Safe inside the workflow sandbox: it imports types only.
 */
import type { MetricMeter } from '@temporalio/common';

export const METRICS = {
  solicitationsSent: {
    name: 'solicitations_sent_total',
    description: 'Review requests Amazon accepted (createProductReviewAndSellerFeedbackSolicitation answered 2xx)',
  },
  outcomes: {
    name: 'solicitation_outcomes_total',
    description:
      'Orders whose workflow ended, by outcome: solicited, already-solicited, expired, cancelled, failed, dry-run',
  },
  eligibilityChecks: {
    name: 'eligibility_checks_total',
    description:
      'Eligibility checks Amazon answered, by whether it offered the review request (offered="true"|"false")',
  },
  reconcileStarted: {
    name: 'reconcile_orders_started_total',
    description:
      'Shipped orders reconciliation found without a workflow and started, by seller: notifications that never came',
  },
  reconcileLastSuccess: {
    name: 'reconcile_last_success_timestamp_seconds',
    description:
      "End of each seller's last completed reconciliation sweep (all its regions), in seconds since the epoch, by seller",
  },
  spApiResponses: {
    name: 'spapi_responses_total',
    description:
      'SP-API and LWA responses by operation (LWA token requests as "lwa") and HTTP status; status="none" when ' +
      'no response came (network, timeout)',
  },
  credentialRefusals: {
    name: 'spapi_credential_refusals_total',
    description:
      'Credentials Amazon refused (LWA, or SP-API access denied after a token refresh), by seller ID; ' +
      'seller="app" for the app\'s client credentials',
  },
} as const;

/** What the SP-API client reports of each request: the operation and its HTTP status, if one came. */
export type SpApiResponseObserver = (response: { operation: string; status: number | undefined }) => void;

/** Counts every SP-API response in `spapi_responses_total{operation,status}`. */
export function countSpApiResponses(meter: MetricMeter): SpApiResponseObserver {
  const counter = meter.createCounter(METRICS.spApiResponses.name, undefined, METRICS.spApiResponses.description);
  return ({ operation, status }) =>
    counter.add(1, { operation, status: status === undefined ? 'none' : String(status) });
}

/** Counts every refusal Amazon answered in `spapi_credential_refusals_total{seller}` (`app` for the client secret). */
export function countCredentialRefusals(
  meter: MetricMeter,
): (owner: { kind: 'app' } | { kind: 'seller'; sellerId: string }) => void {
  const { name, description } = METRICS.credentialRefusals;
  const counter = meter.createCounter(name, undefined, description);
  return (owner) => counter.add(1, { seller: owner.kind === 'app' ? 'app' : owner.sellerId });
}
