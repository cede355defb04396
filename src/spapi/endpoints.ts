import { marketplace, MARKETPLACES, type SpApiRegion } from '../domain/marketplaces';
import { SpApiError } from './errors';

export type { SpApiRegion };

/**
 * Where each marketplace's SP-API calls go. A seller's data lives in the selling region of the
 * marketplace, so the host is chosen per call.
 */
export const MARKETPLACE_REGIONS: Readonly<Record<string, SpApiRegion>> = Object.fromEntries(
  Object.entries(MARKETPLACES).map(([id, { region }]) => [id, region]),
);

export const PRODUCTION_ENDPOINTS: Readonly<Record<SpApiRegion, string>> = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
};

export const SANDBOX_ENDPOINTS: Readonly<Record<SpApiRegion, string>> = {
  na: 'https://sandbox.sellingpartnerapi-na.amazon.com',
  eu: 'https://sandbox.sellingpartnerapi-eu.amazon.com',
  fe: 'https://sandbox.sellingpartnerapi-fe.amazon.com',
};

export function regionOf(marketplaceId: string): SpApiRegion | undefined {
  return marketplace(marketplaceId)?.region;
}

/** The region of an order's marketplace; an unknown marketplace is a request that cannot succeed. */
export function marketplaceRegion(marketplaceId: string, operation: string): SpApiRegion {
  const region = regionOf(marketplaceId);
  if (!region) throw new SpApiError('invalid-input', operation, `unknown marketplace ID ${marketplaceId}`);
  return region;
}

/** The base URL (no trailing slash) of a region's SP-API. */
export type EndpointResolver = (region: SpApiRegion) => string;

/** `override` (SPAPI_ENDPOINT: a sandbox, a simulator) serves every region; otherwise Amazon's hosts. */
export function endpointResolver({
  override,
  sandbox = false,
}: { override?: string; sandbox?: boolean } = {}): EndpointResolver {
  const hosts = sandbox ? SANDBOX_ENDPOINTS : PRODUCTION_ENDPOINTS;
  const fixed = override?.replace(/\/+$/, '');
  return (region: SpApiRegion): string => fixed ?? hosts[region];
}
