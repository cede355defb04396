import type { Logger } from '../logging';
import { SpApiError } from './errors';
import { lwaErrorSchema, lwaTokenSchema } from './schemas';

/** The scope of the grantless Notifications operations (destinations, deleting a subscription). */
export const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';

/** A seller's authorization (refresh token), or the application's own for grantless operations. */
export type LwaGrant = { type: 'refresh_token'; refreshToken: string } | { type: 'client_credentials'; scope: string };

export interface LwaOptions {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; tests share one clock with the simulator. */
  now?: () => number;
  timeoutMs?: number;
  /** A token is replaced this long before LWA says it expires, so that no call carries a dying one. */
  refreshMarginMs?: number;
  logger?: Logger;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

/**
 * Login with Amazon access tokens, cached per grant until shortly before they expire. Concurrent callers
 * needing the same grant share one request to LWA.
 */
export class LwaTokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly refreshMarginMs: number;

  constructor(private readonly options: LwaOptions) {
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
  }

  /** `operation` names the SP-API call the token is for, in errors. */
  async accessToken(grant: LwaGrant, operation: string): Promise<string> {
    const key = cacheKey(grant);
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.expiresAt - this.refreshMarginMs) return cached.accessToken;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.request(grant, operation)
        .then((fresh) => {
          this.cache.set(key, fresh);
          return fresh;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return (await pending).accessToken;
  }

  /**
   * Forgets `rejected` after Amazon refused it. A token that another caller has already replaced stays,
   * so that many calls failing together cause one refresh.
   */
  invalidate(grant: LwaGrant, rejected: string): void {
    const key = cacheKey(grant);
    if (this.cache.get(key)?.accessToken === rejected) this.cache.delete(key);
  }

  private async request(grant: LwaGrant, operation: string): Promise<CachedToken> {
    const { clientId, clientSecret, endpoint } = this.options;
    const form = new URLSearchParams(
      grant.type === 'refresh_token'
        ? { grant_type: 'refresh_token', refresh_token: grant.refreshToken }
        : { grant_type: 'client_credentials', scope: grant.scope },
    );
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
    const requestedAt = this.now();
    let response: Response;
    let body: string;
    try {
      response = await this.fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      throw new SpApiError('transient', operation, `LWA token request failed: ${networkReason(error)}`, {
        cause: error,
      });
    }
    if (!response.ok) throw lwaFailure(operation, response.status, body);
    const token = lwaTokenSchema.safeParse(parseJson(body));
    if (!token.success) {
      throw new SpApiError('transient', operation, 'LWA answered with a body that is not a token response', {
        status: response.status,
      });
    }
    this.options.logger?.debug('lwa token obtained', { grant: grant.type, expiresInSeconds: token.data.expires_in });
    return { accessToken: token.data.access_token, expiresAt: requestedAt + token.data.expires_in * 1000 };
  }
}

/** Grants are told apart in memory only; the key is never logged. */
function cacheKey(grant: LwaGrant): string {
  return grant.type === 'refresh_token' ? `refresh_token:${grant.refreshToken}` : `client_credentials:${grant.scope}`;
}

/** LWA refuses a revoked or unknown refresh token with `invalid_grant`, bad app credentials with `invalid_client`. */
const REFUSED = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_scope']);

function lwaFailure(operation: string, status: number, body: string): SpApiError {
  const parsed = lwaErrorSchema.safeParse(parseJson(body));
  const code = parsed.success ? parsed.data.error : undefined;
  const said = parsed.success
    ? `${parsed.data.error}${parsed.data.error_description ? ` (${parsed.data.error_description})` : ''}`
    : 'no LWA error body';
  const message = `LWA token request answered HTTP ${status}: ${said}`.slice(0, 500);
  if (status === 429) return new SpApiError('throttled', operation, message, { status, code, retryAfterMs: 1000 });
  if (status >= 500) return new SpApiError('transient', operation, message, { status, code });
  if (code !== undefined && REFUSED.has(code))
    return new SpApiError('unauthorized', operation, message, { status, code });
  return new SpApiError('invalid-input', operation, message, { status, code });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Why a request got no answer, without its URL's query or headers. Duck-typed: fetch's errors may come
 * from another realm than this module's `Error`.
 */
export function networkReason(error: unknown): string {
  const { name, message, cause } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { code?: unknown };
  };
  if (name === 'TimeoutError') return 'timed out';
  if (typeof message !== 'string') return 'unknown network failure';
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}
