import type { OrderRef } from '../../../src/domain/contract';
import { createSpApiClients } from '../../../src/spapi/clients';
import { REFUSAL_HOLD_MS } from '../../../src/spapi/credential-circuit';
import type { CredentialOwner, SpApiError } from '../../../src/spapi/errors';
import { liveSellers, type SellerEntry } from '../../../src/spapi/sellers';
import { HOUR, manualClock, SECOND } from '../../helpers/clock';

const LWA = 'https://lwa.test/auth/o2/token';
const SPAPI = 'https://spapi.test';
const MARKETPLACE = 'ATVPDKIKX0DER';

/**
 * A fake LWA that refuses the refresh tokens and client secrets it is told to, and a fake SP-API that
 * offers the review request to any order: what the circuit saves is counted in LWA requests.
 */
function fakeAmazon(sellers: Record<string, string>) {
  const clock = manualClock('2026-03-10T12:00:00Z');
  const refusedTokens = new Set<string>();
  const validSecrets = new Set(['secret-1']);
  const lwaRequests: { refreshToken: string | null; secret: string | null }[] = [];
  let spApiRequests = 0;
  let secret = 'secret-1';
  const entries = new Map<string, SellerEntry>(
    Object.entries(sellers).map(([id, refreshToken]) => [id, { refreshToken }]),
  );
  const refusals: CredentialOwner[] = [];
  const fetch = (url: string, init?: { body?: string }): Promise<Response> => {
    if (url === LWA) {
      const form = new URLSearchParams(init?.body);
      lwaRequests.push({ refreshToken: form.get('refresh_token'), secret: form.get('client_secret') });
      if (!validSecrets.has(form.get('client_secret') ?? '')) {
        return Promise.resolve(Response.json({ error: 'invalid_client' }, { status: 401 }));
      }
      if (refusedTokens.has(form.get('refresh_token') ?? '')) {
        return Promise.resolve(Response.json({ error: 'invalid_grant' }, { status: 400 }));
      }
      return Promise.resolve(Response.json({ access_token: `Atza|${lwaRequests.length}`, expires_in: 3600 }));
    }
    spApiRequests += 1;
    return Promise.resolve(
      Response.json({ _links: { actions: [{ href: '/x', name: 'productReviewAndSellerFeedback' }] } }),
    );
  };
  const clients = createSpApiClients(
    {
      lwaClientId: 'amzn1.application-oa2-client.test',
      lwaClientSecret: () => secret,
      lwaEndpoint: LWA,
      spApiEndpoint: SPAPI,
      sellers: liveSellers(() => entries),
    },
    { fetch: fetch as typeof globalThis.fetch, now: clock.nowMs, observeRefusal: (owner) => refusals.push(owner) },
  );
  return {
    clock,
    clients,
    lwaRequests,
    refusals,
    refuse: (token: string) => refusedTokens.add(token),
    restore: (token: string) => refusedTokens.delete(token),
    validSecrets,
    useSecret: (value: string) => (secret = value),
    setRefreshToken: (sellerId: string, refreshToken: string) => entries.set(sellerId, { refreshToken }),
    spApiRequests: () => spApiRequests,
  };
}

const order = (sellerId: string, n: number, attempt?: 'expedite'): OrderRef => ({
  amazonOrderId: `111-0000000-${String(n).padStart(7, '0')}`,
  marketplaceId: MARKETPLACE,
  sellerId,
  ...(attempt && { attempt }),
});

async function outcome(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => 'ok',
    (error: SpApiError) => error.kind,
  );
}

describe('the per-credential circuit', () => {
  it('asks LWA at most once per 5 minutes for a refused seller, however many orders: 100 orders in an hour, 12 requests', async () => {
    const amazon = fakeAmazon({ A1REFUSED: 'Atzr|refused', A2FINE: 'Atzr|fine' });
    amazon.refuse('Atzr|refused');
    const outcomes: string[] = [];
    for (let n = 0; n < 100; n += 1) {
      outcomes.push(await outcome(amazon.clients.solicitations.getSolicitationActionsForOrder(order('A1REFUSED', n))));
      outcomes.push(await outcome(amazon.clients.solicitations.getSolicitationActionsForOrder(order('A2FINE', n))));
      amazon.clock.advance(HOUR / 100);
    }
    const refusedAsks = amazon.lwaRequests.filter((request) => request.refreshToken === 'Atzr|refused');
    expect(refusedAsks.length).toBeLessThanOrEqual(12);
    expect(refusedAsks.length).toBeGreaterThanOrEqual(11);
    expect(outcomes.filter((kind, index) => index % 2 === 0)).toEqual(Array(100).fill('credential-refused'));
    // The other seller is served as usual, and the refused one never reached SP-API.
    expect(outcomes.filter((kind, index) => index % 2 === 1)).toEqual(Array(100).fill('ok'));
    expect(amazon.spApiRequests()).toBe(100);
    // Only refusals Amazon answered are counted, not the ones the circuit held.
    expect(amazon.refusals).toHaveLength(refusedAsks.length);
  });

  it('fails fast with the words of the refusal, and asks again once the 5 minutes are over', async () => {
    const amazon = fakeAmazon({ A1SELLER: 'Atzr|one' });
    amazon.refuse('Atzr|one');
    const get = () => amazon.clients.solicitations.getSolicitationActionsForOrder(order('A1SELLER', 1));
    await expect(get()).rejects.toMatchObject({ kind: 'credential-refused' });
    const held = (await get().catch((error: unknown) => error)) as SpApiError;
    expect(held).toMatchObject({ kind: 'credential-refused', details: { code: 'invalid_grant' } });
    expect(held.message).toMatch(/LWA refused seller A1SELLER's authorization .* held by this worker/);
    // The operation is named once, by the message; the reason is the refusal's own words.
    expect(held.message).toBe(`${held.operation}: ${held.reason}`);
    expect(held.reason).toMatch(/^LWA refused seller A1SELLER's authorization/);
    expect(amazon.lwaRequests).toHaveLength(1);
    amazon.restore('Atzr|one');
    amazon.clock.advance(REFUSAL_HOLD_MS - SECOND);
    await expect(get()).rejects.toMatchObject({ kind: 'credential-refused' });
    amazon.clock.advance(SECOND);
    await expect(get()).resolves.toEqual(['productReviewAndSellerFeedback']);
    expect(amazon.lwaRequests).toHaveLength(2);
  });

  it('lets an expedite make one real attempt while the credential is held', async () => {
    const amazon = fakeAmazon({ A1SELLER: 'Atzr|one' });
    amazon.refuse('Atzr|one');
    await outcome(amazon.clients.solicitations.getSolicitationActionsForOrder(order('A1SELLER', 1)));
    await expect(
      amazon.clients.solicitations.getSolicitationActionsForOrder(order('A1SELLER', 2, 'expedite')),
    ).rejects.toMatchObject({ kind: 'credential-refused' });
    expect(amazon.lwaRequests).toHaveLength(2);
    // The operator fixed it: the expedite goes out at once, and the circuit is closed for everyone.
    amazon.restore('Atzr|one');
    await expect(
      amazon.clients.solicitations.createProductReviewAndSellerFeedbackSolicitation(order('A1SELLER', 2, 'expedite')),
    ).resolves.toBeUndefined();
    await expect(
      amazon.clients.solicitations.getSolicitationActionsForOrder(order('A1SELLER', 3)),
    ).resolves.toHaveLength(1);
    expect(amazon.lwaRequests).toHaveLength(3);
  });

  it('holds a refused client secret for every seller, and tries a rotated one at once', async () => {
    const amazon = fakeAmazon({ A1ONE: 'Atzr|one', A2TWO: 'Atzr|two' });
    amazon.validSecrets.clear();
    amazon.validSecrets.add('secret-2');
    const get = (sellerId: string) => amazon.clients.solicitations.getSolicitationActionsForOrder(order(sellerId, 1));
    await expect(get('A1ONE')).rejects.toMatchObject({ details: { credential: { kind: 'app' } } });
    await expect(get('A2TWO')).rejects.toMatchObject({
      kind: 'credential-refused',
      details: { credential: { kind: 'app' } },
    });
    expect(amazon.lwaRequests).toHaveLength(1);
    amazon.useSecret('secret-2');
    await expect(get('A1ONE')).resolves.toHaveLength(1);
    await expect(get('A2TWO')).resolves.toHaveLength(1);
    expect(amazon.lwaRequests.map((request) => request.secret)).toEqual(['secret-1', 'secret-2', 'secret-2']);
  });

  it('tries a renewed refresh token at once', async () => {
    const amazon = fakeAmazon({ A1SELLER: 'Atzr|old' });
    amazon.refuse('Atzr|old');
    const get = () => amazon.clients.solicitations.getSolicitationActionsForOrder(order('A1SELLER', 1));
    await expect(get()).rejects.toMatchObject({ kind: 'credential-refused' });
    await expect(get()).rejects.toMatchObject({ kind: 'credential-refused' });
    expect(amazon.lwaRequests).toHaveLength(1);
    amazon.setRefreshToken('A1SELLER', 'Atzr|new');
    await expect(get()).resolves.toHaveLength(1);
    expect(amazon.lwaRequests.map((request) => request.refreshToken)).toEqual(['Atzr|old', 'Atzr|new']);
  });
});
