import type { z } from 'zod';
import { ApplicationClient } from '../../../src/spapi/application-client';
import { classifyFailure } from '../../../src/spapi/classify';
import { createSpApiClients, type SpApiClients } from '../../../src/spapi/clients';
import { NotificationsClient, ORDER_STATUS_CHANGE_DIRECTIVE } from '../../../src/spapi/notifications-client';
import { OrdersClient } from '../../../src/spapi/orders-client';
import {
  amazonErrorsSchema,
  createDestinationSchema,
  getDestinationsSchema,
  searchOrdersSchema,
  solicitationActionsSchema,
  subscriptionResponseSchema,
} from '../../../src/spapi/schemas';
import { singleSeller } from '../../../src/spapi/sellers';
import { SolicitationsClient } from '../../../src/spapi/solicitations-client';
import {
  MODEL_FILES,
  OPERATIONS_USED,
  operation,
  operationFor,
  validatorFor,
  type ModelOperation,
} from '../../helpers/amazon-models';

interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/** Answers like Amazon's sandbox: each operation's `x-amzn-api-sandbox` static response. No network. */
function sandboxFetch(sent: Sent[]): typeof fetch {
  return (input, init) => {
    const url = new URL(input);
    if (url.pathname === '/auth/o2/token') {
      return Promise.resolve(Response.json({ access_token: 'Atza|sandbox', token_type: 'bearer', expires_in: 3600 }));
    }
    const method = init?.method ?? 'GET';
    sent.push({
      method,
      url,
      headers: new Headers(init?.headers),
      body: init?.body ? JSON.parse(init.body as string) : undefined,
    });
    const op = operationFor(method, url.pathname);
    const [status, answer] = op
      ? sandboxAnswer(op, url)
      : [404, { errors: [{ code: 'NotFound', message: 'no such path' }] }];
    return Promise.resolve(new Response(answer === undefined ? null : JSON.stringify(answer), { status }));
  };
}

function sandboxAnswer(op: ModelOperation, url: URL): [number, unknown] {
  for (const [status, response] of Object.entries(op.responses)) {
    const statics = response['x-amzn-api-sandbox']?.static ?? [];
    if (!status.startsWith('2') || statics.length === 0) continue;
    // searchOrders' sandbox has a first page (with a next token) and a last page (asked for with one).
    const paging = url.searchParams.has('paginationToken');
    const chosen = statics.find((entry) => 'paginationToken' in entry.request.parameters === paging) ?? statics[0]!;
    return [Number(status), chosen.response];
  }
  // An operation whose success has no body (rotateApplicationClientSecret's 204) has no sandbox pair for it.
  const empty = Object.keys(op.responses).find((status) => status.startsWith('2'));
  if (empty !== undefined && op.responses[empty]?.schema === undefined) return [Number(empty), undefined];
  throw new Error(`${op.operationId} has no 2xx sandbox response`);
}

const sellerId = 'A2SELLER';
const order = { amazonOrderId: '123-1234567-1234567', marketplaceId: 'ATVPDKIKX0DER', sellerId };

/** Every request the clients can send, each optional parameter set at least once. */
const EVERY_CALL: Record<string, (clients: SpApiClients) => Promise<unknown>> = {
  getSolicitationActionsForOrder: (c) => c.solicitations.getSolicitationActionsForOrder(order),
  createProductReviewAndSellerFeedbackSolicitation: (c) =>
    c.solicitations.createProductReviewAndSellerFeedbackSolicitation(order),
  getDestinations: (c) => c.notifications.getDestinations({ region: 'na' }),
  createDestination: (c) =>
    c.notifications.createDestination({
      region: 'eu',
      name: 'review-solicitations',
      sqsArn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
    }),
  getSubscription: (c) =>
    c.notifications.getSubscription({
      region: 'na',
      sellerId,
      notificationType: 'ORDER_CHANGE',
      payloadVersion: '1.0',
    }),
  createSubscription: (c) =>
    c.notifications.createSubscription({
      region: 'na',
      sellerId,
      notificationType: 'ORDER_CHANGE',
      destinationId: 'TEST_CASE_200_DESTINATION_ID',
      payloadVersion: '1.0',
      processingDirective: ORDER_STATUS_CHANGE_DIRECTIVE,
    }),
  deleteSubscriptionById: (c) =>
    c.notifications.deleteSubscriptionById({ region: 'fe', notificationType: 'ORDER_CHANGE', subscriptionId: 'sub-1' }),
  searchOrders: (c) =>
    c.orders.searchOrders(
      {
        sellerId,
        marketplaceIds: ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'],
        createdAfter: '2026-01-01T00:00:00Z',
        createdBefore: '2026-01-02T00:00:00Z',
        fulfillmentStatuses: ['SHIPPED', 'PARTIALLY_SHIPPED'],
        fulfilledBy: ['MERCHANT', 'AMAZON'],
        maxResultsPerPage: 50,
      },
      'a-page-token',
    ),
  rotateApplicationClientSecret: (c) => c.application.rotateApplicationClientSecret(),
};

function clients(sent: Sent[]): SpApiClients {
  return createSpApiClients(
    {
      lwaClientId: 'client-id',
      lwaClientSecret: 'client-secret',
      lwaEndpoint: 'https://api.amazon.com/auth/o2/token',
      sellers: singleSeller('Atzr|refresh'),
    },
    { fetch: sandboxFetch(sent) },
  );
}

function publicMethods(type: { prototype: object }): string[] {
  return Object.getOwnPropertyNames(type.prototype).filter((name) => name !== 'constructor');
}

describe("requests match Amazon's models", () => {
  it('exercises every method of every client', () => {
    const methods = [SolicitationsClient, NotificationsClient, OrdersClient, ApplicationClient].flatMap(publicMethods);
    expect(Object.keys(EVERY_CALL).sort()).toEqual(methods.sort());
  });

  it('sends only methods, paths, query parameters and bodies that the models define', async () => {
    const sent: Sent[] = [];
    const c = clients(sent);
    const failed: string[] = [];
    for (const [name, call] of Object.entries(EVERY_CALL)) {
      await call(c).catch((error: Error) => failed.push(`${name}: ${error.message}`));
    }

    const used = new Set<string>();
    for (const request of sent) {
      const op = operationFor(request.method, request.url.pathname);
      expect(op).toBeDefined();
      used.add(op!.operationId);
      const declared = new Map(op!.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
      for (const [name, value] of request.url.searchParams) {
        expect({ operation: op!.operationId, query: name, declared: declared.has(name) }).toEqual({
          operation: op!.operationId,
          query: name,
          declared: true,
        });
        const maxItems = (declared.get(name) as { maxItems?: number } | undefined)?.maxItems;
        if (maxItems !== undefined) expect(value.split(',').length).toBeLessThanOrEqual(maxItems);
      }
      for (const required of op!.parameters.filter((p) => p.in === 'query' && p.required)) {
        expect(request.url.searchParams.has(required.name)).toBe(true);
      }
      const bodyParameter = op!.parameters.find((p) => p.in === 'body');
      if (bodyParameter) {
        const validate = validatorFor(op!.file, bodyParameter.schema!);
        expect({ operation: op!.operationId, valid: validate(request.body), errors: validate.errors }).toEqual({
          operation: op!.operationId,
          valid: true,
          errors: null,
        });
      } else {
        expect(request.body).toBeUndefined();
      }
      expect(request.headers.get('x-amz-access-token')).toBe('Atza|sandbox');
    }
    expect([...used].sort()).toEqual(Object.values(OPERATIONS_USED).flat().sort());
    expect(failed).toEqual([]);
  });

  it("sends each call to its marketplace's region", async () => {
    const sent: Sent[] = [];
    const c = clients(sent);
    await c.solicitations.getSolicitationActionsForOrder({ ...order, marketplaceId: 'A1PA6795UKMFR9' });
    await c.orders.searchOrders({ sellerId, marketplaceIds: ['A39IBJ37TRP1C6'], createdAfter: '2026-01-01T00:00:00Z' });
    await c.notifications.getDestinations({ region: 'na' });
    expect(sent.map((request) => request.url.origin)).toEqual([
      'https://sellingpartnerapi-eu.amazon.com',
      'https://sellingpartnerapi-fe.amazon.com',
      'https://sellingpartnerapi-na.amazon.com',
    ]);
  });

  it("reads the sandbox's answers", async () => {
    const c = clients([]);
    await expect(c.solicitations.getSolicitationActionsForOrder(order)).resolves.toEqual([
      'productReviewAndSellerFeedback',
    ]);
    await expect(c.notifications.getDestinations({ region: 'na' })).resolves.toEqual([
      {
        destinationId: 'TEST_CASE_200',
        name: 'SQSDestination',
        resource: { sqs: { arn: 'arn:aws:sqs:us-east-2:444455556666:queue1' } },
      },
    ]);
    const query = {
      sellerId,
      marketplaceIds: ['A1VC38T7YXB528'],
      lastUpdatedAfter: '2026-01-01T00:00:00Z',
      lastUpdatedBefore: '2026-01-03T00:00:00Z',
    };
    const first = await c.orders.searchOrders(query);
    const second = await c.orders.searchOrders(query, first.nextToken);
    expect([first.nextToken, second.nextToken]).toEqual(['2YgYW55IGNhcm5hbCBwbGVhc3VyZS4', undefined]);
  });
});

describe("Amazon's sandbox and example responses parse with our schemas", () => {
  const schemas: Record<string, z.ZodType | undefined> = {
    getSolicitationActionsForOrder: solicitationActionsSchema,
    // The client reads the status of these; their bodies carry nothing it needs.
    createProductReviewAndSellerFeedbackSolicitation: undefined,
    deleteSubscriptionById: undefined,
    getDestinations: getDestinationsSchema,
    createDestination: createDestinationSchema,
    getSubscription: subscriptionResponseSchema,
    createSubscription: subscriptionResponseSchema,
    searchOrders: searchOrdersSchema,
    rotateApplicationClientSecret: undefined,
  };

  const cases = MODEL_FILES.flatMap((file) =>
    OPERATIONS_USED[file].flatMap((operationId) =>
      Object.entries(operation(operationId).responses).flatMap(([status, response]) => [
        ...(response['x-amzn-api-sandbox']?.static ?? []).map((entry, index) => ({
          name: `${operationId} ${status} sandbox #${index}`,
          operationId,
          status: Number(status),
          body: entry.response,
        })),
        ...Object.values((response as { examples?: Record<string, unknown> }).examples ?? {}).map((body) => ({
          name: `${operationId} ${status} example`,
          operationId,
          status: Number(status),
          body,
        })),
      ]),
    ),
  );

  it('covers every operation used', () => {
    expect(new Set(cases.map((c) => c.operationId))).toEqual(new Set(Object.values(OPERATIONS_USED).flat()));
  });

  it.each(cases)('$name', ({ operationId, status, body }) => {
    if (status >= 400) {
      expect(amazonErrorsSchema.safeParse(body).success).toBe(true);
      const error = classifyFailure(operationId, { status, rateLimitLimit: null, body: JSON.stringify(body) });
      expect(error.details.code).toBeDefined();
      return;
    }
    const schema = schemas[operationId];
    if (schema === undefined) {
      expect(amazonErrorsSchema.safeParse(body).success).toBe(false);
      return;
    }
    const parsed = schema.safeParse(body);
    expect(parsed.error?.issues).toBeUndefined();
  });
});
