import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { HOUR, SECOND, manualClock } from '../../helpers/clock';

let clock: ReturnType<typeof manualClock>;
let sim: SpApiSimulator;

beforeEach(async () => {
  clock = manualClock('2026-03-10T12:00:00Z');
  sim = await startSpApiSimulator({ now: clock.now, sellers: { A1ONE: 'Atzr|one', A2TWO: 'Atzr|two' } });
});
afterEach(() => sim.close());

async function lwa(form: Record<string, string>) {
  const response = await fetch(sim.lwaUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const app = () => ({ client_id: sim.clientId, client_secret: sim.clientSecret });

async function getActions(accessToken: string, amazonOrderId = '111-0000000-0000001') {
  const response = await fetch(`${sim.url}/solicitations/v1/orders/${amazonOrderId}?marketplaceIds=ATVPDKIKX0DER`, {
    headers: { 'x-amz-access-token': accessToken },
  });
  return { status: response.status, body: (await response.json()) as { errors?: { message: string }[] } };
}

describe('the simulated LWA token endpoint', () => {
  it('issues seller tokens for known refresh tokens and app credentials only', async () => {
    const ok = await lwa({ ...app(), grant_type: 'refresh_token', refresh_token: 'Atzr|two' });
    expect(ok).toEqual({
      status: 200,
      body: {
        access_token: expect.stringMatching(/^Atza\|/),
        token_type: 'bearer',
        expires_in: 3600,
        refresh_token: 'Atzr|two',
      },
    });
    expect(await lwa({ ...app(), grant_type: 'refresh_token', refresh_token: 'Atzr|nope' })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' },
    });
    expect(
      await lwa({ ...app(), client_secret: 'wrong', grant_type: 'refresh_token', refresh_token: 'Atzr|two' }),
    ).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });
    expect((await lwa({ ...app(), grant_type: 'client_credentials', scope: 'other' })).body.error).toBe(
      'invalid_scope',
    );
    expect(
      (await lwa({ ...app(), grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications' })).status,
    ).toBe(200);
    expect(sim.tokenRequests.map(({ grantType, status, sellerId }) => ({ grantType, status, sellerId }))).toEqual([
      { grantType: 'refresh_token', status: 200, sellerId: 'A2TWO' },
      { grantType: 'refresh_token', status: 400, sellerId: undefined },
      { grantType: 'refresh_token', status: 401, sellerId: undefined },
      { grantType: 'client_credentials', status: 400, sellerId: undefined },
      { grantType: 'client_credentials', status: 200, sellerId: undefined },
    ]);
  });

  it("refuses a revoked seller's refresh token until the seller is restored", async () => {
    const refresh = () => lwa({ ...app(), grant_type: 'refresh_token', refresh_token: 'Atzr|one' });
    const { access_token: token } = (await refresh()).body as { access_token: string };
    sim.revokeSeller('A1ONE');
    expect(await refresh()).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' },
    });
    expect((await getActions(token)).status).toBe(403);
    expect((await lwa({ ...app(), grant_type: 'refresh_token', refresh_token: 'Atzr|two' })).status).toBe(200);
    sim.restoreSeller('A1ONE');
    expect((await refresh()).status).toBe(200);
    expect(sim.tokenRequests.map(({ status, sellerId }) => ({ status, sellerId }))).toEqual([
      { status: 200, sellerId: 'A1ONE' },
      { status: 400, sellerId: 'A1ONE' },
      { status: 200, sellerId: 'A2TWO' },
      { status: 200, sellerId: 'A1ONE' },
    ]);
  });

  it('takes a rotated client secret beside the old one until the old one expires', async () => {
    const old = sim.clientSecret;
    const refresh = (secret: string) =>
      lwa({ client_id: sim.clientId, client_secret: secret, grant_type: 'refresh_token', refresh_token: 'Atzr|one' });
    sim.rotateClientSecret('rotated-secret');
    expect(sim.clientSecret).toBe('rotated-secret');
    expect(sim.env().LWA_CLIENT_SECRET).toBe('rotated-secret');
    expect((await refresh(old)).status).toBe(200);
    expect((await refresh('rotated-secret')).status).toBe(200);
    sim.expireClientSecret(old);
    expect(await refresh(old)).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });
    expect((await refresh('rotated-secret')).status).toBe(200);
  });

  it('expires access tokens after their lifetime by the simulator clock', async () => {
    sim.addOrder({
      amazonOrderId: '111-0000000-0000001',
      marketplaceId: 'ATVPDKIKX0DER',
      earliestDeliveryDate: '2026-03-01T00:00:00Z',
      latestDeliveryDate: '2026-03-03T00:00:00Z',
    });
    const { body } = await lwa({ ...app(), grant_type: 'refresh_token', refresh_token: 'Atzr|one' });
    const token = body.access_token as string;
    clock.advance(HOUR - SECOND);
    expect((await getActions(token)).status).toBe(200);
    clock.advance(SECOND);
    expect(await getActions(token)).toEqual({
      status: 403,
      body: { errors: [{ code: 'Unauthorized', message: 'The security token included in the request is expired' }] },
    });
    // A grantless token does not open a seller's data.
    const grantless = await lwa({
      ...app(),
      grant_type: 'client_credentials',
      scope: 'sellingpartnerapi::notifications',
    });
    expect((await getActions(grantless.body.access_token as string)).status).toBe(403);
  });
});

describe('the simulated SP-API', () => {
  it("keeps one seller's orders from another", async () => {
    sim.addOrder({
      amazonOrderId: '111-0000000-0000001',
      sellerId: 'A1ONE',
      marketplaceId: 'ATVPDKIKX0DER',
      earliestDeliveryDate: '2026-03-01T00:00:00Z',
      latestDeliveryDate: '2026-03-03T00:00:00Z',
    });
    const two = await lwa({ ...app(), grant_type: 'refresh_token', refresh_token: 'Atzr|two' });
    expect((await getActions(two.body.access_token as string)).status).toBe(404);
  });

  it('records each request with its operation, order, seller, status and time', async () => {
    const { body } = await lwa({ ...app(), grant_type: 'refresh_token', refresh_token: 'Atzr|one' });
    await getActions(body.access_token as string, '111-0000000-0000042');
    clock.advance(SECOND);
    await fetch(`${sim.url}/messaging/v1/orders/1`);
    expect(sim.requests).toEqual([
      {
        at: new Date('2026-03-10T12:00:00Z'),
        operation: 'getSolicitationActionsForOrder',
        method: 'GET',
        path: '/solicitations/v1/orders/111-0000000-0000042',
        amazonOrderId: '111-0000000-0000042',
        sellerId: 'A1ONE',
        status: 404,
      },
      {
        at: new Date('2026-03-10T12:00:01Z'),
        operation: 'unknown',
        method: 'GET',
        path: '/messaging/v1/orders/1',
        status: 404,
      },
    ]);
  });

  it('moves an order and its window when it changes', () => {
    sim.addOrder({
      amazonOrderId: '111-0000000-0000001',
      marketplaceId: 'ATVPDKIKX0DER',
      earliestDeliveryDate: '2026-03-01T00:00:00Z',
      latestDeliveryDate: '2026-03-03T00:00:00Z',
    });
    const moved = sim.updateOrder('111-0000000-0000001', { latestDeliveryDate: '2026-03-13T00:00:00Z' });
    expect(moved.solicitAfter).toEqual(new Date('2026-03-06T00:00:00Z'));
    expect(moved.solicitBefore).toEqual(new Date('2026-04-12T00:00:00Z'));
    expect(() => sim.addOrder({ ...moved })).toThrow('exists already');
  });
});
