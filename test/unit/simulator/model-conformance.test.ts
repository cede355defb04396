import { startSpApiSimulator, type SpApiSimulator } from '../../../src/simulator';
import { responseValidator } from '../../helpers/amazon-models';
import { DAY, manualClock } from '../../helpers/clock';

const clock = manualClock('2026-03-10T12:00:00Z');
const marketplaceIds = 'ATVPDKIKX0DER';
let sim: SpApiSimulator;
let sellerToken: string;
let appToken: string;

/** The fields these tests read, once the model has vouched for the body. */
interface Body {
  errors: { message: string }[];
  _links: { actions: { name: string }[] };
  payload: { destinationId: string; subscriptionId: string };
  orders: { fulfillment: { deliverByWindow?: object } }[];
  pagination?: { nextToken: string };
}

async function token(form: Record<string, string>): Promise<string> {
  const response = await fetch(sim.lwaUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, ...form }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * One raw request; the answer must be a status the operation's model declares, with a body valid
 * against the model's schema for that status.
 */
async function call(
  operationId: string,
  method: string,
  path: string,
  { accessToken = sellerToken, body }: { accessToken?: string; body?: unknown } = {},
): Promise<{ status: number; body: Body; rateLimit: string | null }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      'x-amz-access-token': accessToken,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = JSON.parse(await response.text());
  const validate = responseValidator(operationId, response.status);
  expect({ operationId, status: response.status, valid: validate(json), errors: validate.errors }).toEqual({
    operationId,
    status: response.status,
    valid: true,
    errors: null,
  });
  return { status: response.status, body: json as Body, rateLimit: response.headers.get('x-amzn-ratelimit-limit') };
}

beforeAll(async () => {
  sim = await startSpApiSimulator({ now: clock.now, usagePlans: false });
  sellerToken = await token({ grant_type: 'refresh_token', refresh_token: sim.env().LWA_REFRESH_TOKEN! });
  appToken = await token({ grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications' });
  const inWindow = {
    earliestDeliveryDate: new Date(clock.nowMs() - 10 * DAY),
    latestDeliveryDate: new Date(clock.nowMs() - 8 * DAY),
  };
  sim.addOrder({ amazonOrderId: '111-0000000-0000001', marketplaceId: marketplaceIds, ...inWindow });
  sim.addOrder({ amazonOrderId: '111-0000000-0000002', marketplaceId: marketplaceIds, ...inWindow });
  sim.addOrder({
    amazonOrderId: '111-0000000-0000003',
    marketplaceId: marketplaceIds,
    earliestDeliveryDate: new Date(clock.nowMs() + DAY),
    latestDeliveryDate: new Date(clock.nowMs() + 3 * DAY),
  });
});

afterAll(() => sim.close());

describe("the simulator answers as Amazon's models say", () => {
  const get = (id: string, query = `?marketplaceIds=${marketplaceIds}`) =>
    call('getSolicitationActionsForOrder', 'GET', `/solicitations/v1/orders/${id}${query}`);
  const send = (id: string) =>
    call(
      'createProductReviewAndSellerFeedbackSolicitation',
      'POST',
      `/solicitations/v1/orders/${id}/solicitations/productReviewAndSellerFeedback?marketplaceIds=${marketplaceIds}`,
    );

  it('Solicitations', async () => {
    const offered = await get('111-0000000-0000001');
    expect(offered.status).toBe(200);
    expect(offered.body._links.actions.map((action) => action.name)).toEqual(['productReviewAndSellerFeedback']);
    expect(offered.rateLimit).toBe('1');
    expect((await get('111-0000000-0000003')).body._links.actions).toEqual([]);
    expect((await get('111-0000000-0000001', '')).status).toBe(400);
    expect((await get('111-0000000-0009999')).status).toBe(404);

    expect((await send('111-0000000-0000001')).status).toBe(201);
    expect((await get('111-0000000-0000001')).body._links.actions).toEqual([]);
    expect((await send('111-0000000-0000001')).body.errors[0]!.message).toBe(
      'The requested solicitation is not available for this amazonOrderId.',
    );
    expect((await send('111-0000000-0000003')).body.errors[0]!.message).toMatch(/outside the 5-30 day range/);

    sim.injectFailures(1, { status: 429, amazonOrderId: '111-0000000-0000002' });
    sim.injectFailures(1, { status: 500, amazonOrderId: '111-0000000-0000002' });
    sim.injectFailures(1, { status: 503, operation: 'createProductReviewAndSellerFeedbackSolicitation' });
    expect((await get('111-0000000-0000002')).status).toBe(429);
    expect((await get('111-0000000-0000002')).status).toBe(500);
    expect((await send('111-0000000-0000002')).status).toBe(503);
    expect((await get('111-0000000-0000002')).status).toBe(200);

    sim.revokeOrderAuthorization('111-0000000-0000002');
    expect((await send('111-0000000-0000002')).body.errors[0]!.message).toBe('Access to requested resource is denied.');
    const invalid = await call(
      'getSolicitationActionsForOrder',
      'GET',
      `/solicitations/v1/orders/1?marketplaceIds=${marketplaceIds}`,
      {
        accessToken: 'Atza|forged',
      },
    );
    expect(invalid.status).toBe(403);
  });

  it('Notifications', async () => {
    const arn = 'arn:aws:sqs:us-east-1:123456789012:orders';
    const asApp = { accessToken: appToken };
    expect((await call('getDestinations', 'GET', '/notifications/v1/destinations', asApp)).body).toEqual({
      payload: [],
    });
    const created = await call('createDestination', 'POST', '/notifications/v1/destinations', {
      ...asApp,
      body: { name: 'orders', resourceSpecification: { sqs: { arn } } },
    });
    expect(created.status).toBe(200);
    const again = await call('createDestination', 'POST', '/notifications/v1/destinations', {
      ...asApp,
      body: { name: 'orders', resourceSpecification: { sqs: { arn } } },
    });
    expect(again.status).toBe(409);
    const badArn = await call('createDestination', 'POST', '/notifications/v1/destinations', {
      ...asApp,
      body: { name: 'orders', resourceSpecification: { sqs: { arn: 'not-an-arn' } } },
    });
    expect(badArn.status).toBe(400);
    expect((await call('getDestinations', 'GET', '/notifications/v1/destinations')).status).toBe(403);

    const subscriptions = '/notifications/v1/subscriptions/ORDER_CHANGE';
    expect((await call('getSubscription', 'GET', subscriptions)).status).toBe(404);
    const subscription = {
      payloadVersion: '1.0',
      destinationId: created.body.payload.destinationId,
      processingDirective: {
        eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['OrderStatusChange'] },
      },
    };
    const subscribed = await call('createSubscription', 'POST', subscriptions, { body: subscription });
    expect(subscribed.status).toBe(200);
    expect((await call('createSubscription', 'POST', subscriptions, { body: subscription })).status).toBe(409);
    const unknownDestination = { ...subscription, destinationId: 'nope' };
    expect((await call('createSubscription', 'POST', subscriptions, { body: unknownDestination })).status).toBe(400);
    expect((await call('getSubscription', 'GET', `${subscriptions}?payloadVersion=1.0`)).body).toEqual(subscribed.body);

    const byId = `${subscriptions}/${subscribed.body.payload.subscriptionId}`;
    expect((await call('deleteSubscriptionById', 'DELETE', byId, asApp)).status).toBe(200);
    expect((await call('deleteSubscriptionById', 'DELETE', byId, asApp)).status).toBe(404);
  });

  it('Orders searchOrders', async () => {
    const search = (query: string) => call('searchOrders', 'GET', `/orders/2026-01-01/orders?${query}`);
    const first = await search(
      `createdAfter=2026-01-01T00:00:00Z&maxResultsPerPage=2&includedData=FULFILLMENT,PACKAGES&marketplaceIds=${marketplaceIds}`,
    );
    expect(first.body.orders).toHaveLength(2);
    expect(first.body.orders[0]!.fulfillment.deliverByWindow).toBeDefined();
    const last = await search(
      `createdAfter=2026-01-01T00:00:00Z&maxResultsPerPage=2&marketplaceIds=${marketplaceIds}&paginationToken=${first.body.pagination!.nextToken}`,
    );
    expect(last.body.orders).toHaveLength(1);
    expect(last.body.pagination).toBeUndefined();
    expect((await search('maxResultsPerPage=2')).status).toBe(400);
    expect((await search('createdAfter=2026-01-01T00:00:00Z&maxResultsPerPage=101')).status).toBe(400);
  });
});
