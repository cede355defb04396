/**
 * When a scheduled eligibility check may run, given the order's send hours (docs/spec.md: `SOLICIT_SEND_HOURS`).
 * Applied to the time the check schedule gives, so the schedule itself knows nothing of the hours.
 *
 * Safe inside the workflow sandbox: a pure function of its arguments (no clock), so replay decides the same.
 */
import type { SolicitationPolicy } from './contract';
import { marketplaceZone } from './marketplaces';
import { sendableAt } from './send-hours';

/** A marketplace the product does not know has no zone of its own: its hours are read in UTC. */
export const UNKNOWN_MARKETPLACE_ZONE = 'UTC';

export interface ScheduledCheck {
  /** When the schedule wants the check. */
  due: number;
  /** When the last regular check ran, if one did. */
  lastCheckAt: number | undefined;
  solicitBefore: number;
}

/**
 * The instant the check runs: `due` without send hours or inside them, otherwise the next opening. When
 * Amazon's window closes before the next opening, the last opening before the close counts: a check runs at
 * once unless one already ran since that opening; then none is left and the result is `solicitBefore`.
 */
export function checkTimeWithinSendHours(
  check: ScheduledCheck,
  policy: SolicitationPolicy,
  marketplaceId: string,
): number {
  const { due, lastCheckAt, solicitBefore } = check;
  if (policy.sendHours === undefined || due >= solicitBefore) return due;
  const zone = marketplaceZone(marketplaceId) ?? UNKNOWN_MARKETPLACE_ZONE;
  const at = sendableAt(due, policy.sendHours, zone, solicitBefore);
  if (at < due && lastCheckAt !== undefined && lastCheckAt >= at) return solicitBefore;
  return at;
}
