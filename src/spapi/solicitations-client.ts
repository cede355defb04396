import type { OrderRef } from '../domain/contract';
import { marketplaceRegion } from './endpoints';
import { path, type SpApiTransport } from './request';
import { solicitationActionsSchema } from './schemas';
import type { SolicitationsApi } from './solicitations';

/** Solicitations API v1 over HTTP. Throws only `SpApiError`. */
export class SolicitationsClient implements SolicitationsApi {
  constructor(private readonly transport: SpApiTransport) {}

  async getSolicitationActionsForOrder(order: OrderRef): Promise<string[]> {
    const operation = 'getSolicitationActionsForOrder';
    const response = await this.transport.json(
      {
        operation,
        method: 'GET',
        path: path`/solicitations/v1/orders/${order.amazonOrderId}`,
        query: { marketplaceIds: [order.marketplaceId] },
        region: marketplaceRegion(order.marketplaceId, operation),
        auth: { sellerId: order.sellerId },
      },
      solicitationActionsSchema,
    );
    return response._links.actions.flatMap((action) => (action.name === undefined ? [] : [action.name]));
  }

  /** 201 is the proof of sending; its body (`{}`) says nothing more and is not read. */
  async createProductReviewAndSellerFeedbackSolicitation(order: OrderRef): Promise<void> {
    const operation = 'createProductReviewAndSellerFeedbackSolicitation';
    await this.transport.send({
      operation,
      method: 'POST',
      path: path`/solicitations/v1/orders/${order.amazonOrderId}/solicitations/productReviewAndSellerFeedback`,
      query: { marketplaceIds: [order.marketplaceId] },
      region: marketplaceRegion(order.marketplaceId, operation),
      auth: { sellerId: order.sellerId },
    });
  }
}
