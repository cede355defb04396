import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { decimalSetting } from '../config/bounds';
import { durationMs } from '../config/policy';

export const DEFAULT_RECONCILE_INTERVAL = '24 hours';
export const DEFAULT_RECONCILE_DAYS = 3;
const MINUTE_MS = 60_000;
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

/** RECONCILE_INTERVAL, RECONCILE_DAYS (SPEC "Configuration"): the `reconcile-orders` schedule, or none (`off`). */
export const reconcileScheduleSettings = {
  RECONCILE_INTERVAL: z
    .string()
    .default(DEFAULT_RECONCILE_INTERVAL)
    .refine((value) => value === 'off' || (/[a-z]/i.test(value) && durationMs(value as '1m') !== undefined), {
      error: "must be a duration with a unit, such as '24 hours' or '6h', or 'off'",
    })
    .refine((value) => value === 'off' || (durationMs(value as '1m') ?? 0) >= MINUTE_MS, {
      error: 'must be at least 1 minute',
    })
    .transform((value) => value as Duration | 'off'),
  RECONCILE_DAYS: reconcileDays.default(DEFAULT_RECONCILE_DAYS),
};

/** SPAPI_SELLER_ID: with a single LWA_REFRESH_TOKEN, the seller it belongs to; a refresh token does not say. */
export const sellerIdSetting = {
  SPAPI_SELLER_ID: z
    .string()
    .regex(/^[A-Z0-9]{1,32}$/, { error: 'must be a seller ID (merchant token), such as A1B2C3D4E5F6G7' })
    .optional(),
};

/** Amazon's `searchOrders` allowance for each seller (orders_2026-01-01.json): a page every three minutes. */
export const DEFAULT_SEARCH_ORDERS_RPS = 0.0056;

/**
 * SPAPI_SEARCH_ORDERS_RPS (docs/spec.md "SP-API pacing"): `searchOrders` requests per second for each
 * seller, across all workers, set on the `searchOrders` task queue. Amazon's allowance is well under the
 * Solicitations operations' 0.01 floor, hence a range of its own.
 */
export const searchOrdersPacingSettings = {
  SPAPI_SEARCH_ORDERS_RPS: decimalSetting({ min: 0.0001, max: 100, unit: 'requests per second' }).default(
    DEFAULT_SEARCH_ORDERS_RPS,
  ),
};
