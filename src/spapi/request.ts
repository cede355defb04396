import type { z } from 'zod';
import type { Logger } from '../logging';
import type { SpApiResponseObserver } from '../domain/metrics';
import { classifyFailure } from './classify';
import type { EndpointResolver, SpApiRegion } from './endpoints';
import { accessDeniedWords } from './credential-words';
import { SpApiError, type CredentialOwner } from './errors';
import type { LwaGrant, LwaTokenProvider } from './lwa';
import { networkReason, scrubSecrets } from './scrub';
import type { SellerAuthorizations } from './sellers';

/**
 * A seller's operation, or a grantless one authorized by the application with `scope`. `read`: the call
 * only reads, so it is made for a paused seller too (reconciliation searches a paused seller's orders).
 */
export type SpApiAuth = { sellerId: string; read?: true } | { grantlessScope: string };

export type QueryValue = string | number | readonly string[] | undefined;

export interface SpApiCall {
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Built with `path` below, so that every parameter is encoded. */
  path: string;
  /** Arrays are sent comma-separated, the models' default (`collectionFormat: csv`). */
  query?: Record<string, QueryValue>;
  body?: unknown;
  region: SpApiRegion;
  auth: SpApiAuth;
  /** Make a real attempt even while the worker holds the credential as refused (an operator's expedite). */
  bypassCircuit?: boolean;
  /** `region`: a 403 after a fresh token means the seller's region refused, not its credential (`region-refused`). */
  accessDenied?: 'credential' | 'region';
}

export interface SpApiTransportOptions {
  lwa: LwaTokenProvider;
  sellers: SellerAuthorizations;
  endpoints: EndpointResolver;
  fetch?: typeof fetch;
  timeoutMs?: number;
  logger?: Logger;
  /** Told of every response, or of its absence, e.g. to count them by status. */
  observeResponse?: SpApiResponseObserver;
  /** Told of every access denied that survived a token refresh. */
  observeRefusal?: (owner: CredentialOwner) => void;
}

const USER_AGENT = 'review-solicitations (Language=TypeScript)';

/** Encodes each interpolated value as one path segment. */
export function path(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce(
    (out, text, index) => out + text + (index < values.length ? encodeURIComponent(values[index]!) : ''),
    '',
  );
}

/**
 * Sends SP-API calls with the right access token, and turns every failure into one `SpApiError`.
 * It never retries on its own: retries and their pacing belong to the caller (Temporal activities). A 403
 * means what it says only for a fresh token; with an older one it is a transient failure whose next attempt
 * takes a fresh token.
 */
export class SpApiTransport {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: SpApiTransportOptions) {
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  /** A call whose success is told by its status alone. */
  async send(call: SpApiCall): Promise<void> {
    await this.exchange(call);
  }

  /** A call whose successful body must match `schema`; one that does not is a transient error naming the operation. */
  async json<S extends z.ZodType>(call: SpApiCall, schema: S): Promise<z.output<S>> {
    const { status, body } = await this.exchange(call);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new SpApiError('transient', call.operation, `HTTP ${status} with a body that is not JSON`, { status });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      // Transient on purpose: a truncated body or a proxy's page heals on retry, and a changed model shows
      // up as a retrying activity with this message rather than as an order given up for good.
      throw new SpApiError(
        'transient',
        call.operation,
        `HTTP ${status} with a body that does not match Amazon's model${at}: ${issue?.message ?? 'invalid'}`,
        { status },
      );
    }
    return parsed.data;
  }

  /** Every error leaves scrubbed, as an `SpApiError`, whatever threw it. */
  private async exchange(call: SpApiCall): Promise<{ status: number; body: string }> {
    try {
      return await this.exchangeOnce(call);
    } catch (error) {
      if (!(error instanceof SpApiError)) {
        throw new SpApiError('transient', call.operation, `unexpected failure: ${networkReason(error)}`);
      }
      const reason = scrubSecrets(error.reason);
      if (reason === error.reason) throw error;
      const { cause: _cause, ...details } = error.details;
      throw new SpApiError(error.kind, error.operation, reason, details);
    }
  }

  /**
   * One call, one request to SP-API: a repeat after a denial is the caller's next attempt, so that it goes
   * through the seller's pacing like any other call (docs/spec.md "Workflow contract", `blocked`).
   */
  private async exchangeOnce(call: SpApiCall): Promise<{ status: number; body: string }> {
    const { lwa } = this.options;
    const grant = this.grantFor(call);
    const token = await lwa.tokenForCall(grant, call.operation, { bypassCircuit: call.bypassCircuit });
    const response = await this.attempt(call, token.accessToken);
    if (response.ok) return response;
    const failure = classifyFailure(call.operation, response);
    if (failure.kind !== 'unauthorized') throw failure;
    const held = lwa.refreshHeld(grant);
    if (token.fresh || (held && !call.bypassCircuit)) {
      if (!held) lwa.holdRefresh(grant);
      throw this.accessDenied(call, failure);
    }
    lwa.denied(grant, token.accessToken);
    this.options.logger?.info('spapi access denied: the next attempt takes a fresh access token', {
      operation: call.operation,
      status: response.status,
    });
    throw new SpApiError(
      'transient',
      call.operation,
      `access denied with an access token issued earlier; the next attempt takes a fresh one (${failure.reason})`,
      { status: failure.details.status, code: failure.details.code },
    );
  }

  /** A 403 that a fresh token did not cure: Amazon refuses this credential for this call. */
  private accessDenied(call: SpApiCall, failure: SpApiError): SpApiError {
    const credential: CredentialOwner =
      'sellerId' in call.auth ? { kind: 'seller', sellerId: call.auth.sellerId } : { kind: 'app' };
    if (call.accessDenied === 'region') {
      return new SpApiError(
        'region-refused',
        call.operation,
        `Amazon refused the search in ${call.region}: ${failure.reason}`,
        {
          ...failure.details,
        },
      );
    }
    this.options.observeRefusal?.(credential);
    return new SpApiError('credential-refused', call.operation, accessDeniedWords(credential, failure.reason), {
      ...failure.details,
      credential,
    });
  }

  private grantFor(call: SpApiCall): LwaGrant {
    if ('grantlessScope' in call.auth) return { type: 'client_credentials', scope: call.auth.grantlessScope };
    return {
      type: 'refresh_token',
      refreshToken: this.options.sellers.refreshTokenFor(call.auth.sellerId, call.operation, {
        paused: call.auth.read === true,
      }),
      sellerId: call.auth.sellerId,
    };
  }

  private async attempt(
    call: SpApiCall,
    accessToken: string,
  ): Promise<{ ok: boolean; status: number; rateLimitLimit: string | null; body: string }> {
    const url = `${this.options.endpoints(call.region)}${call.path}${queryString(call.query)}`;
    const headers: Record<string, string> = {
      'x-amz-access-token': accessToken,
      accept: 'application/json',
      'user-agent': USER_AGENT,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    let status: number | undefined;
    try {
      const response = await this.fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      const body = await response.text();
      this.options.logger?.debug('spapi call', {
        operation: call.operation,
        status: response.status,
        durationMs: Date.now() - started,
      });
      return {
        ok: response.ok,
        status: response.status,
        rateLimitLimit: response.headers.get('x-amzn-ratelimit-limit'),
        body,
      };
    } catch (error) {
      // The error itself is not kept as a cause: fetch's messages may quote the token or the URL's credentials.
      throw new SpApiError(
        'transient',
        call.operation,
        `no answer from SP-API: ${networkReason(error, [accessToken])}`,
      );
    } finally {
      this.options.observeResponse?.({ operation: call.operation, status });
    }
  }
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || (typeof value === 'object' && value.length === 0)) continue;
    params.set(name, typeof value === 'object' ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
