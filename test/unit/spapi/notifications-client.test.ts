import type { SpApiSimulator } from '../../../src/simulator';
import type { SpApiClients } from '../../../src/spapi/clients';
import {
  ORDER_CHANGE,
  ORDER_CHANGE_PAYLOAD_VERSION,
  ORDER_STATUS_CHANGE_DIRECTIVE,
} from '../../../src/spapi/notifications-client';
import { simulatorWithClients } from '../../helpers/spapi';

let sim: SpApiSimulator;
let clients: SpApiClients;

beforeEach(async () => {
  ({ sim, clients } = await simulatorWithClients());
});
afterEach(() => sim.close());

const sellerId = 'A1SIMULATEDSELLER';
const sqsArn = 'arn:aws:sqs:us-east-1:123456789012:review-solicitations';

describe('NotificationsClient against the simulator', () => {
  it('creates a destination and a filtered ORDER_CHANGE subscription, and reads them back', async () => {
    const { notifications } = clients;
    await expect(notifications.getDestinations({ region: 'na' })).resolves.toEqual([]);
    const destination = await notifications.createDestination({ region: 'na', name: 'orders', sqsArn });
    expect(destination).toEqual({
      destinationId: expect.any(String),
      name: 'orders',
      resource: { sqs: { arn: sqsArn } },
    });
    await expect(notifications.getDestinations({ region: 'na' })).resolves.toEqual([destination]);

    const subscription = { region: 'na', sellerId, notificationType: ORDER_CHANGE } as const;
    await expect(notifications.getSubscription(subscription)).resolves.toBeUndefined();
    const created = await notifications.createSubscription({
      ...subscription,
      destinationId: destination.destinationId,
      payloadVersion: ORDER_CHANGE_PAYLOAD_VERSION,
      processingDirective: ORDER_STATUS_CHANGE_DIRECTIVE,
    });
    expect(created).toEqual({
      subscriptionId: expect.any(String),
      payloadVersion: '1.0',
      destinationId: destination.destinationId,
      processingDirective: {
        eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['OrderStatusChange'] },
      },
    });
    await expect(notifications.getSubscription(subscription)).resolves.toEqual(created);
    expect(sim.subscriptions()).toEqual([expect.objectContaining({ sellerId, notificationType: 'ORDER_CHANGE' })]);

    await notifications.deleteSubscriptionById({
      region: 'na',
      notificationType: ORDER_CHANGE,
      subscriptionId: created.subscriptionId,
    });
    await expect(notifications.getSubscription(subscription)).resolves.toBeUndefined();
  });

  it('uses the grantless token for destinations and deletion, the seller token for subscriptions', async () => {
    const destination = await clients.notifications.createDestination({ region: 'na', name: 'orders', sqsArn });
    const created = await clients.notifications.createSubscription({
      region: 'na',
      sellerId,
      notificationType: ORDER_CHANGE,
      destinationId: destination.destinationId,
      payloadVersion: '1.0',
    });
    await clients.notifications.deleteSubscriptionById({
      region: 'na',
      notificationType: ORDER_CHANGE,
      subscriptionId: created.subscriptionId,
    });
    expect(sim.requests.map(({ operation, sellerId: seller, status }) => ({ operation, seller, status }))).toEqual([
      { operation: 'createDestination', seller: undefined, status: 200 },
      { operation: 'createSubscription', seller: sellerId, status: 200 },
      { operation: 'deleteSubscriptionById', seller: undefined, status: 200 },
    ]);
  });

  it('throws a conflict for a destination or subscription that exists already', async () => {
    const destination = await clients.notifications.createDestination({ region: 'na', name: 'orders', sqsArn });
    await expect(
      clients.notifications.createDestination({ region: 'na', name: 'again', sqsArn }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      operation: 'createDestination',
      details: { status: 409, code: 'Conflict' },
    });
    const subscription = {
      region: 'na',
      sellerId,
      notificationType: ORDER_CHANGE,
      destinationId: destination.destinationId,
      payloadVersion: '1.0',
    } as const;
    await clients.notifications.createSubscription(subscription);
    await expect(clients.notifications.createSubscription(subscription)).rejects.toMatchObject({ kind: 'conflict' });
  });
});
