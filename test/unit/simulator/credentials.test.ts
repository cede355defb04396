import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { CLIENT_SECRET_ROTATION_SCOPE } from '../../../src/spapi/application-client';
import { exchangeAuthorizationCode } from '../../../src/spapi/lwa-authorization-code';
import { SpApiError } from '../../../src/spapi/errors';
import { responseValidator } from '../../helpers/amazon-models';
import { DAY, manualClock } from '../../helpers/clock';

const REDIRECT = 'http://127.0.0.1:8300/connect/callback';
let clock: ReturnType<typeof manualClock>;
let sim: SpApiSimulator;

beforeEach(async () => {
  clock = manualClock('2026-03-10T12:00:00Z');
  sim = await startSpApiSimulator({ now: clock.now, redirectUri: REDIRECT });
});
afterEach(() => sim.close());

async function lwa(form: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(sim.lwaUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: sim.clientId, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function rotate(accessToken: string): Promise<Response> {
  return fetch(`${sim.url}/applications/2023-11-30/clientSecret`, {
    method: 'POST',
    headers: { 'x-amz-access-token': accessToken },
  });
}

describe('client secret rotation', () => {
  it("answers 400 as the model says while no queue is registered, and needs the rotation scope's token", async () => {
    const rotation = await lwa({
      client_secret: sim.clientSecret,
      grant_type: 'client_credentials',
      scope: CLIENT_SECRET_ROTATION_SCOPE,
    });
    const notifications = await lwa({
      client_secret: sim.clientSecret,
      grant_type: 'client_credentials',
      scope: 'sellingpartnerapi::notifications',
    });
    const refused = await rotate(notifications.body.access_token!);
    expect(refused.status).toBe(403);
    const answer = await rotate(rotation.body.access_token!);
    expect(answer.status).toBe(400);
    const validate = responseValidator('rotateApplicationClientSecret', 400);
    expect(validate(await answer.json())).toBe(true);
  });

  it('rotates: the new secret works at once, the old one until its grace ends', async () => {
    // A queue nobody listens on: the notice is lost, the rotation happens all the same.
    sim.setApplicationQueue({ endpoint: 'http://127.0.0.1:9', url: 'http://127.0.0.1:9/000000000000/none' });
    const old = sim.clientSecret;
    const { body } = await lwa({
      client_secret: old,
      grant_type: 'client_credentials',
      scope: CLIENT_SECRET_ROTATION_SCOPE,
    });
    expect((await rotate(body.access_token!)).status).toBe(204);
    expect(sim.clientSecret).not.toBe(old);
    const grant = { grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications' };
    expect((await lwa({ client_secret: sim.clientSecret, ...grant })).status).toBe(200);
    expect((await lwa({ client_secret: old, ...grant })).status).toBe(200);
    clock.advance(7 * DAY);
    expect(await lwa({ client_secret: old, ...grant })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect((await lwa({ client_secret: sim.clientSecret, ...grant })).status).toBe(200);
  });
});

describe('website authorization workflow', () => {
  it('consent redirects back with state, seller and a code that LWA exchanges once for a working refresh token', async () => {
    const consent = await fetch(
      `${sim.url}/apps/authorize/consent?application_id=${sim.applicationId}&state=s-123&version=beta`,
    );
    expect(consent.status).toBe(200);
    expect(await consent.text()).toContain('Draft application');
    const confirm = await fetch(`${sim.url}/apps/authorize/confirm?state=s-123&selling_partner_id=A2NEWSELLER`, {
      redirect: 'manual',
    });
    expect(confirm.status).toBe(302);
    const back = new URL(confirm.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('s-123');
    expect(back.searchParams.get('selling_partner_id')).toBe('A2NEWSELLER');
    const code = back.searchParams.get('spapi_oauth_code')!;

    const exchange = {
      endpoint: sim.lwaUrl,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      redirectUri: REDIRECT,
      code,
    };
    const { refreshToken } = await exchangeAuthorizationCode(exchange);
    const seller = await lwa({
      client_secret: sim.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    expect(seller.status).toBe(200);

    const reused = await exchangeAuthorizationCode(exchange).catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(SpApiError);
    expect(reused).toMatchObject({ kind: 'invalid-input', details: { code: 'invalid_grant' } });
    expect((reused as Error).message).not.toContain(code);
    expect((reused as Error).message).not.toContain(sim.clientSecret);
  });

  it('refuses a code past its 5 minutes, or for another redirect URI, and an unknown application', async () => {
    const confirm = await fetch(`${sim.url}/apps/authorize/confirm?state=s&selling_partner_id=A3LATE`, {
      redirect: 'manual',
    });
    const code = new URL(confirm.headers.get('location')!).searchParams.get('spapi_oauth_code')!;
    const exchange = { endpoint: sim.lwaUrl, clientId: sim.clientId, clientSecret: sim.clientSecret, code };
    await expect(exchangeAuthorizationCode({ ...exchange, redirectUri: 'https://elsewhere/cb' })).rejects.toThrow(
      'invalid_grant',
    );
    const again = await fetch(`${sim.url}/apps/authorize/confirm?state=s&selling_partner_id=A3LATE`, {
      redirect: 'manual',
    });
    const late = new URL(again.headers.get('location')!).searchParams.get('spapi_oauth_code')!;
    clock.advance(5 * 60_000);
    await expect(exchangeAuthorizationCode({ ...exchange, code: late, redirectUri: REDIRECT })).rejects.toThrow(
      'invalid_grant',
    );
    expect((await fetch(`${sim.url}/apps/authorize/consent?application_id=other&state=s`)).status).toBe(400);
  });
});
