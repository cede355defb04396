import { sellerNotConfiguredWords, sellerPausedWords } from './credential-words';
import { SpApiError } from './errors';

/** One seller of SPAPI_SELLERS_FILE, in the file's object form (the string form is its refresh token). */
export interface SellerEntry {
  refreshToken: string;
  /** The only marketplaces served for this seller; all when absent. */
  marketplaces?: readonly string[];
  /** Holds the seller's orders blocked until removed. */
  paused?: boolean;
  /** When the seller authorized the app (ISO-8601); public apps must be re-authorized 365 days later. */
  authorizedAt?: string;
}

/** Which sellers this deployment may act for, and the refresh token of each. */
export interface SellerAuthorizations {
  /**
   * False for a seller SPAPI_SELLERS_FILE does not hold; always true with a single LWA_REFRESH_TOKEN. A
   * paused seller is held: its orders are started, and wait blocked.
   */
  has(sellerId: string): boolean;
  /**
   * Throws a non-retryable `seller-not-configured` or `seller-paused` SpApiError for a seller this
   * deployment cannot act for now; `paused: true` gives a paused seller's token, for a call that only reads.
   */
  refreshTokenFor(sellerId: string, operation: string, options?: { paused?: boolean }): string;
  /** The marketplaces the seller is limited to, or undefined for all. */
  marketplacesFor(sellerId: string): readonly string[] | undefined;
  /**
   * The sellers SPAPI_SELLERS_FILE lists, for the commands that act for each seller in turn. Undefined
   * with a single LWA_REFRESH_TOKEN: a refresh token does not say which seller granted it.
   */
  readonly sellerIds: readonly string[] | undefined;
  /** The sellers' entries, for the Sellers page and the authorization gauges; undefined with a single token. */
  entries(): ReadonlyMap<string, SellerEntry> | undefined;
}

/** One LWA_REFRESH_TOKEN: every seller ID is taken as that seller. */
export function singleSeller(refreshToken: string): SellerAuthorizations {
  const token = refreshToken.trim();
  return {
    has: () => true,
    refreshTokenFor: () => token,
    marketplacesFor: () => undefined,
    sellerIds: undefined,
    entries: () => undefined,
  };
}

/**
 * Sellers read anew on every question, from a file that may change while the process runs. `current`
 * returns the same map until the file changes, so the list of seller IDs is made once per change.
 */
export function liveSellers(current: () => ReadonlyMap<string, SellerEntry>): SellerAuthorizations {
  let listed: { from: ReadonlyMap<string, SellerEntry>; ids: readonly string[] } | undefined;
  return {
    get sellerIds() {
      const sellers = current();
      if (listed?.from !== sellers) listed = { from: sellers, ids: Object.freeze([...sellers.keys()]) };
      return listed.ids;
    },
    has: (sellerId) => current().has(sellerId),
    entries: current,
    marketplacesFor: (sellerId) => current().get(sellerId)?.marketplaces,
    refreshTokenFor(sellerId, operation, options) {
      const entry = current().get(sellerId);
      const credential = { kind: 'seller', sellerId } as const;
      if (entry === undefined) {
        throw new SpApiError('seller-not-configured', operation, sellerNotConfiguredWords(sellerId), { credential });
      }
      if (entry.paused === true && options?.paused !== true) {
        throw new SpApiError('seller-paused', operation, sellerPausedWords(sellerId), { credential });
      }
      return entry.refreshToken.trim();
    },
  };
}
