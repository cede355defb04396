import type { Logger } from '../logging';
import type { SpApiResponseObserver } from '../domain/metrics';
import { CredentialCircuit, REFUSAL_HOLD_MS, credentialKey } from './credential-circuit';
import { lwaRefusalWords } from './credential-words';
import { SpApiError, type CredentialOwner } from './errors';
import { lwaErrorSchema, lwaTokenSchema } from './schemas';
import { networkReason } from './scrub';

/** The scope of the grantless Notifications operations (destinations, deleting a subscription). */
export const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';

/**
 * A seller's authorization (refresh token; `sellerId` names it in refusals), or the application's own
 * for grantless operations.
 */
export type LwaGrant =
  { type: 'refresh_token'; refreshToken: string; sellerId?: string } | { type: 'client_credentials'; scope: string };

export interface LwaOptions {
  endpoint: string;
  clientId: string;
  /** A function when the secret is re-read from LWA_CLIENT_SECRET_FILE: each request takes the current one. */
  clientSecret: string | (() => string);
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; tests share one clock with the simulator. */
  now?: () => number;
  timeoutMs?: number;
  /** A token is replaced this long before LWA says it expires, so that no call carries a dying one. */
  refreshMarginMs?: number;
  logger?: Logger;
  /** Told of every LWA response as operation `lwa`. */
  observeResponse?: SpApiResponseObserver;
  /** Told of every refusal Amazon answered (not of refusals the circuit holds). */
  observeRefusal?: (owner: CredentialOwner) => void;
  /** Holds refusals per credential; one per worker process. */
  circuit?: CredentialCircuit;
}

export interface AccessTokenOptions {
  /** Ask LWA even while the circuit holds this credential as refused (an operator's expedite). */
  bypassCircuit?: boolean;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  /** Asked for because SP-API denied the token before it: a denial of this one survived a refresh. */
  afterDenial?: boolean;
}

/** An access token for one SP-API call, and whether a denial of it would survive a token refresh. */
export interface CallToken {
  accessToken: string;
  /** Obtained from LWA for this call, or just after a denial: refreshing again would change nothing. */
  fresh: boolean;
}

/**
 * Login with Amazon access tokens, cached per grant until shortly before they expire. Concurrent callers
 * needing the same grant share one request to LWA.
 */
export class LwaTokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  /** Grants whose next token is asked for because SP-API denied the last one. */
  private readonly deniedGrants = new Set<string>();
  /** Grants whose denial survived a refresh: no new token is asked for them until then. */
  private readonly refreshHolds = new Map<string, number>();
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly refreshMarginMs: number;
  private readonly circuit: CredentialCircuit;
  private readonly clientSecret: () => string;

  constructor(private readonly options: LwaOptions) {
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.circuit = options.circuit ?? new CredentialCircuit(this.now);
    const { clientSecret } = options;
    this.clientSecret = typeof clientSecret === 'function' ? clientSecret : () => clientSecret;
  }

  /**
   * `operation` names the SP-API call the token is for, in errors. A credential Amazon refused less than
   * five minutes ago fails at once, as that refusal, unless `bypassCircuit`.
   */
  async accessToken(grant: LwaGrant, operation: string, options: AccessTokenOptions = {}): Promise<string> {
    return (await this.tokenForCall(grant, operation, options)).accessToken;
  }

  /** As `accessToken`, also saying whether the token is fresh (see `CallToken`). */
  async tokenForCall(grant: LwaGrant, operation: string, options: AccessTokenOptions = {}): Promise<CallToken> {
    const key = cacheKey(grant);
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.expiresAt - this.refreshMarginMs) {
      return { accessToken: cached.accessToken, fresh: cached.afterDenial === true };
    }
    const credential = this.credentialOf(grant);
    if (!options.bypassCircuit) this.circuit.assertNotHeld([credential.app, credential.grant], operation);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.request(grant, operation, credential)
        .then((fresh) => {
          if (this.deniedGrants.delete(key)) fresh.afterDenial = true;
          this.cache.set(key, fresh);
          return fresh;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return { accessToken: (await pending).accessToken, fresh: true };
  }

  /**
   * SP-API denied `token` (a 403 that a fresh token may cure, after a role was granted or an authorization
   * renewed): it is forgotten, and the next one asked for is marked as asked for after a denial.
   */
  denied(grant: LwaGrant, token: string): void {
    const key = cacheKey(grant);
    if (this.cache.get(key)?.accessToken === token) this.cache.delete(key);
    this.deniedGrants.add(key);
  }

  /**
   * A denial survived a refresh: for `REFUSAL_HOLD_MS` the grant's token is not refreshed for another
   * denial (docs/spec.md "Workflow contract", `blocked`), however many orders meet one.
   */
  holdRefresh(grant: LwaGrant): void {
    const key = cacheKey(grant);
    this.refreshHolds.set(key, this.now() + REFUSAL_HOLD_MS);
    const cached = this.cache.get(key);
    if (cached) cached.afterDenial = false;
  }

  refreshHeld(grant: LwaGrant): boolean {
    const key = cacheKey(grant);
    const until = this.refreshHolds.get(key);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.refreshHolds.delete(key);
    return false;
  }

  /**
   * Forgets `rejected` after Amazon refused it. A token that another caller has already replaced stays,
   * so that many calls failing together cause one refresh.
   */
  invalidate(grant: LwaGrant, rejected: string): void {
    const key = cacheKey(grant);
    if (this.cache.get(key)?.accessToken === rejected) this.cache.delete(key);
  }

  /** The circuit's keys: the app's client ID and secret alone, and with the grant. */
  private credentialOf(grant: LwaGrant): Credential {
    const { clientId } = this.options;
    const clientSecret = this.clientSecret();
    const material = grant.type === 'refresh_token' ? grant.refreshToken : grant.scope;
    return {
      clientSecret,
      app: credentialKey(clientId, clientSecret),
      grant: credentialKey(clientId, clientSecret, grant.type, material),
    };
  }

  private async request(grant: LwaGrant, operation: string, credential: Credential): Promise<CachedToken> {
    try {
      const token = await this.post(grant, operation, credential.clientSecret);
      this.circuit.close(credential.app);
      this.circuit.close(credential.grant);
      return token;
    } catch (error) {
      if (error instanceof SpApiError && error.kind === 'credential-refused' && error.details.credential) {
        const owner = error.details.credential;
        this.circuit.open(owner.kind === 'app' ? credential.app : credential.grant, error);
        this.options.observeRefusal?.(owner);
      }
      throw error;
    }
  }

  private async post(grant: LwaGrant, operation: string, clientSecret: string): Promise<CachedToken> {
    const { clientId, endpoint } = this.options;
    const secrets = [clientSecret, grant.type === 'refresh_token' ? grant.refreshToken : undefined];
    const form = new URLSearchParams(
      grant.type === 'refresh_token'
        ? { grant_type: 'refresh_token', refresh_token: grant.refreshToken }
        : { grant_type: 'client_credentials', scope: grant.scope },
    );
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
    const requestedAt = this.now();
    let response: Response | undefined;
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
      // The error itself is not kept as a cause: fetch's messages may quote a secret.
      throw new SpApiError('transient', operation, `LWA token request failed: ${networkReason(error, secrets)}`);
    } finally {
      this.options.observeResponse?.({ operation: 'lwa', status: response?.status });
    }
    if (!response.ok) throw lwaFailure(operation, grant, response.status, body);
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

interface Credential {
  clientSecret: string;
  app: string;
  grant: string;
}

/** Grants are told apart in memory only; the key is never logged. */
function cacheKey(grant: LwaGrant): string {
  return grant.type === 'refresh_token' ? `refresh_token:${grant.refreshToken}` : `client_credentials:${grant.scope}`;
}

/**
 * LWA's answers that are not a token. Only three codes refuse a credential (docs/spec.md "Workflow
 * contract", phase `blocked`): `invalid_client` and `unauthorized_client` are the app's; `invalid_grant` is
 * the grant's (the seller's refresh token, or the app's own for grantless operations). Everything else,
 * `temporarily_unavailable`, `server_error`, `invalid_request`, throttling, 5xx or a body that is not LWA's
 * JSON (a proxy's page), is Amazon's hiccup and retried: blocking orders on it would page an operator for
 * nothing. None is the order's fault.
 */
const APP_REFUSALS = new Set(['invalid_client', 'unauthorized_client']);
const REFUSALS = new Set([...APP_REFUSALS, 'invalid_grant']);

function lwaFailure(operation: string, grant: LwaGrant, status: number, body: string): SpApiError {
  const parsed = lwaErrorSchema.safeParse(parseJson(body));
  const code = parsed.success ? parsed.data.error : undefined;
  const said = parsed.success
    ? `${parsed.data.error}${parsed.data.error_description ? ` (${parsed.data.error_description})` : ''}`
    : 'no LWA error body';
  const message = `LWA token request answered HTTP ${status}: ${said}`.slice(0, 500);
  if (status === 429) return new SpApiError('throttled', operation, message, { status, code, retryAfterMs: 1000 });
  if (status >= 500 || status === 408 || status < 400 || code === undefined || !REFUSALS.has(code)) {
    return new SpApiError('transient', operation, message, { status, code });
  }
  const credential: CredentialOwner =
    APP_REFUSALS.has(code) || grant.type === 'client_credentials'
      ? { kind: 'app' }
      : { kind: 'seller', sellerId: grant.sellerId ?? 'of LWA_REFRESH_TOKEN' };
  const words = lwaRefusalWords(credential, `HTTP ${status} ${said}`.slice(0, 300));
  return new SpApiError('credential-refused', operation, words, { status, code, credential });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
