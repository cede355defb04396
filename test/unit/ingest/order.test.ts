import { DEFAULT_POLICY, type SolicitationPolicy } from '../../../src/domain/contract';
import { validateOrderChangeNotification, type OrderChangeNotification } from '../../../src/ingest/notification';
import { decideOrder } from '../../../src/ingest/order';
import { canceled, MFN_DELIVERY, orderChange, pending, shippedAfn, shippedMfn } from '../../fixtures/notifications';

const policy: SolicitationPolicy = { ...DEFAULT_POLICY, recheckInterval: '12 hours' };

function parsed(document: unknown): OrderChangeNotification {
  const result = validateOrderChangeNotification(document);
  if (!result.ok) throw new Error(result.reason);
  return result.notification;
}

describe('decideOrder', () => {
  it('starts a shipped MFN order with its delivery dates, ship time from the order change, and the policy', () => {
    expect(decideOrder(parsed(shippedMfn()), policy)).toEqual({
      action: 'start',
      input: {
        amazonOrderId: '114-3941689-8772232',
        marketplaceId: 'ATVPDKIKX0DER',
        sellerId: 'A3TH9S8BH6GOGM',
        fulfillmentChannel: 'MFN',
        shippedAt: '2025-03-04T10:14:58.000Z',
        earliestDeliveryDate: MFN_DELIVERY.earliest,
        latestDeliveryDate: MFN_DELIVERY.latest,
        policy,
      },
    });
  });

  it('starts a shipped AFN order without delivery dates', () => {
    const decision = decideOrder(parsed(shippedAfn({ amazonOrderId: '205-1234567-7654321' })), policy);
    expect(decision).toEqual({
      action: 'start',
      input: {
        amazonOrderId: '205-1234567-7654321',
        marketplaceId: 'ATVPDKIKX0DER',
        sellerId: 'A3TH9S8BH6GOGM',
        fulfillmentChannel: 'AFN',
        shippedAt: '2025-03-04T10:14:58.000Z',
        policy,
      },
    });
  });

  it('takes the ship time from EventTime when the order change has no timestamp', () => {
    const withoutTime = shippedAfn({ timeOfOrderChange: null, eventTime: '2025-03-04T11:00:00.000Z' });
    const withoutTrigger = shippedAfn({ eventTime: '2025-03-04T11:00:00.000Z' });
    delete withoutTrigger.Payload.OrderChangeNotification.OrderChangeTrigger;
    for (const document of [withoutTime, withoutTrigger]) {
      const decision = decideOrder(parsed(document), policy);
      expect(decision.action === 'start' && decision.input.shippedAt).toBe('2025-03-04T11:00:00.000Z');
    }
  });

  it('signals a canceled order and starts nothing', () => {
    expect(decideOrder(parsed(canceled()), policy)).toEqual({
      action: 'signal',
      amazonOrderId: '114-3941689-8772232',
      update: { orderStatus: 'Canceled', changedAt: '2025-03-04T10:14:58.000Z' },
    });
  });

  it.each(['Pending', 'Unshipped', 'PartiallyShipped', 'Unfulfillable'] as const)('ignores a %s order', (status) => {
    const document = status === 'Pending' ? pending() : orderChange({ orderStatus: status });
    expect(decideOrder(parsed(document), policy)).toEqual({
      action: 'ignore',
      amazonOrderId: '114-3941689-8772232',
      reason: `order status ${status}`,
    });
  });

  it('ignores a status Amazon may add later rather than refusing the notification', () => {
    const document = shippedMfn();
    document.Payload.OrderChangeNotification.Summary.OrderStatus = 'AwaitingPickup';
    expect(decideOrder(parsed(document), policy).action).toBe('ignore');
  });
});
