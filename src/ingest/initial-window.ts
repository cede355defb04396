import type { ReviewSolicitationInput } from '../definitions';
import { durationMs } from '../config/policy';

export interface InitialWindow {
  solicitAfter: Date;
  solicitBefore: Date;
  /** True when a delivery date was missing and estimated from the ship time. */
  estimated: boolean;
}

/**
 * The window an order starts with, for the search attributes set at start (SPEC.md, "Window"): from
 * `policy.windowOpensAfterEarliestDelivery` after the earliest delivery to
 * `policy.windowClosesAfterLatestDelivery` after the latest, a missing delivery date being estimated
 * from the ship time. The workflow owns the window from then on (later notifications move it).
 */
export function initialWindow(input: ReviewSolicitationInput): InitialWindow {
  const { policy } = input;
  const shippedAt = Date.parse(input.shippedAt);
  const earliest = input.earliestDeliveryDate
    ? Date.parse(input.earliestDeliveryDate)
    : shippedAt + ms(policy.estimatedEarliestDeliveryAfterShip);
  const latest = input.latestDeliveryDate
    ? Date.parse(input.latestDeliveryDate)
    : shippedAt + ms(policy.estimatedLatestDeliveryAfterShip);
  return {
    solicitAfter: new Date(earliest + ms(policy.windowOpensAfterEarliestDelivery)),
    // One date given and the other estimated could cross; the window never closes before its earliest delivery.
    solicitBefore: new Date(Math.max(earliest, latest) + ms(policy.windowClosesAfterLatestDelivery)),
    estimated: !input.earliestDeliveryDate || !input.latestDeliveryDate,
  };
}

function ms(duration: ReviewSolicitationInput['policy']['recheckInterval']): number {
  const millis = durationMs(duration);
  if (millis === undefined) throw new TypeError(`invalid duration in policy: ${String(duration)}`);
  return millis;
}
