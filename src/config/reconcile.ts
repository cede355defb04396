import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { durationMs, MINUTE_MS } from './duration';

export const DEFAULT_RECONCILE_INTERVAL = '24 hours';
export const DEFAULT_RECONCILE_DAYS = 3;
// Amazon keeps an order's data searchable for two years; a longer look-back is a typo.
const MAX_RECONCILE_DAYS = 730;

/** A whole number of days from 1 to 730, as RECONCILE_DAYS and `--days` take it. */
export const reconcileDays = z
  .string()
  .regex(/^\d+$/, { error: 'must be a whole number of days' })
  .transform(Number)
  .refine((days) => days >= 1 && days <= MAX_RECONCILE_DAYS, {
    error: `must be from 1 to ${MAX_RECONCILE_DAYS} days`,
  });

/** RECONCILE_INTERVAL (docs/spec.md "Configuration"): how often the `reconcile-orders` schedule runs, or none (`off`). */
export const reconcileIntervalSetting = z
  .string()
  .default(DEFAULT_RECONCILE_INTERVAL)
  .refine((value) => value === 'off' || (/[a-z]/i.test(value) && durationMs(value as '1m') !== undefined), {
    error: "must be a duration with a unit, such as '24 hours' or '6h', or 'off'",
  })
  .refine((value) => value === 'off' || (durationMs(value as '1m') ?? 0) >= MINUTE_MS, {
    error: 'must be at least 1 minute',
  })
  .transform((value) => value as Duration | 'off');
