import { z } from 'zod';
import { SpApiError } from './errors';
import { lwaErrorSchema } from './schemas';
import { networkReason } from './scrub';

const OPERATION = 'lwa authorization_code';

const refreshTokenResponseSchema = z.object({ refresh_token: z.string().min(1) });

export interface AuthorizationCodeExchange {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  /** The `spapi_oauth_code` of the consent callback; valid 5 minutes, once. */
  code: string;
  /** The redirect URI the consent went back to, exactly as registered. */
  redirectUri: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * The website authorization workflow's last step: LWA turns the code into the seller's refresh token
 * (POST form `grant_type=authorization_code`). Failures are `SpApiError`s whose messages quote LWA's
 * error code and description, never the code, the secret or the token.
 */
export async function exchangeAuthorizationCode(
  exchange: AuthorizationCodeExchange,
): Promise<{ refreshToken: string }> {
  const secrets = [exchange.code, exchange.clientSecret];
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: exchange.code,
    redirect_uri: exchange.redirectUri,
    client_id: exchange.clientId,
    client_secret: exchange.clientSecret,
  });
  let response: Response;
  let body: string;
  try {
    response = await (exchange.fetch ?? fetch)(exchange.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(exchange.timeoutMs ?? 10_000),
    });
    body = await response.text();
  } catch (error) {
    throw new SpApiError('transient', OPERATION, `LWA token request failed: ${networkReason(error, secrets)}`);
  }
  const json = parseJson(body);
  if (!response.ok) {
    const refusal = lwaErrorSchema.safeParse(json);
    const said = refusal.success
      ? `${refusal.data.error}${refusal.data.error_description ? ` (${refusal.data.error_description})` : ''}`
      : 'no LWA error body';
    const status = response.status;
    const kind = status >= 500 || status === 429 || !refusal.success ? 'transient' : 'invalid-input';
    throw new SpApiError(kind, OPERATION, `LWA answered HTTP ${status}: ${said}`.slice(0, 300), {
      status,
      ...(refusal.success && { code: refusal.data.error }),
    });
  }
  const token = refreshTokenResponseSchema.safeParse(json);
  if (!token.success) {
    throw new SpApiError('transient', OPERATION, 'LWA answered with a body that holds no refresh token', {
      status: response.status,
    });
  }
  return { refreshToken: token.data.refresh_token };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
