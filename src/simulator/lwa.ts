import { randomBytes } from 'node:crypto';
import type { SimResponse } from './amazon-errors';

export const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';
export const CLIENT_SECRET_ROTATION_SCOPE = 'sellingpartnerapi::client_credential:rotation';
const GRANTLESS_SCOPES = new Set([NOTIFICATIONS_SCOPE, CLIENT_SECRET_ROTATION_SCOPE]);
/** Amazon's `spapi_oauth_code` is valid for 5 minutes. */
const AUTHORIZATION_CODE_LIFETIME_MS = 5 * 60_000;

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
  /** Secret -> when LWA stops taking it (by the simulator's clock), for an old secret after a rotation. */
  private readonly secretDeadlines = new Map<string, number>();
  private newestSecret: string;
  /** Authorization code -> the seller who consented, the redirect URI it was issued for, its deadline. */
  private readonly authorizationCodes = new Map<string, { sellerId: string; redirectUri: string; expiresAt: number }>();

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

  /**
   * A new client secret; the old one keeps working until it expires (`expireClientSecret`) or, when
   * `oldSecretDeadline` is given, until the simulator's clock passes it.
   */
  rotateClientSecret(secret: string, oldSecretDeadline?: number): void {
    if (oldSecretDeadline !== undefined) this.secretDeadlines.set(this.newestSecret, oldSecretDeadline);
    this.clientSecrets.add(secret);
    this.newestSecret = secret;
  }

  /** A seller consented: a single-use code for the redirect, exchanged for its refresh token. */
  issueAuthorizationCode(sellerId: string, refreshToken: string, redirectUri: string, nowMs: number): string {
    this.addSeller(sellerId, refreshToken);
    this.restoreSeller(sellerId);
    const code = `ANDSA${randomBytes(12).toString('hex')}`;
    this.authorizationCodes.set(code, { sellerId, redirectUri, expiresAt: nowMs + AUTHORIZATION_CODE_LIFETIME_MS });
    return code;
  }

  private refreshTokenOf(sellerId: string): string | undefined {
    for (const [token, owner] of this.refreshTokens) if (owner === sellerId) return token;
    return undefined;
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
    const secret = form.get('client_secret') ?? '';
    const deadline = this.secretDeadlines.get(secret);
    if (deadline !== undefined && nowMs >= deadline) this.expireClientSecret(secret);
    if (form.get('client_id') !== this.clientId || !this.clientSecrets.has(secret)) {
      return answer(lwaError(401, 'invalid_client', 'Client authentication failed'));
    }
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const issued = this.authorizationCodes.get(code);
      this.authorizationCodes.delete(code);
      if (issued === undefined || nowMs >= issued.expiresAt || issued.redirectUri !== form.get('redirect_uri')) {
        return answer(lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : code'));
      }
      const token = this.issue({ type: 'seller', sellerId: issued.sellerId }, nowMs);
      return answer(
        { status: 200, body: { ...token, refresh_token: this.refreshTokenOf(issued.sellerId) } },
        issued.sellerId,
      );
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
      if (!GRANTLESS_SCOPES.has(scope)) return answer(lwaError(400, 'invalid_scope', 'An unknown scope was requested'));
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
