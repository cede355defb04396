/**
 * Every failure of an SP-API or LWA call, classified once where the response is read. Messages name the
 * operation and Amazon's error code and message, never a token, a secret or a refresh token.
 */
export type SpApiErrorKind =
  /** 429: retry after `retryAfterMs`. */
  | 'throttled'
  /** 5xx, network failure, timeout, unparseable response: retry with backoff. */
  | 'transient'
  /** 403 "The requested solicitation is not available for this amazonOrderId." on a send. */
  | 'already-solicited'
  /** Amazon says the order is outside its solicitation window. */
  | 'outside-window'
  /**
   * A 401/403 not yet confirmed by a fresh token. The transport retries it once and then reports
   * `credential-refused`; only fakes and old code paths surface it.
   */
  | 'unauthorized'
  /**
   * Amazon refused a credential: LWA `invalid_grant` / `invalid_client` / `unauthorized_client` (or
   * another LWA refusal), or an SP-API 403 access denied that survived a token refresh. `details.credential`
   * says whose; the message says what Amazon said and what the operator must do.
   */
  | 'credential-refused'
  /**
   * A 403 that survived a token refresh on a read scoped to one selling region (`searchOrders`): the seller
   * does not sell there, or has not granted the app that region. It says nothing about the credential,
   * which other regions take: never counted or held as a credential refusal.
   */
  | 'region-refused'
  /** The seller is not in SPAPI_SELLERS_FILE: nothing is sent to Amazon. */
  | 'seller-not-configured'
  /** The seller is marked `"paused": true` in SPAPI_SELLERS_FILE: nothing is sent to Amazon. */
  | 'seller-paused'
  /** 400 and other requests that cannot succeed as sent. */
  | 'invalid-input'
  /**
   * 409: the destination or subscription being created exists already. Only the Notifications API
   * answers it; `solicit subscribe` reads it as "reuse the existing one".
   */
  | 'conflict';

/** Whose credential a refusal concerns: the app's client ID and secret, or one seller's authorization. */
export type CredentialOwner = { kind: 'app' } | { kind: 'seller'; sellerId: string };

export interface SpApiErrorDetails {
  /** The HTTP status Amazon answered, when there was an answer. */
  status?: number;
  /** Amazon's error code (`Unauthorized`, `QuotaExceeded`, `InvalidInput`, ...), or LWA's `error`. */
  code?: string;
  retryAfterMs?: number;
  /** With `credential-refused`, `seller-not-configured` and `seller-paused`. */
  credential?: CredentialOwner;
  cause?: unknown;
}

/** Its message is the operation and the reason, for logs and people; code reads the two fields. */
export class SpApiError extends Error {
  override name = 'SpApiError';

  constructor(
    readonly kind: SpApiErrorKind,
    readonly operation: string,
    /** What went wrong, without the operation: Amazon's words, or why there was no answer. */
    readonly reason: string,
    readonly details: SpApiErrorDetails = {},
  ) {
    super(`${operation}: ${reason}`, details.cause === undefined ? undefined : { cause: details.cause });
  }
}
