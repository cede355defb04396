import {
  accessDenied,
  missingParameters,
  notFound,
  outsideSolicitationWindow,
  solicitationNotAvailable,
  type SimResponse,
} from './amazon-errors';
import type { SimulatedOrder } from './state';
import type { OperationRequest, World } from './world';

const ACTION = 'productReviewAndSellerFeedback';

/** Offers the action only for a shipped order inside its window that has not been solicited. */
export function getSolicitationActionsForOrder(world: World, request: OperationRequest): SimResponse {
  const found = findOrder(world, request);
  if ('status' in found) return found;
  const { order, marketplaceId } = found;
  const id = encodeURIComponent(order.amazonOrderId);
  const actionHref = `/solicitations/v1/orders/${id}/solicitations/${ACTION}?marketplaceIds=${marketplaceId}`;
  const offered = eligible(world, order, request.now) && !consumeEmptyAnswer(world, order.amazonOrderId);
  return {
    status: 200,
    body: {
      _links: {
        actions: offered ? [{ href: actionHref, name: ACTION }] : [],
        self: { href: `/solicitations/v1/orders/${id}?marketplaceIds=${marketplaceId}` },
      },
      _embedded: {
        actions: offered
          ? [
              {
                _links: {
                  schema: { href: `/solicitations/v1/orders/${id}/solicitations/${ACTION}/schema`, name: ACTION },
                  self: { href: actionHref, name: ACTION },
                },
              },
            ]
          : [],
      },
    },
  };
}

export function createProductReviewAndSellerFeedbackSolicitation(world: World, request: OperationRequest): SimResponse {
  const found = findOrder(world, request);
  if ('status' in found) return found;
  const { order } = found;
  if (world.solicited.has(order.amazonOrderId)) return solicitationNotAvailable();
  if (order.fulfillmentStatus !== 'SHIPPED') return solicitationNotAvailable();
  if (!insideWindow(order, request.now)) return outsideSolicitationWindow();
  world.solicited.add(order.amazonOrderId);
  world.solicitations.push({
    amazonOrderId: order.amazonOrderId,
    marketplaceId: order.marketplaceId,
    sellerId: order.sellerId,
    at: request.now,
  });
  return { status: 201, body: {} };
}

function findOrder(
  world: World,
  request: OperationRequest,
): SimResponse | { order: SimulatedOrder; marketplaceId: string } {
  const marketplaceIds = request.query.get('marketplaceIds')?.split(',') ?? [];
  const [marketplaceId] = marketplaceIds;
  if (marketplaceId === undefined || marketplaceId === '' || marketplaceIds.length > 1) {
    return missingParameters(['marketplaceIds']);
  }
  const order = world.orders.get(request.params.amazonOrderId ?? '');
  // Another seller's order does not exist as far as this seller can tell.
  if (!order || order.sellerId !== request.sellerId || order.marketplaceId !== marketplaceId) {
    return notFound(`Order ${request.params.amazonOrderId} was not found in marketplace ${marketplaceId}.`);
  }
  if (world.revokedOrders.has(order.amazonOrderId)) return accessDenied();
  return { order, marketplaceId };
}

function insideWindow(order: SimulatedOrder, now: Date): boolean {
  return order.solicitAfter.getTime() <= now.getTime() && now.getTime() < order.solicitBefore.getTime();
}

function eligible(world: World, order: SimulatedOrder, now: Date): boolean {
  return order.fulfillmentStatus === 'SHIPPED' && insideWindow(order, now) && !world.solicited.has(order.amazonOrderId);
}

function consumeEmptyAnswer(world: World, amazonOrderId: string): boolean {
  const remaining = world.emptyActions.get(amazonOrderId) ?? 0;
  if (remaining <= 0) return false;
  world.emptyActions.set(amazonOrderId, remaining - 1);
  return true;
}
