import { randomBytes } from 'node:crypto';
import type { SimResponse } from './amazon-errors';

export const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';

/** Whom an access token speaks for. */
export type TokenSubject = { type: 'seller'; sellerId: string } | { type: 'application'; scope: string };

export type TokenCheck =
  { ok: true; subject: TokenSubject } | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'revoked' };

/**
 * Login with Amazon's token endpoint (`POST /auth/o2/token`, form-encoded): the `refresh_token` grant for a
 * seller and the `client_credentials` grant for grantless operations, both checked against the app's
 * client ID and secret, issuing access tokens that expire by the simulator's clock.
 */
export class SimulatedLwa {
  /** refresh token -> seller ID */
  private readonly refreshTokens = new Map<string, string>();
  private readonly revokedSellers = new Set<string>();
  private readonly accessTokens = new Map<string, { subject: TokenSubject; expiresAt: number }>();
  /** The app's client secrets LWA accepts: two while a rotation overlaps, as in Solution Provider Portal. */
  private readonly clientSecrets: Set<string>;
  private newestSecret: string;

  constructor(
    private readonly clientId: string,
    clientSecret: string,
    private readonly lifetimeSeconds: number,
  ) {
    this.clientSecrets = new Set([clientSecret]);
    this.newestSecret = clientSecret;
  }

  /** The secret last issued, the one a deployment should hold. */
  get clientSecret(): string {
    return this.newestSecret;
  }

  addSeller(sellerId: string, refreshToken: string): void {
    this.refreshTokens.set(refreshToken, sellerId);
  }

  /** The seller withdrew the app's authorization: LWA refuses its refresh token, SP-API its access tokens. */
  revokeSeller(sellerId: string): void {
    this.revokedSellers.add(sellerId);
  }

  /** The seller authorized the app again with the same refresh token. */
  restoreSeller(sellerId: string): void {
    this.revokedSellers.delete(sellerId);
  }

  /** A new client secret; the old one keeps working until it expires. */
  rotateClientSecret(secret: string): void {
    this.clientSecrets.add(secret);
    this.newestSecret = secret;
  }

  /** Past its deadline: LWA answers `invalid_client` to requests that carry this secret. */
  expireClientSecret(secret: string): void {
    this.clientSecrets.delete(secret);
  }

  expireAccessTokens(nowMs: number): void {
    for (const token of this.accessTokens.values()) token.expiresAt = Math.min(token.expiresAt, nowMs);
  }

  token(form: URLSearchParams, nowMs: number): { response: SimResponse; grantType: string; sellerId?: string } {
    const grantType = form.get('grant_type') ?? '';
    const answer = (response: SimResponse, sellerId?: string) => ({ response, grantType, sellerId });
    if (form.get('client_id') !== this.clientId || !this.clientSecrets.has(form.get('client_secret') ?? '')) {
      return answer(lwaError(401, 'invalid_client', 'Client authentication failed'));
    }
    if (grantType === 'refresh_token') {
      const sellerId = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (sellerId === undefined || this.revokedSellers.has(sellerId)) {
        // A revoked seller is named in the records, so that tests count the requests its refusal cost.
        return answer(
          lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token'),
          sellerId,
        );
      }
      const issued = this.issue({ type: 'seller', sellerId }, nowMs);
      return answer({ status: 200, body: { ...issued, refresh_token: form.get('refresh_token') } }, sellerId);
    }
    if (grantType === 'client_credentials') {
      const scope = form.get('scope') ?? '';
      if (scope !== NOTIFICATIONS_SCOPE)
        return answer(lwaError(400, 'invalid_scope', 'An unknown scope was requested'));
      return answer({ status: 200, body: { ...this.issue({ type: 'application', scope }, nowMs), scope } });
    }
    return answer(lwaError(400, 'unsupported_grant_type', 'The authorization grant type is not supported'));
  }

  check(accessToken: string | undefined, nowMs: number): TokenCheck {
    if (!accessToken) return { ok: false, reason: 'missing' };
    const token = this.accessTokens.get(accessToken);
    if (!token) return { ok: false, reason: 'invalid' };
    if (nowMs >= token.expiresAt) return { ok: false, reason: 'expired' };
    if (token.subject.type === 'seller' && this.revokedSellers.has(token.subject.sellerId)) {
      return { ok: false, reason: 'revoked' };
    }
    return { ok: true, subject: token.subject };
  }

  private issue(subject: TokenSubject, nowMs: number) {
    const accessToken = `Atza|${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(accessToken, { subject, expiresAt: nowMs + this.lifetimeSeconds * 1000 });
    return { access_token: accessToken, token_type: 'bearer', expires_in: this.lifetimeSeconds };
  }
}

function lwaError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error_description: description, error } };
}
