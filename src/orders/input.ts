import type { FulfillmentChannel, ReviewSolicitationInput, SolicitationPolicy } from '../domain/contract';

/**
 * What Amazon tells about a shipped order, whichever way it came (an ORDER_CHANGE notification or an
 * Orders API v2026-01-01 order), in the words of the workflow input. Delivery dates are given for
 * seller-fulfilled orders only; without them the workflow estimates the window from the ship time.
 */
export interface ShippedOrder {
  amazonOrderId: string;
  marketplaceId: string;
  sellerId: string;
  fulfillmentChannel: FulfillmentChannel;
  shippedAt: string;
  earliestDeliveryDate: string | undefined;
  latestDeliveryDate: string | undefined;
}

/** The workflow input of a shipped order, started with the policy in force now. */
export function workflowInput(order: ShippedOrder, policy: SolicitationPolicy): ReviewSolicitationInput {
  const { amazonOrderId, marketplaceId, sellerId, fulfillmentChannel, shippedAt } = order;
  return {
    amazonOrderId,
    marketplaceId,
    sellerId,
    fulfillmentChannel,
    shippedAt,
    ...deliveryDates(order.earliestDeliveryDate, order.latestDeliveryDate),
    policy,
  };
}

/** The delivery-date fields of a workflow input or an `orderUpdated` signal: only those Amazon gave. */
export function deliveryDates(
  earliest: string | undefined,
  latest: string | undefined,
): { earliestDeliveryDate?: string; latestDeliveryDate?: string } {
  return {
    ...(earliest !== undefined && { earliestDeliveryDate: earliest }),
    ...(latest !== undefined && { latestDeliveryDate: latest }),
  };
}
