import { MARKETPLACES, type SpApiRegion } from '../domain/marketplaces';
import type { RegionSweep } from './workflow/contract';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
export const SPAPI_REGIONS: readonly SpApiRegion[] = ['na', 'eu', 'fe'];

/**
 * The regions where a seller sells, each with the marketplaces to name (docs/spec.md "Reconciliation",
 * "Coverage"): the regions of its served marketplaces, or every region with all its marketplaces when none
 * are listed. `only` narrows them (`solicit reconcile --region`).
 */
export function sellerRegions(
  served: readonly string[] | undefined,
  only?: readonly SpApiRegion[],
): { region: SpApiRegion; marketplaceIds: string[] }[] {
  return SPAPI_REGIONS.filter((region) => only === undefined || only.includes(region))
    .map((region) => ({
      region,
      marketplaceIds: Object.entries(MARKETPLACES)
        .filter(([id, marketplace]) => marketplace.region === region && (served === undefined || served.includes(id)))
        .map(([id]) => id),
    }))
    .filter(({ marketplaceIds }) => marketplaceIds.length > 0);
}

/**
 * Where a seller-region's sweep starts (docs/spec.md "Reconciliation", "Incremental"): an hour before the
 * end of its last completed sweep, so that an order updated while that sweep began is seen again rather
 * than lost; `days` back for its first sweep, or when a look-back is forced.
 */
export function sweepStart(options: { cursor?: string; nowMs: number; days: number; force: boolean }): string {
  const { cursor, nowMs, days, force } = options;
  if (force || cursor === undefined || Number.isNaN(Date.parse(cursor))) {
    return new Date(nowMs - days * DAY_MS).toISOString();
  }
  return new Date(Date.parse(cursor) - HOUR_MS).toISOString();
}

export function regionSweeps(options: {
  served: readonly string[] | undefined;
  only?: readonly SpApiRegion[];
  cursors: Partial<Record<SpApiRegion, string>>;
  nowMs: number;
  days: number;
  force: boolean;
}): RegionSweep[] {
  return sellerRegions(options.served, options.only).map(({ region, marketplaceIds }) => ({
    region,
    marketplaceIds,
    lastUpdatedAfter: sweepStart({ ...options, cursor: options.cursors[region] }),
  }));
}
