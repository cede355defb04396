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
 *
 * With `policy.maxRecheckGap`, the window-aware schedule backs off once Amazon's window is surely open
 * (docs/spec.md "Eligibility checks"): re-checks 1, 2, 4... intervals apart from there, never more than the
 * gap apart, plus one last check on the window's final day. An estimated window already backs off from its
 * opening, so its gaps keep growing through the estimated latest delivery instead of starting over.
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
  if (policy.maxRecheckGap !== undefined) {
    return backingOff(
      window,
      surelyOpen,
      intervalMs,
      policyDurationMs(policy, 'maxRecheckGap', true),
      lastRegularCheckAt,
    );
  }
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

/** The last check falls this long before the window closes: on its final day. */
export const FINAL_CHECK_BEFORE_CLOSE_MS = 24 * 60 * 60 * 1000;

/**
 * Gaps of 1, 2, 4... intervals (never more than `maxGapMs`) from the opening of an estimated window or from
 * the instant a given window is surely open, and a last check on the window's final day. After that one, no
 * check is left: the result is the window's close.
 */
function backingOff(
  window: SolicitationWindow,
  surelyOpen: number,
  intervalMs: number,
  maxGapMs: number,
  last: number,
): number {
  if (!window.estimated && last < surelyOpen) return surelyOpen;
  let gapMs = Math.min(intervalMs, maxGapMs);
  let slot = (window.estimated ? window.solicitAfter : surelyOpen) + gapMs;
  while (slot <= last) {
    gapMs = Math.min(gapMs * 2, maxGapMs);
    slot += gapMs;
  }
  const finalCheck = window.solicitBefore - FINAL_CHECK_BEFORE_CLOSE_MS;
  if (last >= finalCheck) return window.solicitBefore;
  return Math.min(slot, finalCheck);
}

/** The first of `anchor + k × interval` (k ≥ 1) after `last`: a slow or late check never shifts the slots. */
function nextSlot(anchor: number, intervalMs: number, last: number): number {
  return anchor + (Math.floor((last - anchor) / intervalMs) + 1) * intervalMs;
}
