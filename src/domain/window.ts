/**
 * Amazon's solicitation window and the eligibility-check schedule, as pure functions of their inputs.
 * Shared by the workflow (so it must stay deterministic: no clock, no I/O, no Node built-ins) and by client
 * code that validates an order or describes it before starting its workflow.
 */
import type { Duration } from '@temporalio/common';
import { durationToMs } from './duration';
import type { SolicitationPolicy } from './contract';

export interface OrderDates {
  shippedAt: string;
  earliestDeliveryDate?: string;
  latestDeliveryDate?: string;
}

/** Instants in epoch milliseconds. */
export interface SolicitationWindow {
  /** Amazon opens the window here: the first regular eligibility check. */
  solicitAfter: number;
  /** Amazon closes the window here: no Solicitations call at or after it. */
  solicitBefore: number;
  /** A delivery date was missing (always so for FBA orders) and was estimated from the ship time. */
  estimated: boolean;
}

/** An order or policy the window cannot be computed from. The message names the field. */
export class InvalidOrderInputError extends Error {
  override name = 'InvalidOrderInputError';
}

// Date-time with an explicit zone: a bare local time would be read differently on hosts in other zones.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Epoch milliseconds of an ISO-8601 date-time such as Amazon's `2024-05-02T07:00:00Z`. */
export function parseInstant(value: unknown, field: string): number {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  const instant = match && isCalendarTime(match) ? Date.parse(match[0]) : Number.NaN;
  if (Number.isNaN(instant)) {
    throw new InvalidOrderInputError(
      `${field} must be an ISO-8601 date-time with a zone, got ${JSON.stringify(value)}`,
    );
  }
  return instant;
}

// Date.parse rolls 2024-02-30 over into March instead of rejecting it.
function isCalendarTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return (
    utc.getUTCFullYear() === year &&
    utc.getUTCMonth() === month - 1 &&
    utc.getUTCDate() === day &&
    utc.getUTCHours() === hour &&
    utc.getUTCMinutes() === minute
  );
}

/** Milliseconds of a policy duration; `positive` rejects zero as well as negative durations. */
export function policyDurationMs(policy: SolicitationPolicy, key: keyof SolicitationPolicy, positive = false): number {
  const value: unknown = policy?.[key];
  let ms: number;
  try {
    ms = durationToMs(value as Duration);
  } catch {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms) || ms < 0 || (positive && ms === 0)) {
    const expected = positive ? 'a positive duration' : 'a duration';
    throw new InvalidOrderInputError(
      `policy.${key} must be ${expected} such as '5 days', got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/**
 * `solicitAfter = earliestDeliveryDate + 5 days`, `solicitBefore = latestDeliveryDate + 30 days` (the policy's
 * delays). A missing delivery date is estimated from the ship time with the policy's estimates.
 */
export function solicitationWindow(dates: OrderDates, policy: SolicitationPolicy): SolicitationWindow {
  const shippedAt = parseInstant(dates.shippedAt, 'shippedAt');
  const earliest =
    dates.earliestDeliveryDate === undefined
      ? shippedAt + policyDurationMs(policy, 'estimatedEarliestDeliveryAfterShip')
      : parseInstant(dates.earliestDeliveryDate, 'earliestDeliveryDate');
  const latest =
    dates.latestDeliveryDate === undefined
      ? shippedAt + policyDurationMs(policy, 'estimatedLatestDeliveryAfterShip')
      : parseInstant(dates.latestDeliveryDate, 'latestDeliveryDate');
  return {
    solicitAfter: earliest + policyDurationMs(policy, 'windowOpensAfterEarliestDelivery'),
    solicitBefore: latest + policyDurationMs(policy, 'windowClosesAfterLatestDelivery'),
    estimated: dates.earliestDeliveryDate === undefined || dates.latestDeliveryDate === undefined,
  };
}

/** The re-check interval, which must be positive so that re-checks always move forward. */
export function recheckIntervalMs(policy: SolicitationPolicy): number {
  return policyDurationMs(policy, 'recheckInterval', true);
}
