const DAY = 24 * 60 * 60 * 1000;

/**
 * The checks of an order backing off under the window-aware schedule, from when its window is surely open:
 * then 1, 2, 4, 7 and 7 days apart, the gap capped at a week.
 */
export function backingOffChecks(surelyOpen: number): number[] {
  return [0, 1, 3, 7, 14, 21].map((days) => surelyOpen + days * DAY);
}
