import { nextCheckAt, surelyOpenAt } from '../../../src/domain/check-schedule';
import { DEFAULT_POLICY, type SolicitationPolicy } from '../../../src/domain/contract';
import { solicitationWindow } from '../../../src/domain/window';
import { backingOffChecks } from '../../helpers/backing-off';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);

const daily: SolicitationPolicy = DEFAULT_POLICY;
const windowAware: SolicitationPolicy = { ...DEFAULT_POLICY, checkSchedule: 'window-aware' };

// Delivery promised from May 3 to May 6: Amazon's window opens between May 8 and May 11.
const mfn = {
  shippedAt: '2024-05-01T07:00:00Z',
  earliestDeliveryDate: '2024-05-03T07:00:00Z',
  latestDeliveryDate: '2024-05-06T07:00:00Z',
};
const fba = { shippedAt: '2024-05-01T07:00:00Z' };

describe('daily schedule (an absent checkSchedule)', () => {
  const window = solicitationWindow(mfn, daily);

  it('is the opening of the window before any regular check', () => {
    expect(nextCheckAt(window, daily, undefined)).toBe(at('2024-05-08T07:00:00Z'));
  });

  it('is the opening of a window that moved later than the last regular check', () => {
    expect(nextCheckAt(window, daily, window.solicitAfter - 1)).toBe(window.solicitAfter);
  });

  it('is the next slot of the schedule after the last regular check, to the millisecond', () => {
    expect(nextCheckAt(window, daily, window.solicitAfter)).toBe(window.solicitAfter + DAY);
    expect(nextCheckAt(window, daily, window.solicitAfter + 5)).toBe(window.solicitAfter + DAY);
    expect(nextCheckAt(window, daily, window.solicitAfter + DAY - 1)).toBe(window.solicitAfter + DAY);
    expect(nextCheckAt(window, daily, window.solicitAfter + DAY)).toBe(window.solicitAfter + 2 * DAY);
  });

  it('skips the slots a slow check overran', () => {
    expect(nextCheckAt(window, daily, window.solicitAfter + 3 * DAY + HOUR)).toBe(window.solicitAfter + 4 * DAY);
  });

  it('follows the policy interval', () => {
    const sixHours: SolicitationPolicy = { ...daily, recheckInterval: '6 hours' };
    expect(nextCheckAt(solicitationWindow(mfn, sixHours), sixHours, window.solicitAfter)).toBe(
      window.solicitAfter + 6 * HOUR,
    );
  });
});

describe('window-aware schedule, delivery dates from Amazon', () => {
  const window = solicitationWindow(mfn, windowAware);
  const latestPlusFive = at('2024-05-11T07:00:00Z');

  it('checks first when the window opens, then when Amazon’s window is open whatever the delivery day', () => {
    expect(nextCheckAt(window, windowAware, undefined)).toBe(window.solicitAfter);
    expect(nextCheckAt(window, windowAware, window.solicitAfter)).toBe(latestPlusFive);
    expect(nextCheckAt(window, windowAware, window.solicitAfter + 2 * DAY)).toBe(latestPlusFive);
  });

  it('then every re-check interval from there, a late check never shifting the slots', () => {
    expect(nextCheckAt(window, windowAware, latestPlusFive)).toBe(latestPlusFive + DAY);
    expect(nextCheckAt(window, windowAware, latestPlusFive + DAY + HOUR)).toBe(latestPlusFive + 2 * DAY);
  });

  it('re-checks on the interval when the promise is a single day', () => {
    const oneDay = { ...mfn, latestDeliveryDate: mfn.earliestDeliveryDate };
    const single = solicitationWindow(oneDay, windowAware);
    expect(surelyOpenAt(single, windowAware)).toBe(single.solicitAfter);
    expect(nextCheckAt(single, windowAware, single.solicitAfter)).toBe(single.solicitAfter + DAY);
  });

  it('starts again at the opening of a window that moved later', () => {
    expect(nextCheckAt(window, windowAware, window.solicitAfter - HOUR)).toBe(window.solicitAfter);
  });
});

describe('window-aware schedule, estimated window (FBA)', () => {
  const window = solicitationWindow(fba, windowAware);
  // Ship + 1 day + 5 days, and ship + 10 days + 5 days.
  const opens = at('2024-05-07T07:00:00Z');
  const surelyOpen = at('2024-05-16T07:00:00Z');

  it('re-checks after 1, 2, 4 intervals until the latest estimated delivery + 5 days, then every interval', () => {
    expect(window.solicitAfter).toBe(opens);
    expect(surelyOpenAt(window, windowAware)).toBe(surelyOpen);
    const checks = [nextCheckAt(window, windowAware, undefined)];
    while (checks.length < 7) checks.push(nextCheckAt(window, windowAware, checks.at(-1)));
    expect(checks.map((instant) => (instant - opens) / DAY)).toEqual([0, 1, 3, 7, 9, 10, 11]);
  });

  it('keeps its slots when a check ran late', () => {
    expect(nextCheckAt(window, windowAware, opens + DAY + HOUR)).toBe(opens + 3 * DAY);
  });
});

describe('window-aware schedule backing off once the window is surely open (maxRecheckGap)', () => {
  const backingOff: SolicitationPolicy = { ...windowAware, maxRecheckGap: '7 days' };

  /** Every check of an order Amazon never offers, from the first to the last. */
  function allChecks(window: ReturnType<typeof solicitationWindow>, policy: SolicitationPolicy): number[] {
    const checks: number[] = [];
    let last: number | undefined;
    for (;;) {
      const next = nextCheckAt(window, policy, last);
      if (next >= window.solicitBefore) return checks;
      checks.push(next);
      last = next;
    }
  }

  it('given dates: the opening, latest delivery + 5 days, then 1, 2, 4, 7, 7 days apart and the final day', () => {
    const window = solicitationWindow(mfn, backingOff);
    const surelyOpen = surelyOpenAt(window, backingOff);
    expect(allChecks(window, backingOff)).toEqual([
      window.solicitAfter,
      ...backingOffChecks(surelyOpen),
      window.solicitBefore - DAY,
    ]);
  });

  it('estimated: the gaps grow from the opening through the estimated delivery, 8 checks in all', () => {
    const window = solicitationWindow(fba, backingOff);
    const checks = allChecks(window, backingOff);
    expect(checks.map((check) => (check - window.solicitAfter) / DAY)).toEqual([0, 1, 3, 7, 14, 21, 28, 33]);
    expect(checks.at(-1)).toBe(window.solicitBefore - DAY);
  });

  it('never leaves more than the gap between checks, and counts a late check from its own time', () => {
    const policy: SolicitationPolicy = { ...backingOff, maxRecheckGap: '2 days' };
    const window = solicitationWindow(mfn, policy);
    const surelyOpen = surelyOpenAt(window, policy);
    expect(nextCheckAt(window, policy, surelyOpen + 3 * DAY)).toBe(surelyOpen + 5 * DAY);
    expect(nextCheckAt(window, policy, surelyOpen + 3 * DAY + HOUR)).toBe(surelyOpen + 5 * DAY);
  });

  it('has no check left after the final one', () => {
    const window = solicitationWindow(mfn, backingOff);
    expect(nextCheckAt(window, backingOff, window.solicitBefore - DAY)).toBe(window.solicitBefore);
  });

  it('is the old window-aware schedule without the field', () => {
    const window = solicitationWindow(mfn, windowAware);
    const surelyOpen = surelyOpenAt(window, windowAware);
    expect(nextCheckAt(window, windowAware, surelyOpen + 3 * DAY)).toBe(surelyOpen + 4 * DAY);
  });
});
