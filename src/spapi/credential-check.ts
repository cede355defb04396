import type { Logger } from '../logging';
import { SpApiError } from './errors';
import type { LwaTokenProvider } from './lwa';
import type { SellerAuthorizations } from './sellers';

export interface CredentialCheckResult {
  /** Sellers (or `app`) whose credential Amazon refused. */
  refused: string[];
}

/**
 * At a worker's start, asks LWA for one token per configured seller, so that a lapsed authorization or an
 * expired client secret is an error line at once rather than at the next order's check. One line per
 * refused seller; the others are served as usual. The tokens stay cached for the first calls.
 * `singleSellerId` names the seller of a single LWA_REFRESH_TOKEN, which does not say whose it is.
 */
export async function checkCredentialsAtStart(
  lwa: LwaTokenProvider,
  sellers: SellerAuthorizations,
  logger: Logger,
  singleSellerId = 'of LWA_REFRESH_TOKEN',
): Promise<CredentialCheckResult> {
  const operation = 'credential check at start';
  const refused: string[] = [];
  await Promise.all(
    (sellers.sellerIds ?? [singleSellerId]).map(async (sellerId) => {
      try {
        const refreshToken = sellers.refreshTokenFor(sellerId, operation);
        await lwa.accessToken({ type: 'refresh_token', refreshToken, sellerId }, operation);
      } catch (error) {
        if (error instanceof SpApiError && error.kind === 'seller-paused') {
          logger.info('seller paused in SPAPI_SELLERS_FILE: its orders wait blocked', { sellerId });
        } else if (error instanceof SpApiError && error.kind === 'credential-refused') {
          const owner = error.details.credential;
          refused.push(owner?.kind === 'seller' ? owner.sellerId : 'app');
          logger.error('credential refused: the orders of this seller wait blocked', {
            sellerId,
            reason: error.message,
          });
        } else {
          logger.warn('credential not checked at start', {
            sellerId,
            reason: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }),
  );
  return { refused };
}
