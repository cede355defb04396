import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  accessDenied,
  expiredAccessToken,
  internalFailure,
  invalidAccessToken,
  invalidInput,
  notFound,
  quotaExceeded,
  serviceUnavailable,
  type SimResponse,
} from './amazon-errors';
import type { SpApiRegion } from '../domain/marketplaces';
import { SimulatedApplication, type ApplicationQueue, type RecordedConsent } from './application';
import { CLIENT_SECRET_ROTATION_SCOPE, SimulatedLwa, type TokenSubject } from './lwa';
import {
  createDestination,
  createSubscription,
  deleteSubscriptionById,
  getDestinations,
  getSubscription,
} from './notifications';
import { searchOrders } from './orders';
import { createProductReviewAndSellerFeedbackSolicitation, getSolicitationActionsForOrder } from './solicitations';
import {
  DEFAULT_USAGE_PLANS,
  toOrder,
  type InjectedFailure,
  type RecordedRequest,
  type RecordedSolicitation,
  type RecordedTokenRequest,
  type SimulatedDestination,
  type SimulatedOperation,
  type SimulatedOrder,
  type SimulatedOrderInput,
  type SimulatedSubscription,
} from './state';
import { TokenBuckets, type UsagePlan } from './token-bucket';
import { createWorld, type OperationRequest, type World } from './world';

export const SIMULATOR_CLIENT_ID = 'amzn1.application-oa2-client.simulator';
export const SIMULATOR_CLIENT_SECRET = 'simulator-client-secret';
export const SIMULATOR_SELLER_ID = 'A1SIMULATEDSELLER';
export const SIMULATOR_REFRESH_TOKEN = 'Atzr|simulator-refresh-token';

export interface SpApiSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The simulator's clock: delivery windows, token expiry, rate limits and records all read it. */
  now?: () => Date;
  clientId?: string;
  clientSecret?: string;
  /** Seller ID -> refresh token. The first is the default seller of `addOrder`. */
  sellers?: Record<string, string>;
  tokenLifetimeSeconds?: number;
  /** Amazon's usage plans by default; `false` answers no 429 of its own. */
  usagePlans?: false | Partial<Record<SimulatedOperation, UsagePlan>>;
  applicationId?: string;
  /** The queue registered for application notifications; without one, rotation answers 400. */
  applicationQueue?: ApplicationQueue;
  /** The app's registered redirect URI, where the consent page sends the seller back. */
  redirectUri?: string;
  /** How long the old client secret keeps working after a rotation, by the simulator's clock (7 days). */
  rotationGraceMs?: number;
}

export interface SpApiSimulator {
  /** SPAPI_ENDPOINT. */
  url: string;
  /** LWA_ENDPOINT. */
  lwaUrl: string;
  clientId: string;
  /** The newest client secret (see `rotateClientSecret`). */
  readonly clientSecret: string;
  /** The settings that point the product at this simulator, with its first seller as LWA_REFRESH_TOKEN. */
  env(): Record<string, string>;
  addSeller(sellerId: string, refreshToken: string): void;
  /** The selling regions where the seller sells: `searchOrders` in another region answers 403. All by default. */
  sellsIn(sellerId: string, regions: readonly SpApiRegion[]): void;
  addOrder(order: SimulatedOrderInput): SimulatedOrder;
  /** Changes an order (status, dates) as later events would. */
  updateOrder(amazonOrderId: string, changes: Partial<Omit<SimulatedOrderInput, 'amazonOrderId'>>): SimulatedOrder;
  order(amazonOrderId: string): SimulatedOrder | undefined;
  /** The next `count` requests matching the filter answer `status` (429 with `x-amzn-RateLimit-Limit`, or 5xx). */
  injectFailures(
    count: number,
    failure: { status: 429 | 500 | 503; operation?: SimulatedOperation; amazonOrderId?: string },
  ): void;
  /** Solicitations calls for the order answer 403 access denied, whatever the token. */
  revokeOrderAuthorization(amazonOrderId: string): void;
  /** LWA refuses the seller's refresh token and SP-API its access tokens. */
  revokeSeller(sellerId: string): void;
  /** The seller authorized the app again: LWA takes its refresh token once more. */
  restoreSeller(sellerId: string): void;
  /** A new client secret, the newest from now on; the old one keeps working until `expireClientSecret`. */
  rotateClientSecret(secret: string): void;
  /** LWA answers `invalid_client` to requests with this secret, as after Amazon's rotation deadline. */
  expireClientSecret(secret: string): void;
  /** The app's ID (`amzn1.sp.solution.…`), SPAPI_APPLICATION_ID. */
  applicationId: string;
  /** Registers (or, with undefined, removes) the queue for application notifications. */
  setApplicationQueue(queue: ApplicationQueue | undefined): void;
  /** Registers the app's redirect URI, where consent sends the seller back. */
  registerRedirectUri(uri: string): void;
  /** Sends APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY for the current secret to the application queue. */
  sendClientSecretExpiryNotice(expiresAt: Date): Promise<void>;
  /** Resolves once every application notification sent so far is on the queue. */
  applicationNotificationsSent(): Promise<void>;
  /** Sellers that went through the consent page. */
  readonly consents: readonly RecordedConsent[];
  /** The next `times` checks of an eligible order find no action, as Amazon sometimes answers. */
  emptyActionsOnce(amazonOrderId: string, times?: number): void;
  /** Every access token issued so far is expired from now on. */
  expireAccessTokens(): void;
  /** Every SP-API request, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Every LWA token request. */
  readonly tokenRequests: readonly RecordedTokenRequest[];
  /** Every solicitation Amazon would have sent. */
  readonly solicitations: readonly RecordedSolicitation[];
  destinations(): SimulatedDestination[];
  subscriptions(): SimulatedSubscription[];
  close(): Promise<void>;
}

interface Route {
  operation: SimulatedOperation;
  method: string;
  pattern: RegExp;
  params: string[];
  grantless: boolean;
  /** The scope a grantless operation's token must carry; any grantless scope when absent. */
  scope?: string;
  query: string[];
  handle(world: World, request: OperationRequest): SimResponse;
}

const ROUTES: Route[] = [
  {
    operation: 'getSolicitationActionsForOrder',
    method: 'GET',
    pattern: /^\/solicitations\/v1\/orders\/([^/]+)$/,
    params: ['amazonOrderId'],
    grantless: false,
    query: ['marketplaceIds'],
    handle: getSolicitationActionsForOrder,
  },
  {
    operation: 'createProductReviewAndSellerFeedbackSolicitation',
    method: 'POST',
    pattern: /^\/solicitations\/v1\/orders\/([^/]+)\/solicitations\/productReviewAndSellerFeedback$/,
    params: ['amazonOrderId'],
    grantless: false,
    query: ['marketplaceIds'],
    handle: createProductReviewAndSellerFeedbackSolicitation,
  },
  {
    operation: 'getDestinations',
    method: 'GET',
    pattern: /^\/notifications\/v1\/destinations$/,
    params: [],
    grantless: true,
    query: [],
    handle: getDestinations,
  },
  {
    operation: 'createDestination',
    method: 'POST',
    pattern: /^\/notifications\/v1\/destinations$/,
    params: [],
    grantless: true,
    query: [],
    handle: createDestination,
  },
  {
    operation: 'getSubscription',
    method: 'GET',
    pattern: /^\/notifications\/v1\/subscriptions\/([^/]+)$/,
    params: ['notificationType'],
    grantless: false,
    query: ['payloadVersion'],
    handle: getSubscription,
  },
  {
    operation: 'createSubscription',
    method: 'POST',
    pattern: /^\/notifications\/v1\/subscriptions\/([^/]+)$/,
    params: ['notificationType'],
    grantless: false,
    query: [],
    handle: createSubscription,
  },
  {
    operation: 'deleteSubscriptionById',
    method: 'DELETE',
    pattern: /^\/notifications\/v1\/subscriptions\/([^/]+)\/([^/]+)$/,
    params: ['notificationType', 'subscriptionId'],
    grantless: true,
    query: [],
    handle: deleteSubscriptionById,
  },
  {
    operation: 'searchOrders',
    method: 'GET',
    pattern: /^\/orders\/2026-01-01\/orders$/,
    params: [],
    grantless: false,
    query: [
      'createdAfter',
      'createdBefore',
      'lastUpdatedAfter',
      'lastUpdatedBefore',
      'fulfillmentStatuses',
      'marketplaceIds',
      'fulfilledBy',
      'maxResultsPerPage',
      'paginationToken',
      'includedData',
    ],
    handle: searchOrders,
  },
  {
    operation: 'rotateApplicationClientSecret',
    method: 'POST',
    pattern: /^\/applications\/2023-11-30\/clientSecret$/,
    params: [],
    grantless: true,
    scope: CLIENT_SECRET_ROTATION_SCOPE,
    query: [],
    handle: (world) => world.rotateClientSecret(),
  },
];

const MAX_BODY_BYTES = 1 << 20;

/**
 * An SP-API and LWA look-alike on loopback, for tests, benchmarks and `solicit dev`; nothing else in the
 * product may import it. Behaviour follows Amazon's models and reported answers: see ./amazon-errors.
 */
export async function startSpApiSimulator(options: SpApiSimulatorOptions = {}): Promise<SpApiSimulator> {
  const now = options.now ?? (() => new Date());
  const clientId = options.clientId ?? SIMULATOR_CLIENT_ID;
  const sellers = new Map(Object.entries(options.sellers ?? { [SIMULATOR_SELLER_ID]: SIMULATOR_REFRESH_TOKEN }));
  const lwa = new SimulatedLwa(
    clientId,
    options.clientSecret ?? SIMULATOR_CLIENT_SECRET,
    options.tokenLifetimeSeconds ?? 3600,
  );
  for (const [sellerId, refreshToken] of sellers) lwa.addSeller(sellerId, refreshToken);
  const applicationId = options.applicationId ?? 'amzn1.sp.solution.simulator';
  const application = new SimulatedApplication(
    applicationId,
    clientId,
    lwa,
    now,
    (sellerId, refreshToken) => sellers.set(sellerId, refreshToken),
    options.rotationGraceMs,
  );
  application.setQueue(options.applicationQueue);
  if (options.redirectUri !== undefined) application.registerRedirectUri(options.redirectUri);
  const world = createWorld(applicationId, () => application.rotate());
  const usagePlans = options.usagePlans === false ? undefined : { ...DEFAULT_USAGE_PLANS, ...options.usagePlans };
  const buckets = new TokenBuckets();
  const injected: InjectedFailure[] = [];
  const requests: RecordedRequest[] = [];
  const tokenRequests: RecordedTokenRequest[] = [];

  function serveToken(form: URLSearchParams): SimResponse {
    const at = now();
    const { response, grantType, sellerId } = lwa.token(form, at.getTime());
    tokenRequests.push({ at, grantType, status: response.status, ...(sellerId !== undefined && { sellerId }) });
    return response;
  }

  function serveOperation(route: Route, match: RegExpExecArray, req: IncomingMessage, url: URL, body: string) {
    const at = now();
    const params = Object.fromEntries(route.params.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
    const token = lwa.check(header(req, 'x-amz-access-token'), at.getTime());
    const subject: TokenSubject | undefined = token.ok ? token.subject : undefined;
    const sellerId = subject?.type === 'seller' ? subject.sellerId : undefined;
    const plan = usagePlans?.[route.operation] ?? DEFAULT_USAGE_PLANS[route.operation];
    const answer = (): SimResponse => {
      if (!token.ok) {
        if (token.reason === 'expired') return expiredAccessToken();
        return token.reason === 'missing' ? accessDenied() : invalidAccessToken();
      }
      if (route.grantless !== (subject?.type === 'application')) return accessDenied();
      if (route.scope !== undefined && (subject?.type !== 'application' || subject.scope !== route.scope)) {
        return accessDenied();
      }
      const failure = takeInjected(route.operation, params.amazonOrderId);
      if (failure)
        return failure === 429 ? quotaExceeded() : failure === 500 ? internalFailure() : serviceUnavailable();
      if (usagePlans && !buckets.take(`${sellerId ?? 'application'} ${route.operation}`, plan, at.getTime())) {
        return quotaExceeded();
      }
      const unexpected = [...url.searchParams.keys()].find((name) => !route.query.includes(name));
      if (unexpected !== undefined) return invalidInput(`Unexpected query parameter: ${unexpected}`);
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        return invalidInput('The request body is not JSON.');
      }
      return route.handle(world, { now: at, sellerId, params, query: url.searchParams, body: json });
    };
    const response = answer();
    requests.push({
      at,
      operation: route.operation,
      method: route.method,
      path: url.pathname,
      status: response.status,
      ...(params.amazonOrderId !== undefined && { amazonOrderId: params.amazonOrderId }),
      ...(sellerId !== undefined && { sellerId }),
    });
    return { ...response, headers: { 'x-amzn-RateLimit-Limit': String(plan.ratePerSecond), ...response.headers } };
  }

  function takeInjected(operation: SimulatedOperation, amazonOrderId: string | undefined) {
    const failure = injected.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.operation === undefined || candidate.operation === operation) &&
        (candidate.amazonOrderId === undefined || candidate.amazonOrderId === amazonOrderId),
    );
    if (!failure) return undefined;
    failure.remaining -= 1;
    return failure.status;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    let response: SimResponse;
    try {
      const body = await readBody(req);
      if (req.method === 'GET' && url.pathname.startsWith('/apps/authorize/')) {
        servePage(res, url);
        return;
      }
      if (body === undefined) {
        response = { status: 413, body: { errors: [{ code: 'RequestEntityTooLarge', message: 'Request too large' }] } };
      } else if (req.method === 'POST' && url.pathname === '/auth/o2/token') {
        response = serveToken(new URLSearchParams(body));
      } else {
        response = route(req, url, body);
      }
    } catch {
      response = internalFailure();
    }
    res.writeHead(response.status, {
      'content-type': 'application/json',
      'x-amzn-RequestId': randomUUID(),
      ...response.headers,
    });
    res.end(response.body === undefined ? '' : JSON.stringify(response.body));
  }

  /** Seller Central's consent page and its confirmation, in HTML for a browser. */
  function servePage(res: ServerResponse, url: URL): void {
    const answer =
      url.pathname === '/apps/authorize/consent'
        ? application.consentPage(url.searchParams)
        : url.pathname === '/apps/authorize/confirm'
          ? application.confirm(url.searchParams)
          : { status: 404, html: 'Not found' };
    if ('location' in answer && answer.location !== undefined) {
      res.writeHead(answer.status, { location: answer.location }).end();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' }).end(answer.html);
  }

  function route(req: IncomingMessage, url: URL, body: string): SimResponse {
    for (const candidate of ROUTES) {
      const match = candidate.method === req.method ? candidate.pattern.exec(url.pathname) : null;
      if (match) return serveOperation(candidate, match, req, url, body);
    }
    const response = notFound(`${req.method} ${url.pathname} is not an SP-API operation.`);
    requests.push({ at: now(), operation: 'unknown', method: req.method ?? '', path: url.pathname, status: 404 });
    return response;
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  const defaultSeller = sellers.keys().next().value;

  return {
    url,
    lwaUrl: `${url}/auth/o2/token`,
    clientId,
    get clientSecret() {
      return lwa.clientSecret;
    },
    env() {
      const refreshToken = defaultSeller === undefined ? undefined : sellers.get(defaultSeller);
      return {
        LWA_CLIENT_ID: clientId,
        LWA_CLIENT_SECRET: lwa.clientSecret,
        LWA_ENDPOINT: `${url}/auth/o2/token`,
        SPAPI_ENDPOINT: url,
        ...(refreshToken !== undefined && { LWA_REFRESH_TOKEN: refreshToken, SPAPI_SELLER_ID: defaultSeller! }),
      };
    },
    addSeller(sellerId, refreshToken) {
      sellers.set(sellerId, refreshToken);
      lwa.addSeller(sellerId, refreshToken);
    },
    sellsIn(sellerId, regions) {
      world.sellerRegions.set(sellerId, new Set(regions));
    },
    addOrder(input) {
      const sellerId = input.sellerId ?? defaultSeller;
      if (sellerId === undefined) throw new Error('addOrder: the simulator has no seller');
      if (world.orders.has(input.amazonOrderId)) throw new Error(`addOrder: ${input.amazonOrderId} exists already`);
      const order = toOrder(input, sellerId);
      world.orders.set(order.amazonOrderId, order);
      return order;
    },
    updateOrder(amazonOrderId, changes) {
      const existing = world.orders.get(amazonOrderId);
      if (!existing) throw new Error(`updateOrder: no order ${amazonOrderId}`);
      const order = toOrder({ ...existing, ...changes, amazonOrderId }, existing.sellerId);
      world.orders.set(amazonOrderId, order);
      return order;
    },
    order: (amazonOrderId) => world.orders.get(amazonOrderId),
    injectFailures(count, failure) {
      injected.push({ remaining: count, ...failure });
    },
    revokeOrderAuthorization: (amazonOrderId) => void world.revokedOrders.add(amazonOrderId),
    revokeSeller: (sellerId) => lwa.revokeSeller(sellerId),
    restoreSeller: (sellerId) => lwa.restoreSeller(sellerId),
    rotateClientSecret: (secret) => lwa.rotateClientSecret(secret),
    expireClientSecret: (secret) => lwa.expireClientSecret(secret),
    applicationId,
    setApplicationQueue: (queue) => application.setQueue(queue),
    registerRedirectUri: (uri) => application.registerRedirectUri(uri),
    sendClientSecretExpiryNotice: (expiresAt) => application.sendExpiryNotice(expiresAt),
    applicationNotificationsSent: () => application.settled(),
    consents: application.consents,
    emptyActionsOnce(amazonOrderId, times = 1) {
      world.emptyActions.set(amazonOrderId, (world.emptyActions.get(amazonOrderId) ?? 0) + times);
    },
    expireAccessTokens: () => lwa.expireAccessTokens(now().getTime()),
    requests,
    tokenRequests,
    solicitations: world.solicitations,
    destinations: () => [...world.destinations.values()],
    subscriptions: () => [...world.subscriptions.values()],
    async close() {
      application.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as text, or undefined when it is larger than Amazon accepts. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
