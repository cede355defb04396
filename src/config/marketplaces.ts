import { ConfigError } from '../errors';
import { parseEnv, type Env } from './env';
import { settingsSchema } from './settings';

/**
 * SOLICIT_MARKETPLACES (single-token mode): the marketplace IDs served, comma-separated. Notifications for
 * other marketplaces are ignored, and backfill and reconciliation skip their orders ("marketplace not
 * served"). Unset: every marketplace, and this returns undefined. Throws ConfigError naming the variable.
 */
export function servedMarketplacesFromEnv(env: Env = process.env): readonly string[] | undefined {
  return parseEnv(settingsSchema('SOLICIT_MARKETPLACES'), env).SOLICIT_MARKETPLACES;
}

/** Whether an order of `marketplaceId` is served; `served` undefined means every marketplace is. */
export function servesMarketplace(served: readonly string[] | undefined, marketplaceId: string): boolean {
  return served === undefined || served.includes(marketplaceId);
}

/**
 * Whether the product serves an order of a marketplace for its seller (docs/spec.md, "Configuration"): what
 * ingest, backfill and reconciliation all ask before an order gets a workflow.
 */
export interface MarketplacesServed {
  serves(sellerId: string, marketplaceId: string): boolean;
  /** The setting that says which marketplaces are served, for the messages that name it. */
  readonly setting: 'SOLICIT_MARKETPLACES' | 'SPAPI_SELLERS_FILE';
  /** Which ones, in words, for a log line at start. */
  readonly summary: string;
}

/** Every marketplace, for every seller. */
export const EVERY_MARKETPLACE: MarketplacesServed = {
  serves: () => true,
  setting: 'SOLICIT_MARKETPLACES',
  summary: 'all',
};

/** What the rule needs of SP-API's seller authorizations (config sits below spapi, so it names no spapi type). */
export interface SellersFile {
  /** The sellers SPAPI_SELLERS_FILE lists; undefined with a single LWA_REFRESH_TOKEN. */
  readonly sellerIds: readonly string[] | undefined;
  /** The marketplaces the seller is limited to, or undefined for all. */
  marketplacesFor(sellerId: string): readonly string[] | undefined;
}

/**
 * The rule in force. With SPAPI_SELLERS_FILE (`sellers` lists its sellers): each seller's `marketplaces`,
 * all when absent, asked anew at every call since the file is re-read when it changes. With a single
 * LWA_REFRESH_TOKEN (or no sellers at all, as ingest runs without one): SOLICIT_MARKETPLACES, all when
 * unset. Both set would leave SOLICIT_MARKETPLACES without effect: refused, naming the variable.
 */
export function marketplacesServedFromEnv(
  sellers: SellersFile | undefined,
  env: Env = process.env,
): MarketplacesServed {
  const served = servedMarketplacesFromEnv(env);
  if (sellers?.sellerIds === undefined) {
    return {
      serves: (_sellerId, marketplaceId) => servesMarketplace(served, marketplaceId),
      setting: 'SOLICIT_MARKETPLACES',
      summary: served?.join(', ') ?? 'all',
    };
  }
  if (served !== undefined) {
    throw new ConfigError(
      'SOLICIT_MARKETPLACES: applies to a single LWA_REFRESH_TOKEN; with SPAPI_SELLERS_FILE give each seller ' +
        'its "marketplaces" in the file',
    );
  }
  return {
    serves: (sellerId, marketplaceId) => servesMarketplace(sellers.marketplacesFor(sellerId), marketplaceId),
    setting: 'SPAPI_SELLERS_FILE',
    summary: 'each seller\'s "marketplaces" of SPAPI_SELLERS_FILE, all where absent',
  };
}
