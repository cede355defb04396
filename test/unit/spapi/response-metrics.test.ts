import type { OrderRef } from '../../../src/definitions';
import { freePort } from '../../../src/local/processes';
import { countSpApiResponses } from '../../../src/metrics';
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
    // Access denied is asked again with a fresh token: two responses.
    const revoked = order('111-0000000-0000002');
    sim.revokeOrderAuthorization(revoked.amazonOrderId);
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
