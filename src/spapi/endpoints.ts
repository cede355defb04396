import { SpApiError } from './errors';

/**
 * Where each marketplace's SP-API calls go (Amazon's "SP-API Endpoints" and "Marketplace IDs" pages).
 * A seller's data lives in the selling region of the marketplace, so the host is chosen per call.
 */
export type SpApiRegion = 'na' | 'eu' | 'fe';

export const MARKETPLACE_REGIONS: Readonly<Record<string, SpApiRegion>> = {
  // North America
  A2EUQ1WTGCTBG2: 'na', // Canada
  ATVPDKIKX0DER: 'na', // United States
  A1AM78C64UM0Y8: 'na', // Mexico
  A2Q3Y263D00KWC: 'na', // Brazil
  // Europe
  A28R8C7NBKEWEA: 'eu', // Ireland
  A1RKKUPIHCS9HS: 'eu', // Spain
  A1F83G8C2ARO7P: 'eu', // United Kingdom
  A13V1IB3VIYZZH: 'eu', // France
  AMEN7PMS3EDWL: 'eu', // Belgium
  A1805IZSGTT6HS: 'eu', // Netherlands
  A1PA6795UKMFR9: 'eu', // Germany
  APJ6JRA9NG5V4: 'eu', // Italy
  A2NODRKZP88ZB9: 'eu', // Sweden
  AE08WJ6YKNBMC: 'eu', // South Africa
  A1C3SOZRARQ6R3: 'eu', // Poland
  ARBP9OOSHTCHU: 'eu', // Egypt
  A33AVAJ2PDY3EV: 'eu', // Turkey
  A17E79C6D8DWNP: 'eu', // Saudi Arabia
  A2VIGQ35RCS4UG: 'eu', // United Arab Emirates
  A21TJRUUN4KGV: 'eu', // India
  // Far East
  A19VAU5U5O7RUS: 'fe', // Singapore
  A39IBJ37TRP1C6: 'fe', // Australia
  A1VC38T7YXB528: 'fe', // Japan
};

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
  return Object.hasOwn(MARKETPLACE_REGIONS, marketplaceId) ? MARKETPLACE_REGIONS[marketplaceId] : undefined;
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
