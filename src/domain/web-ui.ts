/**
 * What the Temporal Web UI says about an order, in words: the static summary and details set by whoever
 * starts the workflow, and the current details the workflow keeps up to date. Pure and deterministic, so
 * that both the workflow and client code use it.
 */
import type { ReviewSolicitationInput, SolicitationPolicy, SolicitationStatus } from './contract';
import { solicitationWindow, type SolicitationWindow } from './window';

/** `2024-05-09 07:00 UTC`: minutes are as precise as an operator needs. */
export function formatInstant(instant: number | string): string {
  const iso = new Date(instant).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * `staticSummary` and `staticDetails` for `client.workflow.start`, describing the order and its window as
 * started (the window computed from `input` unless the caller has it). Throws `InvalidOrderInputError` for an
 * input the workflow would reject.
 */
export function workflowStartSummary(
  input: ReviewSolicitationInput,
  window: SolicitationWindow = solicitationWindow(input, input.policy),
): { staticSummary: string; staticDetails: string } {
  const delivery =
    input.earliestDeliveryDate !== undefined && input.latestDeliveryDate !== undefined
      ? `${formatInstant(input.earliestDeliveryDate)} to ${formatInstant(input.latestDeliveryDate)}`
      : 'not given by Amazon; the window is estimated from the ship time';
  return {
    staticSummary:
      `Review request for order ${input.amazonOrderId} (${input.marketplaceId}), ` +
      `window ${formatInstant(window.solicitAfter)} to ${formatInstant(window.solicitBefore)}`,
    staticDetails: [
      `Order: ${input.amazonOrderId}`,
      `Marketplace: ${input.marketplaceId}`,
      `Seller: ${input.sellerId}`,
      `Fulfillment: ${input.fulfillmentChannel}, shipped ${formatInstant(input.shippedAt)}`,
      `Delivery: ${delivery}`,
      `Window at start: opens ${formatInstant(window.solicitAfter)}, closes ${formatInstant(window.solicitBefore)}`,
      checksLine(input.policy),
    ].join('\n'),
  };
}

/** The workflow's current details: what the order is waiting for, or why it ended. */
export function currentDetails(status: SolicitationStatus): string {
  const closes = formatInstant(status.solicitBefore);
  const estimated = status.windowEstimated ? ' (estimated from the ship time)' : '';
  switch (status.phase) {
    case 'waiting': {
      if (status.nextCheckAt === undefined) {
        const last = status.checks === 0 ? 'No' : `Amazon did not offer the action (check ${status.checks}); no`;
        return `${last} check is left before the window closes on ${closes}${estimated}.`;
      }
      const next = formatInstant(status.nextCheckAt);
      if (status.checks > 0) {
        return `Amazon did not offer the action (check ${status.checks}); next check on ${next}; the window closes on ${closes}${estimated}.`;
      }
      // A spread first check comes a little after the opening: say both.
      const opens = formatInstant(status.solicitAfter);
      return opens === next
        ? `Waiting for Amazon's window to open on ${next}; it closes on ${closes}${estimated}.`
        : `Waiting for Amazon's window to open on ${opens} (first check on ${next}); it closes on ${closes}${estimated}.`;
    }
    case 'checking':
      return `Asking Amazon whether it offers the review request (check ${status.checks + 1}).`;
    case 'blocked':
      return `Blocked: ${status.reason ?? 'Amazon refused a credential'}.`;
    case 'solicited':
      return status.solicitedAt === undefined ? 'Solicited.' : `Solicited at ${formatInstant(status.solicitedAt)}.`;
    case 'already-solicited':
      return `Amazon says the order was already solicited: ${status.reason ?? 'no reason given'}`;
    case 'expired':
      return `Expired: ${status.reason ?? `the window closed on ${closes}`}`;
    case 'cancelled':
      return `Cancelled: ${status.reason ?? 'no reason given'}`;
    case 'failed':
      return `Failed: ${status.reason ?? 'no reason given'}`;
    case 'dry-run':
      return `Dry run: ${status.reason ?? 'not sent'}`;
  }
}

function checksLine(policy: SolicitationPolicy): string {
  const recheck = `every ${String(policy.recheckInterval)} while Amazon does not offer the review request`;
  if (policy.checkSchedule !== 'window-aware') return `Checks: when the window opens, then ${recheck}`;
  const spread = policy.spread === undefined ? '' : `; each shifted by up to ${String(policy.spread)} for this order`;
  if (policy.maxRecheckGap === undefined) {
    return `Checks: when the window opens, when it is open whatever the delivery day, then ${recheck}${spread}`;
  }
  return (
    `Checks: when the window opens, when it is open whatever the delivery day, then 1, 2, 4... × ` +
    `${String(policy.recheckInterval)} apart (at most ${String(policy.maxRecheckGap)}) while Amazon does not offer ` +
    `the review request, and on the window's last day${spread}`
  );
}
