import type { Duration } from '@temporalio/common';
import { durationToMs } from '../domain/duration';
import { z } from 'zod';
import { DEFAULT_POLICY, type CheckSchedule, type SolicitationPolicy } from '../domain/contract';
import { parseSendHours } from '../domain/send-hours';
import { booleanFlag, parseEnv, type Env } from './env';

/** `SOLICIT_SPREAD`'s default: a marketplace's day of checks spread over an hour. */
const DEFAULT_SPREAD: Duration = '1 hour';
/** Once Amazon's window is surely open, re-checks back off to at most this far apart. */
const NEW_ORDERS_MAX_RECHECK_GAP: Duration = '7 days';

/**
 * The timing rules new orders are started with (running orders keep the policy in their input).
 * Amazon's window itself (5 days after the earliest delivery, 30 days after the latest) is Amazon's
 * rule, not a setting: only the estimates for orders without delivery dates and the re-check pace are.
 */
export const POLICY_VARIABLES = {
  SOLICIT_RECHECK_INTERVAL: `while Amazon does not offer the action, check again after this long (default ${String(DEFAULT_POLICY.recheckInterval)})`,
  SOLICIT_ESTIMATED_EARLIEST_DELIVERY: `without delivery dates (FBA): earliest delivery = ship time + this (default ${String(DEFAULT_POLICY.estimatedEarliestDeliveryAfterShip)})`,
  SOLICIT_ESTIMATED_LATEST_DELIVERY: `without delivery dates (FBA): latest delivery = ship time + this (default ${String(DEFAULT_POLICY.estimatedLatestDeliveryAfterShip)})`,
  SOLICIT_DRY_RUN: "'true': new orders check eligibility but never send; they end dry-run (default false)",
  SOLICIT_SEND_HOURS: "HH:MM-HH:MM in each marketplace's local time: checks and sends only then (default any time)",
  SOLICIT_SPREAD: `scheduled checks are shifted by a stable per-order offset below this, so that orders with the same dates do not wake together; '0' for none (default ${DEFAULT_SPREAD})`,
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

const DAY_MS = 24 * 60 * MINUTE_MS;

// A bare number would be milliseconds to Temporal and seconds or days to a reader: ask for the unit.
// The upper bounds keep every instant the workflow computes from these far inside what a Date holds.
const duration = (minimum: [ms: number, text: string], maximum: [ms: number, text: string]) =>
  z
    .string()
    .refine((value) => /[a-z]/i.test(value) && durationMs(value as Duration) !== undefined, {
      message: "must be a duration with a unit, such as '24 hours', '10 days' or '90m'",
    })
    .refine((value) => (durationMs(value as Duration) ?? 0) >= minimum[0], {
      message: `must be at least ${minimum[1]}`,
    })
    .refine((value) => (durationMs(value as Duration) ?? 0) <= maximum[0], {
      message: `must be at most ${maximum[1]}`,
    })
    .transform((value) => value as Duration)
    .optional();

// '0' (no spread) needs no unit: it means the same in any.
const spreadSetting = z
  .string()
  .refine(
    (value) => /^0+$/.test(value.trim()) || (/[a-z]/i.test(value) && durationMs(value as Duration) !== undefined),
    {
      message: "must be a duration with a unit, such as '1 hour' or '30m', or '0' for none",
    },
  )
  .refine((value) => (durationMs(value.trim() as Duration) ?? 0) <= DAY_MS, { message: 'must be at most 1 day' })
  // null, not undefined: '0' is a choice, an unset variable takes the default.
  .transform((value) => (/^0+$/.test(value.trim()) ? null : (value.trim() as Duration)))
  .optional();

const sendHoursSetting = z
  .string()
  .transform((value, context) => {
    const hours = parseSendHours(value);
    if (hours === undefined) {
      context.addIssue({
        code: 'custom',
        message: "must be HH:MM-HH:MM on a 24-hour clock, such as '09:00-21:00' (unset: any time)",
      });
      return z.NEVER;
    }
    return hours;
  })
  .optional();

const policySchema = z
  .object({
    SOLICIT_RECHECK_INTERVAL: duration([MINUTE_MS, '1 minute'], [30 * DAY_MS, '30 days']),
    SOLICIT_ESTIMATED_EARLIEST_DELIVERY: duration([0, '0s'], [60 * DAY_MS, '60 days']),
    SOLICIT_ESTIMATED_LATEST_DELIVERY: duration([0, '0s'], [60 * DAY_MS, '60 days']),
    SOLICIT_DRY_RUN: booleanFlag.optional(),
    SOLICIT_SEND_HOURS: sendHoursSetting,
    SOLICIT_SPREAD: spreadSetting,
  })
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
