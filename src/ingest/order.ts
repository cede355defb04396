import type { OrderUpdatedSignal, ReviewSolicitationInput, SolicitationPolicy } from '../domain/contract';
import type { OrderChangeNotification } from './notification';

/**
 * What one ORDER_CHANGE notification asks of the product (SPEC.md, "Ingest rules"): a Shipped order
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
        input: {
          amazonOrderId: order.AmazonOrderId,
          marketplaceId: summary.MarketplaceId,
          sellerId: order.SellerId,
          fulfillmentChannel: summary.FulfillmentType,
          // For an OrderStatusChange to Shipped, the time of the change is the ship time.
          shippedAt: order.OrderChangeTrigger?.TimeOfOrderChange ?? notification.EventTime,
          ...deliveryDates(summary),
          policy,
        },
      };
    case 'Canceled':
      return {
        action: 'signal',
        amazonOrderId: order.AmazonOrderId,
        update: { orderStatus: summary.OrderStatus, ...deliveryDates(summary) },
      };
    default:
      return { action: 'ignore', amazonOrderId: order.AmazonOrderId, reason: `order status ${summary.OrderStatus}` };
  }
}

function deliveryDates(summary: OrderChangeNotification['Payload']['OrderChangeNotification']['Summary']) {
  return {
    ...(summary.EarliestDeliveryDate && { earliestDeliveryDate: summary.EarliestDeliveryDate }),
    ...(summary.LatestDeliveryDate && { latestDeliveryDate: summary.LatestDeliveryDate }),
  };
}
