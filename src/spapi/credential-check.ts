import type { Logger } from '../logging';
import { SpApiError } from './errors';
import type { LwaTokenProvider } from './lwa';
import type { SellerAuthorizations } from './sellers';

export interface CredentialCheckResult {
  /** Sellers (or `app`) whose credential Amazon refused. */
  refused: string[];
}

/**
 * LWA requests the check makes at once, whatever the number of sellers (docs/spec.md "Deploys"): a rolling
 * deploy of many replicas serving thousands of sellers must not become a burst of thousands of requests.
 */
export const CREDENTIAL_CHECK_CONCURRENCY = 16;

export interface CredentialCheckOptions {
  /** The seller of a single LWA_REFRESH_TOKEN, which does not say whose it is. */
  singleSellerId?: string;
  concurrency?: number;
  /** Stops the check between requests: a worker shutting down does not wait for thousands of sellers. */
  signal?: AbortSignal;
}

/**
 * At a worker's start, asks LWA for one token per configured seller, so that a lapsed authorization or an
 * expired client secret is an error line at once rather than at the next order's check. One line per
 * refused seller; the others are served as usual. At most `concurrency` requests are in flight; the tokens
 * stay cached for the first calls, and a call that needs a token being fetched waits for that request.
 */
export async function checkCredentialsAtStart(
  lwa: LwaTokenProvider,
  sellers: SellerAuthorizations,
  logger: Logger,
  options: CredentialCheckOptions = {},
): Promise<CredentialCheckResult> {
  const { singleSellerId = 'of LWA_REFRESH_TOKEN', concurrency = CREDENTIAL_CHECK_CONCURRENCY, signal } = options;
  const operation = 'credential check at start';
  const refused: string[] = [];
  const sellerIds = sellers.sellerIds ?? [singleSellerId];
  const check = async (sellerId: string) => {
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
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, sellerIds.length) }, async () => {
      while (next < sellerIds.length && signal?.aborted !== true) await check(sellerIds[next++]!);
    }),
  );
  return { refused };
}
