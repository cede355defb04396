import type { SpApiSimulator } from '../../../src/simulator';
import type { SpApiClients } from '../../../src/spapi/clients';
import { SpApiError } from '../../../src/spapi/errors';
import { REFUSAL_HOLD_MS } from '../../../src/spapi/credential-circuit';
import { LwaTokenProvider, NOTIFICATIONS_SCOPE } from '../../../src/spapi/lwa';
import { HOUR, SECOND, type manualClock } from '../../helpers/clock';
import { MARKETPLACE, simulatorWithClients } from '../../helpers/spapi';

let sim: SpApiSimulator;
let clients: SpApiClients;
let clock: ReturnType<typeof manualClock>;

const ref = { amazonOrderId: '111-0000000-0000001', marketplaceId: MARKETPLACE, sellerId: 'A1SIMULATEDSELLER' };

beforeEach(async () => {
  ({ sim, clients, clock } = await simulatorWithClients('2026-03-10T12:00:00Z', { simulator: { usagePlans: false } }));
  sim.addOrder({ ...ref, earliestDeliveryDate: '2026-02-20T00:00:00Z', latestDeliveryDate: '2026-02-25T00:00:00Z' });
});
afterEach(() => sim.close());

const statuses = () => sim.requests.map((request) => request.status);

/** Another open order of the same seller. */
function order(amazonOrderId: string) {
  const other = { ...ref, amazonOrderId };
  sim.addOrder({ ...other, earliestDeliveryDate: '2026-02-20T00:00:00Z', latestDeliveryDate: '2026-02-25T00:00:00Z' });
  return other;
}

describe('LWA access tokens', () => {
  it('are reused until shortly before they expire, then refreshed before any call fails', async () => {
    await clients.solicitations.getSolicitationActionsForOrder(ref);
    clock.advance(HOUR - 2 * 60 * SECOND);
    await clients.solicitations.getSolicitationActionsForOrder(ref);
    expect(sim.tokenRequests).toHaveLength(1);

    clock.advance(90 * SECOND);
    await clients.solicitations.getSolicitationActionsForOrder(ref);
    expect(sim.tokenRequests).toHaveLength(2);
    expect(statuses()).toEqual([200, 200, 200]);
  });

  it('are refreshed for the next attempt when Amazon answers 403 to one issued earlier', async () => {
    await clients.solicitations.getSolicitationActionsForOrder(ref);
    sim.expireAccessTokens();
    // The repeat is the caller's next attempt, which goes through the seller's pacing like any call.
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).rejects.toMatchObject({
      kind: 'transient',
      reason: expect.stringMatching(
        /^access denied with an access token issued earlier; the next attempt takes a fresh one/,
      ) as unknown,
    });
    expect(sim.tokenRequests).toHaveLength(1);
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).resolves.toEqual([
      'productReviewAndSellerFeedback',
    ]);
    expect(statuses()).toEqual([200, 403, 200]);
    expect(sim.tokenRequests).toHaveLength(2);
  });

  it('are refreshed once for many calls rejected together', async () => {
    await clients.solicitations.getSolicitationActionsForOrder(ref);
    sim.expireAccessTokens();
    const denied = await Promise.allSettled(
      Array.from({ length: 8 }, () => clients.solicitations.getSolicitationActionsForOrder(ref)),
    );
    expect(denied.map((outcome) => outcome.status)).toEqual(Array(8).fill('rejected'));
    await Promise.all(Array.from({ length: 8 }, () => clients.solicitations.getSolicitationActionsForOrder(ref)));
    expect(sim.tokenRequests).toHaveLength(2);
  });

  it('hold a denial that survives a refresh for 5 minutes: no LWA request and no repeat for it meanwhile', async () => {
    const orders = Array.from({ length: 6 }, (_, i) => order(`111-0000000-00001${i}0`));
    await clients.solicitations.getSolicitationActionsForOrder(orders[0]!);
    for (const denied of orders) sim.revokeOrderAuthorization(denied.amazonOrderId);
    // A token issued earlier: the next attempt takes a fresh one; with it the denial stands.
    await expect(clients.solicitations.getSolicitationActionsForOrder(orders[0]!)).rejects.toMatchObject({
      kind: 'transient',
    });
    await expect(clients.solicitations.getSolicitationActionsForOrder(orders[0]!)).rejects.toMatchObject({
      kind: 'credential-refused',
    });
    expect(sim.tokenRequests).toHaveLength(2);
    // Inside the hold, every other order's denial stands at once: one call each, no token asked for.
    for (const denied of orders.slice(1)) {
      await expect(clients.solicitations.getSolicitationActionsForOrder(denied)).rejects.toMatchObject({
        kind: 'credential-refused',
      });
    }
    expect(sim.tokenRequests).toHaveLength(2);
    expect(sim.requests).toHaveLength(1 + 2 + 5);
    // After it, a denial is tried once more with a fresh token.
    clock.advance(REFUSAL_HOLD_MS);
    await expect(clients.solicitations.getSolicitationActionsForOrder(orders[1]!)).rejects.toMatchObject({
      kind: 'transient',
    });
    await expect(clients.solicitations.getSolicitationActionsForOrder(orders[1]!)).rejects.toMatchObject({
      kind: 'credential-refused',
    });
    expect(sim.tokenRequests).toHaveLength(3);
  });

  it('are requested once for concurrent first calls', async () => {
    await Promise.all(Array.from({ length: 8 }, () => clients.solicitations.getSolicitationActionsForOrder(ref)));
    expect(sim.tokenRequests).toHaveLength(1);
  });

  it('are kept apart for a seller and for grantless operations', async () => {
    await clients.solicitations.getSolicitationActionsForOrder(ref);
    await clients.notifications.getDestinations({ region: 'na' });
    await clients.notifications.getDestinations({ region: 'na' });
    expect(sim.tokenRequests.map((request) => request.grantType)).toEqual(['refresh_token', 'client_credentials']);
  });

  it("fail as a refusal of the app's credentials when LWA refuses the client secret", async () => {
    const provider = new LwaTokenProvider({ endpoint: sim.lwaUrl, clientId: sim.clientId, clientSecret: 'wrong' });
    const refused = provider.accessToken({ type: 'client_credentials', scope: NOTIFICATIONS_SCOPE }, 'getDestinations');
    await expect(refused).rejects.toMatchObject({
      kind: 'credential-refused',
      operation: 'getDestinations',
      details: { status: 401, code: 'invalid_client', credential: { kind: 'app' } },
      message: expect.stringContaining("LWA refused the app's client credentials") as unknown,
    });
    await expect(refused).rejects.toThrow(/LWA_CLIENT_SECRET_FILE/);
    await expect(refused).rejects.not.toThrow(/wrong/);
  });

  it.each([
    ['a 5xx', new Response('{"error":"server_error"}', { status: 503 }), 'transient'],
    ['a body that is not a token', new Response('<html>ok</html>', { status: 200 }), 'transient'],
    ['throttling', new Response('{"error":"slow_down"}', { status: 429 }), 'throttled'],
    ['a request timeout', new Response('{"error":"timeout"}', { status: 408 }), 'transient'],
    ["a proxy's error page", new Response('<html>Forbidden</html>', { status: 403 }), 'transient'],
    ["a 4xx that is not LWA's JSON", new Response('{"message":"denied"}', { status: 400 }), 'transient'],
    ['a revoked refresh token', new Response('{"error":"invalid_grant"}', { status: 400 }), 'credential-refused'],
    ['a wrong client secret', new Response('{"error":"invalid_client"}', { status: 401 }), 'credential-refused'],
    [
      'an app not allowed the grant',
      new Response('{"error":"unauthorized_client"}', { status: 400 }),
      'credential-refused',
    ],
    // Amazon's own hiccups in LWA's words: retried, never a refusal that blocks orders and pages an operator.
    ['a malformed request', new Response('{"error":"invalid_request"}', { status: 400 }), 'transient'],
    ['LWA briefly unavailable', new Response('{"error":"temporarily_unavailable"}', { status: 400 }), 'transient'],
    ["LWA's own error in a 4xx", new Response('{"error":"server_error"}', { status: 400 }), 'transient'],
    ['a code LWA may add later', new Response('{"error":"access_denied"}', { status: 401 }), 'transient'],
  ])('fail as %s is classified', async (_what, answer, kind) => {
    const provider = new LwaTokenProvider({
      endpoint: 'https://api.amazon.com/auth/o2/token',
      clientId: 'id',
      clientSecret: 'secret',
      fetch: () => Promise.resolve(answer),
    });
    const error = await provider.accessToken({ type: 'refresh_token', refreshToken: 'Atzr|x' }, 'searchOrders').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SpApiError);
    expect((error as SpApiError).kind).toBe(kind);
  });

  it('forget a rejected token only while it is the cached one', async () => {
    let issued = 0;
    const provider = new LwaTokenProvider({
      endpoint: 'https://api.amazon.com/auth/o2/token',
      clientId: 'id',
      clientSecret: 'secret',
      fetch: () => Promise.resolve(Response.json({ access_token: `Atza|${(issued += 1)}`, expires_in: 3600 })),
    });
    const grant = { type: 'refresh_token', refreshToken: 'Atzr|x' } as const;
    const first = await provider.accessToken(grant, 'op');
    provider.invalidate(grant, first);
    const second = await provider.accessToken(grant, 'op');
    provider.invalidate(grant, first);
    expect(await provider.accessToken(grant, 'op')).toBe(second);
    expect([first, second]).toEqual(['Atza|1', 'Atza|2']);
  });
});

describe('LWA refusals', () => {
  const refusing = (error: string, status = 400) =>
    new LwaTokenProvider({
      endpoint: 'https://api.amazon.com/auth/o2/token',
      clientId: 'id',
      clientSecret: 'secret-value',
      fetch: () => Promise.resolve(Response.json({ error, error_description: 'LWA says so' }, { status })),
    });
  const seller = { type: 'refresh_token', refreshToken: 'Atzr|x', sellerId: 'A1SELLER' } as const;

  it("name the seller's authorization for invalid_grant, and what to do", async () => {
    const error = (await refusing('invalid_grant')
      .accessToken(seller, 'op')
      .catch((e: unknown) => e)) as SpApiError;
    expect(error.details.credential).toEqual({ kind: 'seller', sellerId: 'A1SELLER' });
    expect(error.message).toBe(
      "op: LWA refused seller A1SELLER's authorization of the app (its refresh token): HTTP 400 invalid_grant " +
        '(LWA says so). The seller must authorize the app again and its new refresh token go into ' +
        'SPAPI_SELLERS_FILE (or LWA_REFRESH_TOKEN); orders waiting on it resume by themselves',
    );
  });

  it.each(['invalid_client', 'unauthorized_client'])("name the app's client secret for %s", async (code) => {
    const error = (await refusing(code, 401)
      .accessToken(seller, 'op')
      .catch((e: unknown) => e)) as SpApiError;
    expect(error).toMatchObject({ kind: 'credential-refused', details: { code, credential: { kind: 'app' } } });
    expect(error.message).not.toContain('secret-value');
    expect(error.message).not.toContain('Atzr|x');
  });
});
