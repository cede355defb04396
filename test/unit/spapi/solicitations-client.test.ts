import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrderRef } from '../../../src/domain/contract';
import type { SpApiSimulator } from '../../../src/simulator';
import type { SpApiClients } from '../../../src/spapi/clients';
import { spApiClientsFromEnv } from '../../../src/spapi/from-env';
import { DAY, SECOND } from '../../helpers/clock';
import { MARKETPLACE, simulatorWithClients, spApiErrorOf } from '../../helpers/spapi';

let sim: SpApiSimulator;
let clients: SpApiClients;
let clock: Awaited<ReturnType<typeof simulatorWithClients>>['clock'];
let counter = 0;

beforeEach(async () => {
  ({ sim, clients, clock } = await simulatorWithClients('2026-03-10T12:00:00Z', { simulator: { usagePlans: false } }));
});
afterEach(() => sim.close());

/** An order whose window opens `opensIn` from now (negative: already open). */
function order(opensIn: number, { sellerId = 'A1SIMULATEDSELLER' } = {}): OrderRef {
  counter += 1;
  const amazonOrderId = `111-0000000-${String(counter).padStart(7, '0')}`;
  const earliest = clock.nowMs() + opensIn - 5 * DAY;
  sim.addOrder({
    amazonOrderId,
    marketplaceId: MARKETPLACE,
    earliestDeliveryDate: new Date(earliest),
    latestDeliveryDate: new Date(earliest + 2 * DAY),
  });
  return { amazonOrderId, marketplaceId: MARKETPLACE, sellerId };
}

/** The credential refusal `call` rejects with on an order checked once, after `revoke` withdrew an authorization. */
async function refusedAfter(revoke: (ref: OrderRef) => void, call: (ref: OrderRef) => Promise<unknown>) {
  const ref = order(-DAY);
  await clients.solicitations.getSolicitationActionsForOrder(ref);
  revoke(ref);
  // Amazon denies the token issued earlier: the caller's next attempt takes a fresh one, and is refused.
  expect((await spApiErrorOf(call(ref))).kind).toBe('transient');
  const denied = await spApiErrorOf(call(ref));
  expect(denied.kind).toBe('credential-refused');
  return { ref, denied };
}

describe('SolicitationsClient against the simulator', () => {
  it('offers the action inside the window only, and sends once', async () => {
    const ref = order(2 * DAY);
    const { solicitations } = clients;
    await expect(solicitations.getSolicitationActionsForOrder(ref)).resolves.toEqual([]);
    const early = await spApiErrorOf(solicitations.createProductReviewAndSellerFeedbackSolicitation(ref));
    expect(early.kind).toBe('outside-window');

    clock.advance(2 * DAY);
    await expect(solicitations.getSolicitationActionsForOrder(ref)).resolves.toEqual([
      'productReviewAndSellerFeedback',
    ]);
    await solicitations.createProductReviewAndSellerFeedbackSolicitation(ref);
    await expect(solicitations.getSolicitationActionsForOrder(ref)).resolves.toEqual([]);
    const second = await spApiErrorOf(solicitations.createProductReviewAndSellerFeedbackSolicitation(ref));
    expect(second.kind).toBe('already-solicited');

    expect(sim.solicitations).toEqual([
      { amazonOrderId: ref.amazonOrderId, marketplaceId: MARKETPLACE, sellerId: ref.sellerId, at: clock.now() },
    ]);
    const window = sim.order(ref.amazonOrderId)!;
    expect(sim.solicitations[0]!.at >= window.solicitAfter && sim.solicitations[0]!.at < window.solicitBefore).toBe(
      true,
    );
  });

  it('closes the window 30 days after the latest delivery date', async () => {
    const ref = order(-1 * DAY);
    const closes = sim.order(ref.amazonOrderId)!.solicitBefore.getTime();
    clock.advance(closes - clock.nowMs() - 1);
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).resolves.toHaveLength(1);
    clock.advance(1);
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).resolves.toEqual([]);
    expect((await spApiErrorOf(clients.solicitations.createProductReviewAndSellerFeedbackSolicitation(ref))).kind).toBe(
      'outside-window',
    );
  });

  it('reports an empty answer inside the window as it comes, since Amazon sometimes gives one', async () => {
    const ref = order(-DAY);
    sim.emptyActionsOnce(ref.amazonOrderId);
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).resolves.toEqual([]);
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).resolves.toEqual([
      'productReviewAndSellerFeedback',
    ]);
  });

  it('classifies 429 with the delay from x-amzn-RateLimit-Limit, and 5xx as transient, without retrying', async () => {
    const ref = order(-DAY);
    sim.injectFailures(1, { status: 429, amazonOrderId: ref.amazonOrderId });
    sim.injectFailures(1, { status: 503, amazonOrderId: ref.amazonOrderId });
    const throttled = await spApiErrorOf(clients.solicitations.createProductReviewAndSellerFeedbackSolicitation(ref));
    expect(throttled).toMatchObject({ kind: 'throttled', details: { status: 429, retryAfterMs: 1000 } });
    const unavailable = await spApiErrorOf(clients.solicitations.createProductReviewAndSellerFeedbackSolicitation(ref));
    expect(unavailable).toMatchObject({ kind: 'transient', details: { status: 503 } });
    expect(sim.requests.map((request) => request.status)).toEqual([429, 503]);
    expect(sim.solicitations).toEqual([]);
  });

  it("answers 429 from the seller's token bucket: 1 request/s, burst 5", async () => {
    await sim.close();
    ({ sim, clients, clock } = await simulatorWithClients());
    const ref = order(-DAY);
    for (let i = 0; i < 5; i += 1) await clients.solicitations.getSolicitationActionsForOrder(ref);
    const throttled = await spApiErrorOf(clients.solicitations.getSolicitationActionsForOrder(ref));
    expect(throttled).toMatchObject({ kind: 'throttled', details: { retryAfterMs: 1000 } });
    // Another operation has a bucket of its own.
    await clients.solicitations.createProductReviewAndSellerFeedbackSolicitation(ref);
    clock.advance(SECOND);
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).resolves.toEqual([]);
    expect((await spApiErrorOf(clients.solicitations.getSolicitationActionsForOrder(ref))).kind).toBe('throttled');
  });

  it('is a credential refusal, at the next attempt with a fresh token, when the authorization is revoked', async () => {
    const { ref, denied } = await refusedAfter(
      (ref) => sim.revokeOrderAuthorization(ref.amazonOrderId),
      (ref) => clients.solicitations.createProductReviewAndSellerFeedbackSolicitation(ref),
    );
    expect(denied).toMatchObject({
      details: { status: 403, code: 'Unauthorized', credential: { kind: 'seller', sellerId: ref.sellerId } },
    });
    expect(denied.message).toContain(`seller ${ref.sellerId}'s authorization`);
    expect(denied.message).toContain('Buyer Solicitation role');
    expect(sim.requests.map((request) => request.status)).toEqual([200, 403, 403]);
    expect(sim.tokenRequests).toHaveLength(2);
  });

  it('is a credential refusal when the seller revoked the app, without calling SP-API a third time', async () => {
    const { ref, denied } = await refusedAfter(
      (ref) => sim.revokeSeller(ref.sellerId),
      (ref) => clients.solicitations.getSolicitationActionsForOrder(ref),
    );
    expect(denied).toMatchObject({
      details: { code: 'invalid_grant', credential: { kind: 'seller', sellerId: ref.sellerId } },
    });
    expect(denied.message).toMatch(/LWA refused seller \S+'s authorization of the app .*invalid_grant/);
    expect(sim.tokenRequests.map((request) => request.status)).toEqual([200, 400]);
  });

  it('refuses an unknown marketplace and an order Amazon does not know as invalid input', async () => {
    const unknownMarketplace = { amazonOrderId: '1', marketplaceId: 'XXXXXXXX', sellerId: 'A1SIMULATEDSELLER' };
    expect((await spApiErrorOf(clients.solicitations.getSolicitationActionsForOrder(unknownMarketplace))).kind).toBe(
      'invalid-input',
    );
    expect(sim.requests).toEqual([]);
    const missing = { amazonOrderId: '999-9999999-9999999', marketplaceId: MARKETPLACE, sellerId: 'A1SIMULATEDSELLER' };
    const notFound = await spApiErrorOf(
      clients.solicitations.createProductReviewAndSellerFeedbackSolicitation(missing),
    );
    expect(notFound).toMatchObject({ kind: 'invalid-input', details: { status: 404 } });
    // Asked whether it is offered, an order Amazon does not know is not offered: checked again on schedule.
    await expect(clients.solicitations.getSolicitationActionsForOrder(missing)).resolves.toEqual([]);
  });
});

describe('SolicitationsClient without an answer', () => {
  let silent: Server | undefined;

  afterEach(() => {
    silent?.closeAllConnections();
    silent?.close();
  });

  it('turns a timeout into a transient error', async () => {
    const { sim } = await simulatorWithClients();
    // Accepts the request and never answers.
    const server = createServer(() => undefined);
    silent = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const slow = spApiClientsFromEnv({ ...sim.env(), SPAPI_ENDPOINT: `http://127.0.0.1:${port}` }, { timeoutMs: 200 });
    const ref = { amazonOrderId: '1', marketplaceId: MARKETPLACE, sellerId: 'A1SIMULATEDSELLER' };
    const error = await spApiErrorOf(slow.solicitations.getSolicitationActionsForOrder(ref));
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('timed out');
    await sim.close();
  });

  it('turns a refused connection into a transient error', async () => {
    const { sim } = await simulatorWithClients();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = spApiClientsFromEnv({ ...sim.env(), SPAPI_ENDPOINT: `http://127.0.0.1:${port}` });
    const ref = { amazonOrderId: '1', marketplaceId: MARKETPLACE, sellerId: 'A1SIMULATEDSELLER' };
    const error = await spApiErrorOf(unreachable.solicitations.getSolicitationActionsForOrder(ref));
    expect(error.kind).toBe('transient');
    expect(error.message).toBe('getSolicitationActionsForOrder: no answer from SP-API: fetch failed (ECONNREFUSED)');
    await sim.close();
  });
});
