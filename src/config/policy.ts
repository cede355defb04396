import type { Duration } from '@temporalio/common';
import { durationToMs } from '../domain/duration';
import { z } from 'zod';
import { DEFAULT_POLICY, type CheckSchedule, type SolicitationPolicy } from '../domain/contract';
import { parseEnv, type Env } from './env';

/**
 * The timing rules new orders are started with (running orders keep the policy in their input).
 * Amazon's window itself (5 days after the earliest delivery, 30 days after the latest) is Amazon's
 * rule, not a setting: only the estimates for orders without delivery dates and the re-check pace are.
 */
export const POLICY_VARIABLES = {
  SOLICIT_RECHECK_INTERVAL: `while Amazon does not offer the action, check again after this long (default ${String(DEFAULT_POLICY.recheckInterval)})`,
  SOLICIT_ESTIMATED_EARLIEST_DELIVERY: `without delivery dates (FBA): earliest delivery = ship time + this (default ${String(DEFAULT_POLICY.estimatedEarliestDeliveryAfterShip)})`,
  SOLICIT_ESTIMATED_LATEST_DELIVERY: `without delivery dates (FBA): latest delivery = ship time + this (default ${String(DEFAULT_POLICY.estimatedLatestDeliveryAfterShip)})`,
} as const;

const MINUTE_MS = 60_000;
const NEW_ORDERS_CHECK_SCHEDULE: CheckSchedule = 'window-aware';

/** Parsed the way Temporal parses durations ('24 hours', '1d', '90m'), so the workflow reads the same value. */
export function durationMs(value: Duration): number | undefined {
  try {
    const millis = durationToMs(value);
    return Number.isFinite(millis) ? millis : undefined;
  } catch {
    return undefined;
  }
}

// A bare number would be milliseconds to Temporal and seconds or days to a reader: ask for the unit.
const duration = (minimumMs: number, minimumText: string) =>
  z
    .string()
    .refine((value) => /[a-z]/i.test(value) && durationMs(value as Duration) !== undefined, {
      message: "must be a duration with a unit, such as '24 hours', '10 days' or '90m'",
    })
    .refine((value) => (durationMs(value as Duration) ?? 0) >= minimumMs, {
      message: `must be at least ${minimumText}`,
    })
    .transform((value) => value as Duration)
    .optional();

const policySchema = z
  .object({
    SOLICIT_RECHECK_INTERVAL: duration(MINUTE_MS, '1 minute'),
    SOLICIT_ESTIMATED_EARLIEST_DELIVERY: duration(0, '0s'),
    SOLICIT_ESTIMATED_LATEST_DELIVERY: duration(0, '0s'),
  })
  .transform((settings) => ({
    ...DEFAULT_POLICY,
    // New orders spend fewer SP-API calls for the same outcome; orders started without it stay daily.
    checkSchedule: NEW_ORDERS_CHECK_SCHEDULE,
    recheckInterval: settings.SOLICIT_RECHECK_INTERVAL ?? DEFAULT_POLICY.recheckInterval,
    estimatedEarliestDeliveryAfterShip:
      settings.SOLICIT_ESTIMATED_EARLIEST_DELIVERY ?? DEFAULT_POLICY.estimatedEarliestDeliveryAfterShip,
    estimatedLatestDeliveryAfterShip:
      settings.SOLICIT_ESTIMATED_LATEST_DELIVERY ?? DEFAULT_POLICY.estimatedLatestDeliveryAfterShip,
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
