import type { Duration } from '@temporalio/common';
import { DEFAULT_POLICY, type CheckSchedule, type SolicitationPolicy } from '../domain/contract';
import { durationMs } from './duration';
import { parseEnv, type Env } from './env';
import { DEFAULT_SPREAD, settingsSchema } from './settings';

/** Once Amazon's window is surely open, re-checks back off to at most this far apart. */
const NEW_ORDERS_MAX_RECHECK_GAP: Duration = '7 days';

/**
 * The timing rules new orders are started with (running orders keep the policy in their input).
 * Amazon's window itself (5 days after the earliest delivery, 30 days after the latest) is Amazon's
 * rule, not a setting: only the estimates for orders without delivery dates and the re-check pace are.
 */
const NEW_ORDERS_CHECK_SCHEDULE: CheckSchedule = 'window-aware';

/** The settings of the solicitation policy of new workflows. */
export const POLICY_SETTINGS = [
  'SOLICIT_RECHECK_INTERVAL',
  'SOLICIT_ESTIMATED_EARLIEST_DELIVERY',
  'SOLICIT_ESTIMATED_LATEST_DELIVERY',
  'SOLICIT_DRY_RUN',
  'SOLICIT_SEND_HOURS',
  'SOLICIT_SPREAD',
] as const;

const policySchema = settingsSchema(...POLICY_SETTINGS)
  .transform((settings) => ({
    ...DEFAULT_POLICY,
    // New orders spend fewer SP-API calls for the same outcome; orders started without it stay daily.
    checkSchedule: NEW_ORDERS_CHECK_SCHEDULE,
    maxRecheckGap: NEW_ORDERS_MAX_RECHECK_GAP,
    // One activity checks and sends, and no call begins in the window's last 30 seconds.
    checkAndSend: true,
    recheckInterval: settings.SOLICIT_RECHECK_INTERVAL ?? DEFAULT_POLICY.recheckInterval,
    estimatedEarliestDeliveryAfterShip:
      settings.SOLICIT_ESTIMATED_EARLIEST_DELIVERY ?? DEFAULT_POLICY.estimatedEarliestDeliveryAfterShip,
    estimatedLatestDeliveryAfterShip:
      settings.SOLICIT_ESTIMATED_LATEST_DELIVERY ?? DEFAULT_POLICY.estimatedLatestDeliveryAfterShip,
    // Left out at their defaults, so that an order's input carries only the rules that change something.
    ...(settings.SOLICIT_DRY_RUN === true && { dryRun: true }),
    ...(settings.SOLICIT_SEND_HOURS !== undefined && { sendHours: settings.SOLICIT_SEND_HOURS }),
    ...(settings.SOLICIT_SPREAD !== null && { spread: settings.SOLICIT_SPREAD ?? DEFAULT_SPREAD }),
  }))
  .refine(
    (policy) =>
      (durationMs(policy.estimatedLatestDeliveryAfterShip) ?? 0) >=
      (durationMs(policy.estimatedEarliestDeliveryAfterShip) ?? 0),
    {
      path: ['SOLICIT_ESTIMATED_LATEST_DELIVERY'],
      message: 'must not be shorter than SOLICIT_ESTIMATED_EARLIEST_DELIVERY',
    },
  );

/** The policy new orders get: SOLICIT_* variables over DEFAULT_POLICY. Throws ConfigError naming the variable. */
export function policyFromEnv(env: Env = process.env): SolicitationPolicy {
  return parseEnv(policySchema, env);
}
