import type { Logger } from '../logging';
import type { SpApiResponseObserver } from '../domain/metrics';
import { endpointResolver } from './endpoints';
import { LwaTokenProvider } from './lwa';
import { NotificationsClient } from './notifications-client';
import { OrdersClient } from './orders-client';
import { SpApiTransport } from './request';
import type { SellerAuthorizations } from './sellers';
import { SolicitationsClient } from './solicitations-client';

/** Everything needed to call SP-API. Holds secrets: never log it. */
export interface SpApiConfig {
  lwaClientId: string;
  lwaClientSecret: string;
  lwaEndpoint: string;
  /** One base URL for every region (sandbox, simulator); Amazon's host per marketplace when absent. */
  spApiEndpoint?: string;
  sellers: SellerAuthorizations;
}

export interface SpApiClientOptions {
  logger?: Logger;
  fetch?: typeof fetch;
  /** Clock of the token cache, in milliseconds since the epoch. */
  now?: () => number;
  /** Per request; a call that takes longer is a transient error. */
  timeoutMs?: number;
  /** Told of every SP-API response (not LWA's), e.g. to count them by status. */
  observeResponse?: SpApiResponseObserver;
}

export interface SpApiClients {
  solicitations: SolicitationsClient;
  notifications: NotificationsClient;
  orders: OrdersClient;
  sellers: SellerAuthorizations;
}

/** The clients share one token cache, so that each grant is refreshed once for all of them. */
export function createSpApiClients(config: SpApiConfig, options: SpApiClientOptions = {}): SpApiClients {
  const lwa = new LwaTokenProvider({
    endpoint: config.lwaEndpoint,
    clientId: config.lwaClientId,
    clientSecret: config.lwaClientSecret,
    fetch: options.fetch,
    now: options.now,
    logger: options.logger,
  });
  const transport = new SpApiTransport({
    lwa,
    sellers: config.sellers,
    endpoints: endpointResolver({ override: config.spApiEndpoint }),
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    observeResponse: options.observeResponse,
  });
  return {
    solicitations: new SolicitationsClient(transport),
    notifications: new NotificationsClient(transport),
    orders: new OrdersClient(transport),
    sellers: config.sellers,
  };
}
