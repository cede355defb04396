import type { OrderRef } from '../../../src/domain/contract';
import { freePort } from '../../../src/local/processes';
import { countCredentialRefusals, countSpApiResponses } from '../../../src/domain/metrics';
import { spApiClientsFromEnv } from '../../../src/spapi/from-env';
import { DAY } from '../../helpers/clock';
import { recordingMeter } from '../../helpers/metrics';
import { MARKETPLACE, simulatorWithClients } from '../../helpers/spapi';

/**
 * What `spapi_responses_total` counts: every SP-API response by operation and status, and none when none
 * came; LWA's token requests as operation `lwa`.
 */
it('counts each SP-API and LWA response by operation and status', async () => {
  const { meter, recorded } = recordingMeter();
  const { sim, clients, clock } = await simulatorWithClients('2026-03-10T12:00:00Z', {
    simulator: { usagePlans: false },
    clients: { observeResponse: countSpApiResponses(meter) },
  });
  try {
    const order = (amazonOrderId: string): OrderRef => {
      const earliest = clock.nowMs() - 6 * DAY;
      sim.addOrder({
        amazonOrderId,
        marketplaceId: MARKETPLACE,
        earliestDeliveryDate: new Date(earliest),
        latestDeliveryDate: new Date(earliest + DAY),
      });
      return { amazonOrderId, marketplaceId: MARKETPLACE, sellerId: 'A1SIMULATEDSELLER' };
    };
    const { solicitations } = clients;
    const sent = order('111-0000000-0000001');
    sim.injectFailures(1, { status: 429, operation: 'getSolicitationActionsForOrder' });
    await expect(solicitations.getSolicitationActionsForOrder(sent)).rejects.toMatchObject({ kind: 'throttled' });
    await solicitations.getSolicitationActionsForOrder(sent);
    await solicitations.createProductReviewAndSellerFeedbackSolicitation(sent);
    await expect(solicitations.createProductReviewAndSellerFeedbackSolicitation(sent)).rejects.toMatchObject({
      kind: 'already-solicited',
    });
    // Access denied is asked again, at the next attempt, with a fresh token: two responses.
    const revoked = order('111-0000000-0000002');
    sim.revokeOrderAuthorization(revoked.amazonOrderId);
    await expect(solicitations.getSolicitationActionsForOrder(revoked)).rejects.toMatchObject({ kind: 'transient' });
    await expect(solicitations.getSolicitationActionsForOrder(revoked)).rejects.toMatchObject({
      kind: 'credential-refused',
    });

    const unreachable = spApiClientsFromEnv(
      { ...sim.env(), SPAPI_ENDPOINT: `http://127.0.0.1:${await freePort()}` },
      { observeResponse: countSpApiResponses(meter), now: clock.nowMs },
    );
    await expect(unreachable.solicitations.getSolicitationActionsForOrder(sent)).rejects.toMatchObject({
      kind: 'transient',
    });

    const get = 'getSolicitationActionsForOrder';
    const create = 'createProductReviewAndSellerFeedbackSolicitation';
    expect(recorded.map(({ name, value, tags }) => [name, value, tags.operation, tags.status])).toEqual([
      ['spapi_responses_total', 1, 'lwa', '200'],
      ['spapi_responses_total', 1, get, '429'],
      ['spapi_responses_total', 1, get, '200'],
      ['spapi_responses_total', 1, create, '201'],
      ['spapi_responses_total', 1, create, '403'],
      ['spapi_responses_total', 1, get, '403'],
      // The 403 is asked again with a fresh token.
      ['spapi_responses_total', 1, 'lwa', '200'],
      ['spapi_responses_total', 1, get, '403'],
      // The unreachable client's own token cache.
      ['spapi_responses_total', 1, 'lwa', '200'],
      ['spapi_responses_total', 1, get, 'none'],
    ]);
  } finally {
    await sim.close();
  }
});

it('counts each credential refusal Amazon answered by seller, and the client secret as seller "app"', async () => {
  const { meter, recorded } = recordingMeter();
  const { sim, clients } = await simulatorWithClients('2026-03-10T12:00:00Z', {
    simulator: { usagePlans: false },
    clients: { observeRefusal: countCredentialRefusals(meter) },
  });
  try {
    const ref: OrderRef = {
      amazonOrderId: '111-0000000-0000009',
      marketplaceId: MARKETPLACE,
      sellerId: 'A1SIMULATEDSELLER',
    };
    sim.revokeSeller(ref.sellerId);
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).rejects.toMatchObject({
      kind: 'credential-refused',
    });
    // Held by the circuit: not Amazon's answer, not counted again.
    await expect(clients.solicitations.getSolicitationActionsForOrder(ref)).rejects.toMatchObject({
      kind: 'credential-refused',
    });
    const wrongSecret = spApiClientsFromEnv(
      { ...sim.env(), LWA_CLIENT_SECRET: 'wrong' },
      { observeRefusal: countCredentialRefusals(meter) },
    );
    await expect(wrongSecret.solicitations.getSolicitationActionsForOrder(ref)).rejects.toMatchObject({
      details: { credential: { kind: 'app' } },
    });
    expect(recorded.map(({ name, value, tags }) => [name, value, tags])).toEqual([
      ['spapi_credential_refusals_total', 1, { seller: 'A1SIMULATEDSELLER' }],
      ['spapi_credential_refusals_total', 1, { seller: 'app' }],
    ]);
  } finally {
    await sim.close();
  }
});
