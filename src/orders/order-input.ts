import { EVERY_MARKETPLACE, type MarketplacesServed } from '../config/marketplaces';
import type { FulfillmentChannel, ReviewSolicitationInput, SolicitationPolicy } from '../domain/contract';
import { workflowInput } from './input';
import type { Order } from '../spapi/orders-client';
import { formatInstant } from '../domain/web-ui';
import { InvalidOrderInputError, solicitationWindow } from '../domain/window';

export const SKIP_REASONS = [
  'not shipped',
  'not an Amazon order',
  'no marketplace',
  'marketplace not served',
  'unknown fulfilment channel',
  'invalid dates',
  'window closed',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type OrderPlan =
  | { action: 'start'; input: ReviewSolicitationInput }
  | { action: 'skip'; amazonOrderId: string; reason: SkipReason; detail: string };

const CHANNELS: Readonly<Record<string, FulfillmentChannel>> = { MERCHANT: 'MFN', AMAZON: 'AFN' };

/**
 * The workflow input of an order found by `searchOrders`, built like ingest builds it from a Shipped
 * notification, or why the order gets no workflow.
 *
 * - Delivery dates: the order's `deliverByWindow`, which Amazon gives for seller-fulfilled (MFN) orders
 *   only; without them the workflow estimates the window from the ship time.
 * - Ship time: the latest package ship time, the moment the order became Shipped. Amazon-fulfilled (AFN)
 *   orders list no packages, so their creation time stands in for it: for an order shipped within days
 *   the estimated window then opens no later than Amazon's, and the workflow re-checks until Amazon offers
 *   the request, while a later stand-in (the last update, which a return or refund moves) could open the
 *   estimate after Amazon's window has closed.
 * - An order of a marketplace not served for the seller is skipped, as ingest ignores its notifications.
 * - An order whose window has closed already is skipped: its workflow would end at once.
 */
export function planOrder(
  order: Order,
  sellerId: string,
  policy: SolicitationPolicy,
  now: number,
  marketplaces: MarketplacesServed = EVERY_MARKETPLACE,
): OrderPlan {
  const amazonOrderId = order.orderId;
  const skip = (reason: SkipReason, detail: string): OrderPlan => ({ action: 'skip', amazonOrderId, reason, detail });

  const status = order.fulfillment?.fulfillmentStatus;
  if (status !== 'SHIPPED') return skip('not shipped', `fulfillment status ${status ?? 'not given'}`);
  if (order.salesChannel.channelName !== 'AMAZON') {
    return skip('not an Amazon order', `sales channel ${order.salesChannel.channelName}`);
  }
  const marketplaceId = order.salesChannel.marketplaceId;
  if (marketplaceId === undefined) return skip('no marketplace', 'the order names no marketplace');
  if (!marketplaces.serves(sellerId, marketplaceId)) {
    return skip('marketplace not served', `marketplace ${marketplaceId} is not served (${marketplaces.setting})`);
  }
  const fulfilledBy = order.fulfillment?.fulfilledBy;
  const fulfillmentChannel = fulfilledBy === undefined ? undefined : CHANNELS[fulfilledBy];
  if (fulfillmentChannel === undefined) {
    return skip('unknown fulfilment channel', `fulfilled by ${fulfilledBy ?? 'nobody named'}`);
  }

  const delivery = order.fulfillment?.deliverByWindow;
  const input = workflowInput(
    {
      amazonOrderId,
      marketplaceId,
      sellerId,
      fulfillmentChannel,
      shippedAt: shipTime(order),
      earliestDeliveryDate: delivery?.earliestDateTime,
      latestDeliveryDate: delivery?.latestDateTime,
    },
    policy,
  );
  let closes: number;
  try {
    closes = solicitationWindow(input, policy).solicitBefore;
  } catch (error) {
    if (error instanceof InvalidOrderInputError) return skip('invalid dates', error.message);
    throw error;
  }
  if (closes <= now) return skip('window closed', `Amazon's window closed on ${formatInstant(closes)}`);
  return { action: 'start', input };
}

function shipTime(order: Order): string {
  const shipped = (order.packages ?? [])
    .map((item) => item.shipTime)
    .filter((time): time is string => time !== undefined && !Number.isNaN(Date.parse(time)));
  if (shipped.length === 0) return order.createdTime;
  return shipped.reduce((latest, time) => (Date.parse(time) > Date.parse(latest) ? time : latest));
}
