import { MARKETPLACE_REGIONS, regionOf, type SpApiRegion } from '../spapi/endpoints';
import { UsageError } from '../errors';

const REGIONS: readonly SpApiRegion[] = ['na', 'eu', 'fe'];
export const DEFAULT_REGION: SpApiRegion = 'na';

export function regionOption(value: string | undefined): SpApiRegion | undefined {
  if (value === undefined) return undefined;
  const region = REGIONS.find((known) => known === value);
  if (!region) throw new UsageError(`--region must be one of ${REGIONS.join(', ')}, got '${value}'`);
  return region;
}

/** Marketplace IDs of Amazon's list, all of one region (and of `--region`, when both are given). */
export function marketplaceScope(
  marketplaceIds: readonly string[],
  regionValue: string | undefined,
): { region: SpApiRegion; marketplaceIds: readonly string[] } {
  const region = regionOption(regionValue);
  const regions = new Set<SpApiRegion>();
  for (const id of marketplaceIds) {
    const of = regionOf(id);
    if (of === undefined) {
      const known = Object.keys(MARKETPLACE_REGIONS).length;
      throw new UsageError(`unknown marketplace ID '${id}' (not one of Amazon's ${known} marketplace IDs)`);
    }
    if (region !== undefined && of !== region) throw new UsageError(`marketplace ${id} is not in region ${region}`);
    regions.add(of);
  }
  if (regions.size > 1) throw new UsageError('--marketplace IDs must all be of one region (na, eu or fe)');
  return { region: [...regions][0] ?? region ?? DEFAULT_REGION, marketplaceIds };
}
