import type { SpApiRegion } from './endpoints';
import { SpApiError } from './errors';
import { NOTIFICATIONS_SCOPE } from './lwa';
import { path, type SpApiTransport } from './request';
import {
  createDestinationSchema,
  getDestinationsSchema,
  subscriptionResponseSchema,
  type Destination,
  type Subscription,
} from './schemas';

export type { Destination, Subscription } from './schemas';

export const ORDER_CHANGE = 'ORDER_CHANGE';
export const ORDER_CHANGE_PAYLOAD_VERSION = '1.0';

export interface ProcessingDirective {
  eventFilter: {
    eventFilterType: string;
    orderChangeTypes?: string[];
    marketplaceIds?: string[];
    aggregationSettings?: { aggregationTimePeriod: 'FiveMinutes' | 'TenMinutes' };
  };
}

/** Amazon's recommended filter for review requests: only order status changes (docs/spec.md, "What it does", step 1). */
export const ORDER_STATUS_CHANGE_DIRECTIVE: ProcessingDirective = {
  eventFilter: { eventFilterType: ORDER_CHANGE, orderChangeTypes: ['OrderStatusChange'] },
};

const grantless = { grantlessScope: NOTIFICATIONS_SCOPE };

/**
 * Notifications API v1: the destinations and subscriptions `solicit subscribe` manages. Destinations and
 * deleting a subscription are grantless (the application's own token); a subscription belongs to a seller.
 * Creating what exists already throws an `SpApiError` of kind `conflict`.
 */
export class NotificationsClient {
  constructor(private readonly transport: SpApiTransport) {}

  async getDestinations({ region }: { region: SpApiRegion }): Promise<Destination[]> {
    const response = await this.transport.json(
      { operation: 'getDestinations', method: 'GET', path: '/notifications/v1/destinations', region, auth: grantless },
      getDestinationsSchema,
    );
    return response.payload;
  }

  async createDestination({
    region,
    name,
    sqsArn,
  }: {
    region: SpApiRegion;
    name: string;
    sqsArn: string;
  }): Promise<Destination> {
    const response = await this.transport.json(
      {
        operation: 'createDestination',
        method: 'POST',
        path: '/notifications/v1/destinations',
        body: { name, resourceSpecification: { sqs: { arn: sqsArn } } },
        region,
        auth: grantless,
      },
      createDestinationSchema,
    );
    return response.payload;
  }

  /** The seller's subscription to `notificationType`, or undefined when there is none (404). */
  async getSubscription({
    region,
    sellerId,
    notificationType,
    payloadVersion,
  }: {
    region: SpApiRegion;
    sellerId: string;
    notificationType: string;
    payloadVersion?: string;
  }): Promise<Subscription | undefined> {
    try {
      const response = await this.transport.json(
        {
          operation: 'getSubscription',
          method: 'GET',
          path: path`/notifications/v1/subscriptions/${notificationType}`,
          query: { payloadVersion },
          region,
          auth: { sellerId },
        },
        subscriptionResponseSchema,
      );
      return response.payload;
    } catch (error) {
      if (error instanceof SpApiError && error.details.status === 404) return undefined;
      throw error;
    }
  }

  async createSubscription({
    region,
    sellerId,
    notificationType,
    destinationId,
    payloadVersion,
    processingDirective,
  }: {
    region: SpApiRegion;
    sellerId: string;
    notificationType: string;
    destinationId: string;
    payloadVersion: string;
    processingDirective?: ProcessingDirective;
  }): Promise<Subscription> {
    const response = await this.transport.json(
      {
        operation: 'createSubscription',
        method: 'POST',
        path: path`/notifications/v1/subscriptions/${notificationType}`,
        body: { payloadVersion, destinationId, ...(processingDirective && { processingDirective }) },
        region,
        auth: { sellerId },
      },
      subscriptionResponseSchema,
    );
    return response.payload;
  }

  async deleteSubscriptionById({
    region,
    notificationType,
    subscriptionId,
  }: {
    region: SpApiRegion;
    notificationType: string;
    subscriptionId: string;
  }): Promise<void> {
    await this.transport.send({
      operation: 'deleteSubscriptionById',
      method: 'DELETE',
      path: path`/notifications/v1/subscriptions/${notificationType}/${subscriptionId}`,
      region,
      auth: grantless,
    });
  }
}
