import { z } from 'zod';

/**
 * Numeric settings as plain decimals within a range each setting states. `Number()` alone takes
 * `1e-300`, `0x10`, `Infinity` or ` 1 `, which would pass a positivity check and fail later, far from
 * the variable; these refuse them at start with one line naming the variable (never the value).
 */

/** A plain decimal number (`2`, `0.5`, `10.25`) from `min` to `max`, in the unit named. */
export function decimalSetting(bounds: { min: number; max: number; unit: string }) {
  const message = `must be a plain decimal number of ${bounds.unit} from ${bounds.min} to ${bounds.max}`;
  return z
    .string()
    .refine((value) => /^\d+(?:\.\d+)?$/.test(value), { message })
    .transform(Number)
    .refine((value) => value >= bounds.min && value <= bounds.max, { message });
}

/** SP-API requests per second: Amazon's allowances are a fraction of a request to a few dozen a second. */
export const requestsPerSecondSetting = decimalSetting({ min: 0.01, max: 100, unit: 'requests per second' });
