import type { OrderRef } from '../domain/contract';

/** Amazon's name for the one solicitation this product sends. */
export const PRODUCT_REVIEW_ACTION = 'productReviewAndSellerFeedback';

/**
 * What the workflow's activities need from the Solicitations API. The real client and the tests' fakes
 * both implement it; failures are thrown as `SpApiError` (./errors) and nothing else.
 */
export interface SolicitationsApi {
  /** Names of the solicitation actions Amazon offers for the order now; empty outside the window. */
  getSolicitationActionsForOrder(order: OrderRef): Promise<string[]>;
  createProductReviewAndSellerFeedbackSolicitation(order: OrderRef): Promise<void>;
}
