import { SpApiError } from './errors';

/** Which sellers this deployment may act for, and the refresh token of each. */
export interface SellerAuthorizations {
  /** False for a seller SPAPI_SELLERS_FILE does not hold; always true with a single LWA_REFRESH_TOKEN. */
  has(sellerId: string): boolean;
  /** Throws a non-retryable `unauthorized` SpApiError for a seller this deployment does not hold. */
  refreshTokenFor(sellerId: string, operation: string): string;
  /**
   * The sellers SPAPI_SELLERS_FILE lists, for the commands that act for each seller in turn. Undefined
   * with a single LWA_REFRESH_TOKEN: a refresh token does not say which seller granted it.
   */
  readonly sellerIds: readonly string[] | undefined;
}

/** One LWA_REFRESH_TOKEN: every seller ID is taken as that seller. */
export function singleSeller(refreshToken: string): SellerAuthorizations {
  return { has: () => true, refreshTokenFor: () => refreshToken, sellerIds: undefined };
}

/** SPAPI_SELLERS_FILE: only the sellers it lists. */
export function sellersFromMap(refreshTokens: Readonly<Record<string, string>>): SellerAuthorizations {
  const tokens = new Map(Object.entries(refreshTokens));
  return {
    sellerIds: [...tokens.keys()],
    has: (sellerId) => tokens.has(sellerId),
    refreshTokenFor(sellerId, operation) {
      const token = tokens.get(sellerId);
      if (token === undefined) {
        throw new SpApiError('unauthorized', operation, `seller ${sellerId} is not in SPAPI_SELLERS_FILE`);
      }
      return token;
    },
  };
}
