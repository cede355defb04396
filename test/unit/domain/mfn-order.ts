import { DEFAULT_POLICY, type ReviewSolicitationInput } from '../../../src/domain/contract';

/** A seller-fulfilled order delivered 3 to 6 May 2024: Amazon's window runs from OPENS to CLOSES. */
export function mfnOrder(amazonOrderId: string): ReviewSolicitationInput {
  return {
    amazonOrderId,
    marketplaceId: 'ATVPDKIKX0DER',
    sellerId: 'A1SELLER',
    fulfillmentChannel: 'MFN',
    shippedAt: '2024-05-01T00:00:00Z',
    earliestDeliveryDate: '2024-05-03T00:00:00Z',
    latestDeliveryDate: '2024-05-06T00:00:00Z',
    policy: DEFAULT_POLICY,
  };
}

export const OPENS = Date.parse('2024-05-08T00:00:00Z');
export const CLOSES = Date.parse('2024-06-05T00:00:00Z');
