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
  /** Access denied after a token refresh: missing role, revoked authorization, unknown seller. */
  | 'unauthorized'
  /** 400 and other requests that cannot succeed as sent. */
  | 'invalid-input'
  /**
   * 409: the destination or subscription being created exists already. Only the Notifications API
   * answers it; `solicit subscribe` reads it as "reuse the existing one".
   */
  | 'conflict';

export interface SpApiErrorDetails {
  /** The HTTP status Amazon answered, when there was an answer. */
  status?: number;
  /** Amazon's error code (`Unauthorized`, `QuotaExceeded`, `InvalidInput`, ...), or LWA's `error`. */
  code?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class SpApiError extends Error {
  override name = 'SpApiError';

  constructor(
    readonly kind: SpApiErrorKind,
    readonly operation: string,
    message: string,
    readonly details: SpApiErrorDetails = {},
  ) {
    super(`${operation}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
  }
}
