import type { SpApiSimulator } from '../../../src/simulator';
import type { SpApiClients } from '../../../src/spapi/clients';
import type { OrdersPage, SearchOrdersQuery } from '../../../src/spapi/orders-client';
import { DAY } from '../../helpers/clock';
import { MARKETPLACE, simulatorWithClients } from '../../helpers/spapi';

let sim: SpApiSimulator;
let clients: SpApiClients;

const sellerId = 'A1SIMULATEDSELLER';
const query: SearchOrdersQuery = {
  sellerId,
  marketplaceIds: [MARKETPLACE],
  createdAfter: '2026-02-01T00:00:00Z',
  fulfillmentStatuses: ['SHIPPED'],
  maxResultsPerPage: 3,
};
const ids = (pages: OrdersPage[]) => pages.flatMap((page) => page.orders.map((order) => order.orderId));

beforeEach(async () => {
  ({ sim, clients } = await simulatorWithClients());
  const created = new Date('2026-02-10T00:00:00Z').getTime();
  for (let i = 1; i <= 7; i += 1) {
    sim.addOrder({
      amazonOrderId: `111-0000000-000000${i}`,
      marketplaceId: MARKETPLACE,
      createdTime: new Date(created + i * DAY),
      earliestDeliveryDate: new Date(created + (i + 3) * DAY),
      latestDeliveryDate: new Date(created + (i + 6) * DAY),
      fulfilledBy: i === 7 ? 'AMAZON' : 'MERCHANT',
    });
  }
  sim.addOrder({
    amazonOrderId: '111-0000000-0000099',
    marketplaceId: MARKETPLACE,
    fulfillmentStatus: 'UNSHIPPED',
    earliestDeliveryDate: '2026-03-01T00:00:00Z',
    latestDeliveryDate: '2026-03-04T00:00:00Z',
  });
});
afterEach(() => sim.close());

/** Every page from `paginationToken` on, each asked for with the previous page's `nextToken`. */
async function allPages(search: SearchOrdersQuery, paginationToken?: string): Promise<OrdersPage[]> {
  const pages: OrdersPage[] = [];
  let token = paginationToken;
  do {
    const page = await clients.orders.searchOrders(search, token);
    pages.push(page);
    token = page.nextToken;
    if (pages.length > 10) throw new Error('pagination does not end');
  } while (token !== undefined);
  return pages;
}

describe('OrdersClient.searchOrders against the simulator', () => {
  it('pages through every matching order, oldest first', async () => {
    const pages = await allPages(query);
    expect(pages.map((page) => page.orders.length)).toEqual([3, 3, 1]);
    expect(ids(pages)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `111-0000000-000000${i}`));
    expect(pages.map((page) => page.nextToken === undefined)).toEqual([false, false, true]);
    expect(sim.requests.map((request) => request.operation)).toEqual(['searchOrders', 'searchOrders', 'searchOrders']);
  });

  it('reads what a solicitation window needs: status, fulfiller, delivery window, ship time', async () => {
    const { orders } = await clients.orders.searchOrders({ ...query, maxResultsPerPage: 100 });
    const merchant = sim.order('111-0000000-0000001')!;
    expect(orders[0]).toEqual({
      orderId: '111-0000000-0000001',
      createdTime: merchant.createdTime.toISOString(),
      lastUpdatedTime: merchant.lastUpdatedTime.toISOString(),
      salesChannel: { channelName: 'AMAZON', marketplaceId: MARKETPLACE },
      fulfillment: {
        fulfillmentStatus: 'SHIPPED',
        fulfilledBy: 'MERCHANT',
        deliverByWindow: {
          earliestDateTime: merchant.earliestDeliveryDate.toISOString(),
          latestDateTime: merchant.latestDeliveryDate.toISOString(),
        },
      },
      packages: [
        { packageReferenceId: '1', shipTime: merchant.shipTime.toISOString(), packageStatus: { status: 'SHIPPED' } },
      ],
    });
    // Amazon-fulfilled: no delivery window, no packages.
    expect(orders[6]).toMatchObject({ fulfillment: { fulfilledBy: 'AMAZON' } });
    expect(orders[6]!.fulfillment!.deliverByWindow).toBeUndefined();
    expect(orders[6]!.packages).toBeUndefined();
  });

  it('resumes from the last page token after a 429', async () => {
    const seen: OrdersPage[] = [];
    const first = await clients.orders.searchOrders(query);
    seen.push(first);
    sim.injectFailures(1, { status: 429, operation: 'searchOrders' });
    const error = await clients.orders.searchOrders(query, first.nextToken).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ kind: 'throttled', details: { retryAfterMs: Math.ceil(1000 / 0.0056) } });
    seen.push(...(await allPages(query, first.nextToken)));
    expect(ids(seen)).toHaveLength(7);
  });

  it('refuses a page token used with other filters', async () => {
    const first = await clients.orders.searchOrders(query);
    await expect(
      clients.orders.searchOrders({ ...query, fulfillmentStatuses: ['SHIPPED', 'UNSHIPPED'] }, first.nextToken),
    ).rejects.toMatchObject({ kind: 'invalid-input', details: { status: 400 } });
  });

  it("asks for every marketplace of a region when given the region alone, the seller's in the simulator", async () => {
    const { marketplaceIds: _, ...rest } = query;
    const { orders } = await clients.orders.searchOrders({ ...rest, region: 'na', maxResultsPerPage: 100 });
    expect(orders).toHaveLength(7);
  });

  it('refuses a query naming neither marketplace nor region, or a region its marketplaces are not in', async () => {
    const { marketplaceIds: _, ...rest } = query;
    await expect(clients.orders.searchOrders(rest)).rejects.toMatchObject({ kind: 'invalid-input' });
    await expect(clients.orders.searchOrders({ ...query, region: 'eu' })).rejects.toMatchObject({
      kind: 'invalid-input',
      message: `searchOrders: marketplace ${MARKETPLACE} is not in region eu`,
    });
    expect(sim.requests).toEqual([]);
  });

  it('refuses marketplaces of different regions before calling Amazon', async () => {
    await expect(
      clients.orders.searchOrders({ ...query, marketplaceIds: [MARKETPLACE, 'A1PA6795UKMFR9'] }),
    ).rejects.toMatchObject({ kind: 'invalid-input' });
    expect(sim.requests).toEqual([]);
  });
});
