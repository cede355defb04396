import type { OrderRef } from '../domain/contract';
import { marketplaceRegion } from './endpoints';
import { SpApiError } from './errors';
import { path, type SpApiTransport } from './request';
import { solicitationActionsSchema } from './schemas';
import type { SolicitationsApi } from './solicitations';

/** Solicitations API v1 over HTTP. Throws only `SpApiError`. */
export class SolicitationsClient implements SolicitationsApi {
  constructor(private readonly transport: SpApiTransport) {}

  /**
   * A 404 counts as "not offered": Amazon answers it for an order it does not know yet (or any more),
   * which the schedule checks again, rather than an order given up.
   */
  async getSolicitationActionsForOrder(order: OrderRef): Promise<string[]> {
    const operation = 'getSolicitationActionsForOrder';
    let response;
    try {
      response = await this.transport.json(
        {
          operation,
          method: 'GET',
          path: path`/solicitations/v1/orders/${order.amazonOrderId}`,
          query: { marketplaceIds: [order.marketplaceId] },
          region: marketplaceRegion(order.marketplaceId, operation),
          auth: { sellerId: order.sellerId },
          bypassCircuit: order.attempt === 'expedite',
        },
        solicitationActionsSchema,
      );
    } catch (error) {
      if (error instanceof SpApiError && error.kind === 'invalid-input' && error.details.status === 404) return [];
      throw error;
    }
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
      bypassCircuit: order.attempt === 'expedite',
    });
  }
}
