import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { durationToMs } from '../domain/duration';

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

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
// The upper bounds keep every instant the workflow computes from these far inside what a Date holds.
/** A duration with a unit from `minimum` to `maximum`; unset stays undefined. */
export function durationSetting(minimum: [ms: number, text: string], maximum: [ms: number, text: string]) {
  return z
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
}
