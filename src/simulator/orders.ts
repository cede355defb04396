import { marketplace, type SpApiRegion } from '../domain/marketplaces';
import { accessDenied, invalidInput, type SimResponse } from './amazon-errors';
import { FULFILLMENT_STATUSES, type SimulatedOrder } from './state';
import type { OperationRequest, World } from './world';

const FULFILLED_BY = ['MERCHANT', 'AMAZON'];
const INCLUDED_DATA = [
  'BUYER',
  'RECIPIENT',
  'PROCEEDS',
  'EXPENSE',
  'PROMOTION',
  'CANCELLATION',
  'FULFILLMENT',
  'PACKAGES',
  'TAX',
  'PAYMENT',
  'FULFILLMENT_ORDERS',
];
const MINUTE_MS = 60_000;

/**
 * `searchOrders` over the order book: the seller's orders matching the filters, oldest first, in pages.
 * The page token remembers the filters, which Amazon requires to be repeated unchanged.
 *
 * Like Amazon's, each answer is one selling region's: the region of the `marketplaceIds` asked (all of one
 * region), or without them the region of the host, which for the simulator's one URL is North America's.
 * A seller that does not sell in the region is refused (403), as Amazon refuses it.
 */
export function searchOrders(world: World, request: OperationRequest): SimResponse {
  const { query, now } = request;
  const list = (name: string) => query.get(name)?.split(',').filter(Boolean);
  const time = (name: string) => {
    const value = query.get(name);
    return value === null ? undefined : new Date(value);
  };
  const createdAfter = time('createdAfter');
  const lastUpdatedAfter = time('lastUpdatedAfter');
  if ((createdAfter === undefined) === (lastUpdatedAfter === undefined)) {
    return invalidInput('Exactly one of createdAfter and lastUpdatedAfter must be provided.');
  }
  const byCreation = createdAfter !== undefined;
  if (byCreation ? query.has('lastUpdatedBefore') : query.has('createdBefore')) {
    return invalidInput('createdAfter/createdBefore and lastUpdatedAfter/lastUpdatedBefore cannot be combined.');
  }
  const after = (createdAfter ?? lastUpdatedAfter)!;
  const statuses = list('fulfillmentStatuses');
  const fulfilledBy = list('fulfilledBy');
  const marketplaceIds = list('marketplaceIds');
  const includedData = list('includedData') ?? [];
  const unknown = [
    ...(statuses ?? []).filter((status) => !(FULFILLMENT_STATUSES as readonly string[]).includes(status)),
    ...(fulfilledBy ?? []).filter((party) => !FULFILLED_BY.includes(party)),
    ...includedData.filter((data) => !INCLUDED_DATA.includes(data)),
  ];
  if (unknown.length > 0) return invalidInput(`Unknown values: ${unknown.join(', ')}`);
  const pageSize = Number(query.get('maxResultsPerPage') ?? '100');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    return invalidInput('maxResultsPerPage must be between 1 and 100.');
  }

  const filters = ['createdAfter', 'createdBefore', 'lastUpdatedAfter', 'lastUpdatedBefore']
    .concat(['fulfillmentStatuses', 'fulfilledBy', 'marketplaceIds'])
    .map((name) => `${name}=${query.get(name) ?? ''}`)
    .join('&');
  let offset = 0;
  let before = time(byCreation ? 'createdBefore' : 'lastUpdatedBefore') ?? new Date(now.getTime() - 2 * MINUTE_MS);
  const token = query.get('paginationToken');
  if (token !== null) {
    const decoded = decodeToken(token);
    if (!decoded || decoded.filters !== filters) {
      return invalidInput('paginationToken is invalid, or the other parameters changed since it was issued.');
    }
    // Later pages keep the first page's end, so that the pages add up to one consistent list.
    ({ offset, before } = decoded);
  }
  if (Number.isNaN(after.getTime()) || Number.isNaN(before.getTime()) || before < after) {
    return invalidInput('Dates must be ISO 8601 date-times, and the end not before the start.');
  }

  const regions = new Set((marketplaceIds ?? []).map((id) => marketplace(id)?.region));
  if (regions.has(undefined)) return invalidInput('marketplaceIds holds an unknown marketplace ID.');
  if (regions.size > 1) return invalidInput('marketplaceIds must all be of the region of the host asked.');
  const region: SpApiRegion = [...regions][0] ?? 'na';
  const sellsIn = world.sellerRegions.get(request.sellerId ?? '');
  if (sellsIn !== undefined && !sellsIn.has(region)) return accessDenied();

  const matching = [...world.orders.values()]
    .filter((order) => order.sellerId === request.sellerId)
    .filter((order) => marketplace(order.marketplaceId)?.region === region)
    .filter((order) => {
      const at = byCreation ? order.createdTime : order.lastUpdatedTime;
      return after <= at && at <= before;
    })
    .filter((order) => !marketplaceIds || marketplaceIds.includes(order.marketplaceId))
    .filter((order) => !statuses || statuses.includes(order.fulfillmentStatus))
    .filter((order) => !fulfilledBy || fulfilledBy.includes(order.fulfilledBy))
    .sort(
      (a, b) => a.createdTime.getTime() - b.createdTime.getTime() || a.amazonOrderId.localeCompare(b.amazonOrderId),
    );
  const page = matching.slice(offset, offset + pageSize);
  const next = offset + pageSize < matching.length ? encodeToken(offset + pageSize, filters, before) : undefined;
  return {
    status: 200,
    body: {
      orders: page.map((order) => view(order, includedData)),
      ...(next !== undefined && { pagination: { nextToken: next } }),
      [byCreation ? 'createdBefore' : 'lastUpdatedBefore']: before.toISOString(),
    },
  };
}

function view(order: SimulatedOrder, includedData: string[]) {
  const merchant = order.fulfilledBy === 'MERCHANT';
  const shipped = order.fulfillmentStatus === 'SHIPPED' || order.fulfillmentStatus === 'PARTIALLY_SHIPPED';
  return {
    orderId: order.amazonOrderId,
    createdTime: order.createdTime.toISOString(),
    lastUpdatedTime: order.lastUpdatedTime.toISOString(),
    salesChannel: { channelName: 'AMAZON', marketplaceId: order.marketplaceId },
    orderItems: [{ orderItemId: `${order.amazonOrderId}-1`, quantityOrdered: 1, product: {} }],
    ...(includedData.includes('FULFILLMENT') && {
      fulfillment: {
        fulfillmentStatus: order.fulfillmentStatus,
        fulfilledBy: order.fulfilledBy,
        // Like ORDER_CHANGE, only seller-fulfilled orders carry their delivery window.
        ...(merchant && {
          deliverByWindow: {
            earliestDateTime: order.earliestDeliveryDate.toISOString(),
            latestDateTime: order.latestDeliveryDate.toISOString(),
          },
        }),
      },
    }),
    ...(includedData.includes('PACKAGES') &&
      merchant &&
      shipped && {
        packages: [
          {
            packageReferenceId: '1',
            shipTime: order.shipTime.toISOString(),
            packageStatus: { status: 'SHIPPED' },
            packageItems: [{ orderItemId: `${order.amazonOrderId}-1`, quantity: 1 }],
          },
        ],
      }),
  };
}

function encodeToken(offset: number, filters: string, before: Date): string {
  return Buffer.from(JSON.stringify({ offset, filters, before: before.toISOString() })).toString('base64url');
}

function decodeToken(token: string): { offset: number; filters: string; before: Date } | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { offset, filters, before } = value;
    return typeof offset === 'number' && typeof filters === 'string' && typeof before === 'string'
      ? { offset, filters, before: new Date(before) }
      : undefined;
  } catch {
    return undefined;
  }
}
