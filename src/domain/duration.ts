/**
 * Temporal duration strings ('5 days', '24h') to milliseconds, read with the `ms` parser Temporal itself
 * uses, so a policy means to the workflow exactly what it meant to the SDK when the order was started.
 */
import type { Duration } from '@temporalio/common';
import ms from 'ms';

/** Milliseconds of a duration; a number is milliseconds already. Throws for text that is no duration. */
export function durationToMs(value: Duration): number {
  if (typeof value === 'number') return value;
  const millis = ms(value);
  if (millis == null || Number.isNaN(millis)) throw new TypeError(`Invalid duration string: '${String(value)}'`);
  return millis;
}
