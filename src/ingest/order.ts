import type { Client } from '@temporalio/client';
import type { OrderUpdatedSignal, ReviewSolicitationInput, SolicitationPolicy } from '../domain/contract';
import { deliveryDates, workflowInput } from '../orders/input';
import { signalOrder, startOrder, type OrderOutcome } from '../orders/start';
import type { OrderChangeNotification } from './notification';

/**
 * What one ORDER_CHANGE notification asks of the product (docs/spec.md, "Ingest rules"): a Shipped order
 * starts its workflow (or updates the running one), a Canceled order signals its running workflow and
 * starts nothing, any other status is no business of ours.
 */
export type OrderDecision =
  | { action: 'start'; input: ReviewSolicitationInput }
  | { action: 'signal'; amazonOrderId: string; update: OrderUpdatedSignal }
  | { action: 'ignore'; amazonOrderId: string; reason: string };

export function decideOrder(notification: OrderChangeNotification, policy: SolicitationPolicy): OrderDecision {
  const order = notification.Payload.OrderChangeNotification;
  const { Summary: summary } = order;
  switch (summary.OrderStatus) {
    case 'Shipped':
      return {
        action: 'start',
        input: workflowInput(
          {
            amazonOrderId: order.AmazonOrderId,
            marketplaceId: summary.MarketplaceId,
            sellerId: order.SellerId,
            fulfillmentChannel: summary.FulfillmentType,
            // For an OrderStatusChange to Shipped, the time of the change is the ship time.
            shippedAt: order.OrderChangeTrigger?.TimeOfOrderChange ?? notification.EventTime,
            earliestDeliveryDate: summary.EarliestDeliveryDate,
            latestDeliveryDate: summary.LatestDeliveryDate,
          },
          policy,
        ),
      };
    case 'Canceled':
      return {
        action: 'signal',
        amazonOrderId: order.AmazonOrderId,
        update: {
          orderStatus: summary.OrderStatus,
          changedAt: order.OrderChangeTrigger?.TimeOfOrderChange ?? notification.EventTime,
          ...deliveryDates(summary.EarliestDeliveryDate, summary.LatestDeliveryDate),
        },
      };
    default:
      return { action: 'ignore', amazonOrderId: order.AmazonOrderId, reason: `order status ${summary.OrderStatus}` };
  }
}

/** Does what the notification asks of Temporal. */
export function applyOrderDecision(client: Client, taskQueue: string, decision: OrderDecision): Promise<OrderOutcome> {
  switch (decision.action) {
    case 'start':
      return startOrder(client, taskQueue, decision.input);
    case 'signal':
      return signalOrder(client, decision.amazonOrderId, decision.update);
    case 'ignore':
      return Promise.resolve('ignored');
  }
}
