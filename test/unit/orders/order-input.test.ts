import { marketplacesServedFromEnv } from '../../../src/config/marketplaces';
import { planOrder } from '../../../src/orders/order-input';
import { DEFAULT_POLICY, type ReviewSolicitationInput } from '../../../src/domain/contract';
import type { Order } from '../../../src/spapi/orders-client';

const SELLER = 'A1SELLER';
const NOW = Date.parse('2026-03-10T12:00:00Z');
/** The plan to start the seller's workflow with these fields of its input and the default policy. */
const starts = (fields: Omit<ReviewSolicitationInput, 'sellerId' | 'policy'>) => ({
  action: 'start',
  input: { ...fields, sellerId: SELLER, policy: DEFAULT_POLICY },
});

function merchantOrder(changes: Partial<Order> = {}): Order {
  return {
    orderId: '111-0000000-0000001',
    createdTime: '2026-03-01T08:00:00Z',
    lastUpdatedTime: '2026-03-03T09:00:00Z',
    salesChannel: { channelName: 'AMAZON', marketplaceId: 'ATVPDKIKX0DER' },
    fulfillment: {
      fulfillmentStatus: 'SHIPPED',
      fulfilledBy: 'MERCHANT',
      deliverByWindow: { earliestDateTime: '2026-03-05T07:00:00Z', latestDateTime: '2026-03-08T07:00:00Z' },
    },
    packages: [
      { packageReferenceId: '1', shipTime: '2026-03-02T10:00:00Z' },
      { packageReferenceId: '2', shipTime: '2026-03-03T09:00:00Z' },
    ],
    ...changes,
  };
}

function amazonOrder(): Order {
  return {
    orderId: '111-0000000-0000002',
    createdTime: '2026-03-01T08:00:00Z',
    lastUpdatedTime: '2026-03-06T09:00:00Z',
    salesChannel: { channelName: 'AMAZON', marketplaceId: 'A2EUQ1WTGCTBG2' },
    fulfillment: { fulfillmentStatus: 'SHIPPED', fulfilledBy: 'AMAZON' },
  };
}

describe('planOrder', () => {
  it('skips an order of a marketplace not served for its seller, before any other check of its dates', () => {
    const served = marketplacesServedFromEnv(undefined, { SOLICIT_MARKETPLACES: 'ATVPDKIKX0DER' });
    expect(planOrder(amazonOrder(), SELLER, DEFAULT_POLICY, NOW, served)).toEqual({
      action: 'skip',
      amazonOrderId: '111-0000000-0000002',
      reason: 'marketplace not served',
      detail: 'marketplace A2EUQ1WTGCTBG2 is not served (SOLICIT_MARKETPLACES)',
    });
    const closed = merchantOrder({ salesChannel: { channelName: 'AMAZON', marketplaceId: 'A1PA6795UKMFR9' } });
    expect(planOrder(closed, SELLER, DEFAULT_POLICY, Date.parse('2027-01-01T00:00:00Z'), served)).toMatchObject({
      reason: 'marketplace not served',
    });
    expect(planOrder(merchantOrder(), SELLER, DEFAULT_POLICY, NOW, served).action).toBe('start');
  });

  it('builds an MFN input from the delivery window and the last package ship time', () => {
    expect(planOrder(merchantOrder(), SELLER, DEFAULT_POLICY, NOW)).toEqual(
      starts({
        amazonOrderId: '111-0000000-0000001',
        marketplaceId: 'ATVPDKIKX0DER',
        fulfillmentChannel: 'MFN',
        shippedAt: '2026-03-03T09:00:00Z',
        earliestDeliveryDate: '2026-03-05T07:00:00Z',
        latestDeliveryDate: '2026-03-08T07:00:00Z',
      }),
    );
  });

  it('builds an AFN input without delivery dates, the creation time standing in for the ship time', () => {
    const afn = {
      amazonOrderId: '111-0000000-0000002',
      marketplaceId: 'A2EUQ1WTGCTBG2',
      fulfillmentChannel: 'AFN',
    } as const;
    expect(planOrder(amazonOrder(), SELLER, DEFAULT_POLICY, NOW)).toEqual(
      starts({ ...afn, shippedAt: '2026-03-01T08:00:00Z' }),
    );
  });

  it.each<[string, Order, string, RegExp]>([
    [
      'a partially shipped order',
      merchantOrder({ fulfillment: { fulfillmentStatus: 'PARTIALLY_SHIPPED', fulfilledBy: 'MERCHANT' } }),
      'not shipped',
      /PARTIALLY_SHIPPED/,
    ],
    [
      'a multi-channel order',
      merchantOrder({ salesChannel: { channelName: 'NON_AMAZON', marketplaceId: 'ATVPDKIKX0DER' } }),
      'not an Amazon order',
      /NON_AMAZON/,
    ],
    [
      'an order without marketplace',
      merchantOrder({ salesChannel: { channelName: 'AMAZON' } }),
      'no marketplace',
      /no/,
    ],
    [
      'an order of an unknown fulfiller',
      merchantOrder({ fulfillment: { fulfillmentStatus: 'SHIPPED', fulfilledBy: 'PARTNER' } }),
      'unknown fulfilment channel',
      /PARTNER/,
    ],
    [
      'an order with a malformed date',
      merchantOrder({
        fulfillment: {
          fulfillmentStatus: 'SHIPPED',
          fulfilledBy: 'MERCHANT',
          deliverByWindow: { earliestDateTime: '2026-03-05', latestDateTime: '2026-03-08T07:00:00Z' },
        },
      }),
      'invalid dates',
      /earliestDeliveryDate/,
    ],
    [
      // Delivered by 2026-02-01: Amazon's window closed 30 days later, before NOW.
      'an order whose window has closed',
      merchantOrder({
        fulfillment: {
          fulfillmentStatus: 'SHIPPED',
          fulfilledBy: 'MERCHANT',
          deliverByWindow: { earliestDateTime: '2026-01-29T07:00:00Z', latestDateTime: '2026-02-01T07:00:00Z' },
        },
      }),
      'window closed',
      /2026-03-03 07:00 UTC/,
    ],
  ])('skips %s, saying why', (_, order, reason, detail) => {
    const plan = planOrder(order, SELLER, DEFAULT_POLICY, NOW);
    expect(plan).toMatchObject({ action: 'skip', amazonOrderId: order.orderId, reason });
    expect(plan.action === 'skip' && plan.detail).toMatch(detail);
  });

  it('starts an order whose window closes after now, even if it has not opened', () => {
    const plan = planOrder(merchantOrder(), SELLER, DEFAULT_POLICY, Date.parse('2026-04-07T07:00:00Z') - 1);
    expect(plan.action).toBe('start');
    expect(planOrder(merchantOrder(), SELLER, DEFAULT_POLICY, Date.parse('2026-04-07T07:00:00Z')).action).toBe('skip');
  });
});
