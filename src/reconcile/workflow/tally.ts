/**
 * The arithmetic of reconciliation's counts, shared by its workflows and its report. Safe inside the
 * workflow sandbox: plain data.
 */
import type { RegionReconciliation, SellerNotSwept, SellerSweepResult, SweepTally } from './contract';

export function noTally(): SweepTally {
  return { pages: 0, found: 0, started: 0, known: 0, closed: 0, conflict: 0, skipped: 0, skippedByReason: {} };
}

const TALLY_COUNTS = ['pages', 'found', 'started', 'known', 'closed', 'conflict', 'skipped'] as const;

/** Adds `from` into `into`, in place. */
export function addTally(into: SweepTally, from: SweepTally): SweepTally {
  addCounts(into, from, TALLY_COUNTS);
  return into;
}

/** Adds the counts named by `keys` and the skips by reason of `from` into `into`, in place. */
export function addCounts<K extends string>(
  into: Record<K, number> & { skippedByReason: Record<string, number> },
  from: Readonly<Record<K, number>> & { skippedByReason: Readonly<Record<string, number>> },
  keys: readonly K[],
): void {
  const sums: Record<K, number> = into;
  for (const key of keys) sums[key] += from[key];
  for (const [reason, count] of Object.entries(from.skippedByReason)) {
    into.skippedByReason[reason] = (into.skippedByReason[reason] ?? 0) + count;
  }
}

export function isNotSwept(result: SellerSweepResult | SellerNotSwept): result is SellerNotSwept {
  return 'reason' in result;
}

/** A region whose sweep did not complete: the seller's sweep is not a success, and the run reports it. */
export function regionFailed(region: RegionReconciliation): boolean {
  return region.failed !== undefined;
}

/**
 * Whether a seller's result is worth listing in full in the run's result (which otherwise holds totals
 * only, so that it stays small at any number of sellers): orders started or conflicting, a region refused
 * or failed.
 */
export function isNotable(result: SellerSweepResult): boolean {
  return result.regions.some(
    (region) => region.started > 0 || region.conflict > 0 || region.refused !== undefined || regionFailed(region),
  );
}

/** The sum of a seller's regions. */
export function sellerTally(result: SellerSweepResult): SweepTally {
  return result.regions.reduce((sum, region) => addTally(sum, region), noTally());
}
