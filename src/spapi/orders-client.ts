import { marketplaceRegion, type SpApiRegion } from './endpoints';
import { SpApiError } from './errors';
import type { SpApiTransport } from './request';
import { searchOrdersSchema, type Order } from './schemas';

export type { Order } from './schemas';

export type FulfillmentStatus =
  'PENDING_AVAILABILITY' | 'PENDING' | 'UNSHIPPED' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'CANCELLED' | 'UNFULFILLABLE';

/**
 * Orders API v2026-01-01 `searchOrders` filters. Amazon wants exactly one of `createdAfter` and
 * `lastUpdatedAfter`; dates are ISO-8601.
 */
export interface SearchOrdersQuery {
  sellerId: string;
  /** All of one selling region. None (Amazon's parameter is optional): every marketplace of `region`. */
  marketplaceIds?: readonly string[];
  /** The selling region to ask; required without marketplaces, and then theirs when both are given. */
  region?: SpApiRegion;
  createdAfter?: string;
  createdBefore?: string;
  lastUpdatedAfter?: string;
  lastUpdatedBefore?: string;
  fulfillmentStatuses?: readonly FulfillmentStatus[];
  fulfilledBy?: readonly ('MERCHANT' | 'AMAZON')[];
  /** 1 to 100; Amazon's default is 100. */
  maxResultsPerPage?: number;
}

export interface OrdersPage {
  orders: Order[];
  /** Present when another page follows. */
  nextToken?: string;
}

/**
 * Only the datasets the product reads (status, fulfiller, delivery window, ship time): never the buyer,
 * recipient or money, which it has no use for.
 */
const INCLUDED_DATA = ['FULFILLMENT', 'PACKAGES'];

/** Orders API v2026-01-01 (v0 `getOrders` is deprecated). Throws only `SpApiError`. */
export class OrdersClient {
  constructor(private readonly transport: SpApiTransport) {}

  /** One page; pass the previous page's `nextToken` with the same query for the next. */
  async searchOrders(query: SearchOrdersQuery, paginationToken?: string): Promise<OrdersPage> {
    const operation = 'searchOrders';
    const { sellerId, marketplaceIds, region, ...filters } = query;
    const response = await this.transport.json(
      {
        operation,
        method: 'GET',
        path: '/orders/2026-01-01/orders',
        query: { ...filters, marketplaceIds, includedData: INCLUDED_DATA, paginationToken },
        region: queryRegion(marketplaceIds ?? [], region, operation),
        // A read: a paused seller's orders are searched too, and a 403 is the region's answer, not a refusal
        // of the seller's credential (which its other regions take).
        auth: { sellerId, read: true },
        accessDenied: 'region',
      },
      searchOrdersSchema,
    );
    const nextToken = response.pagination?.nextToken;
    return nextToken === undefined ? { orders: response.orders } : { orders: response.orders, nextToken };
  }
}

function queryRegion(
  marketplaceIds: readonly string[],
  region: SpApiRegion | undefined,
  operation: string,
): SpApiRegion {
  const [first, ...rest] = marketplaceIds;
  if (first === undefined) {
    if (region === undefined)
      throw new SpApiError('invalid-input', operation, 'a marketplace ID or a region is required');
    return region;
  }
  const theirs = marketplaceRegion(first, operation);
  const elsewhere = rest.find((id) => marketplaceRegion(id, operation) !== theirs);
  if (elsewhere !== undefined) {
    throw new SpApiError('invalid-input', operation, `marketplaces ${first} and ${elsewhere} are in different regions`);
  }
  if (region !== undefined && region !== theirs) {
    throw new SpApiError('invalid-input', operation, `marketplace ${first} is not in region ${region}`);
  }
  return theirs;
}
