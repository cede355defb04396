/**
 * When the next regular eligibility check is due, as a pure function of the order's window, its policy
 * and the last regular check. Deterministic (the workflow calls it); send hours can wrap its result.
 *
 * Two schedules, chosen by `policy.checkSchedule`:
 * - `daily` (an absent field, so orders started before the field existed replay unchanged): at the
 *   window's opening, then every re-check interval.
 * - `window-aware`: at the window's opening, which is Amazon's opening when the parcel arrived on the
 *   earliest promised date. Amazon's window follows the actual delivery, so when Amazon gave the dates
 *   the next check is at the latest delivery date + the opening delay, when Amazon's window is open
 *   whatever the delivery day; only then every re-check interval. An estimated window (FBA: no dates)
 *   says little about the delivery, so its re-checks come after one interval, then two, four and so
 *   on, until the latest estimated delivery + the opening delay, and every interval from there.
 */
import type { CheckSchedule, SolicitationPolicy } from './contract';
import { policyDurationMs, recheckIntervalMs, type SolicitationWindow } from './window';

export const DEFAULT_CHECK_SCHEDULE: CheckSchedule = 'daily';

export function nextCheckAt(
  window: SolicitationWindow,
  policy: SolicitationPolicy,
  lastRegularCheckAt: number | undefined,
): number {
  const intervalMs = recheckIntervalMs(policy);
  if (lastRegularCheckAt === undefined || lastRegularCheckAt < window.solicitAfter) return window.solicitAfter;
  if ((policy.checkSchedule ?? DEFAULT_CHECK_SCHEDULE) === 'daily') {
    return nextSlot(window.solicitAfter, intervalMs, lastRegularCheckAt);
  }
  const surelyOpen = surelyOpenAt(window, policy);
  if (lastRegularCheckAt >= surelyOpen) return nextSlot(surelyOpen, intervalMs, lastRegularCheckAt);
  if (!window.estimated) return surelyOpen;
  // Gaps of 1, 2, 4... intervals from the opening: few calls while the delivery is unknown.
  let gapMs = intervalMs;
  let slot = window.solicitAfter + gapMs;
  while (slot <= lastRegularCheckAt) {
    gapMs *= 2;
    slot += gapMs;
  }
  return Math.min(slot, surelyOpen);
}

/**
 * Amazon's window is open from here whatever the actual delivery: the latest delivery date (given or
 * estimated) + the opening delay. Never before the window's opening.
 */
export function surelyOpenAt(window: SolicitationWindow, policy: SolicitationPolicy): number {
  const latestDelivery = window.solicitBefore - policyDurationMs(policy, 'windowClosesAfterLatestDelivery');
  return Math.max(window.solicitAfter, latestDelivery + policyDurationMs(policy, 'windowOpensAfterEarliestDelivery'));
}

/** The first of `anchor + k × interval` (k ≥ 1) after `last`: a slow or late check never shifts the slots. */
function nextSlot(anchor: number, intervalMs: number, last: number): number {
  return anchor + (Math.floor((last - anchor) / intervalMs) + 1) * intervalMs;
}
